package eu.ehds.rights.portal.notification;

import eu.ehds.rights.notifications.delivery.Ports;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Sends notices through the SMTP server Spring Mail is configured with, keeping one connection open between
 * messages (a new connection per message costs more than the message). A broken connection is reopened once at
 * once; any other failure goes back to the outbox, which retries. Each message keeps a stable {@code Message-ID}.
 */
final class SmtpMailer implements Ports.Mailer {

    private final JavaMailSenderImpl sender;
    private final String from;
    private Transport transport;

    SmtpMailer(JavaMailSenderImpl sender, String from) {
        this.sender = sender;
        this.from = from;
    }

    @Override
    public synchronized void send(Ports.Email email) throws MessagingException {
        Session session = sender.getSession();
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", email.messageId());
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(email.to()));
        message.setSubject(email.subject(), "UTF-8");
        message.setText(email.text(), "UTF-8");
        message.saveChanges();
        boolean reused = transport != null && transport.isConnected();
        try {
            connected(session).sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            close();
            if (!reused) {
                throw e;
            }
            connected(session).sendMessage(message, message.getAllRecipients()); // the kept connection had gone stale
        }
    }

    private Transport connected(Session session) throws MessagingException {
        if (transport == null || !transport.isConnected()) {
            transport = session.getTransport(sender.getProtocol() == null ? "smtp" : sender.getProtocol());
            transport.connect(sender.getHost(), sender.getPort(), sender.getUsername(), sender.getPassword());
        }
        return transport;
    }

    synchronized void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // closing a broken connection: nothing more to do
            }
            transport = null;
        }
    }
}
