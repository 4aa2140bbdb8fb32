package eu.ehds.rights.portal.notification;

import eu.ehds.rights.notifications.delivery.Ports;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Sends notices through the SMTP server Spring Mail is configured with, keeping one connection open between
 * messages (a new connection per message costs more than the message). The kept connection is checked before each
 * message ({@code NOOP}) and reopened if it went away; a failure during a message goes back to the outbox, which
 * retries later, never at once: the server may have taken the message before the failure. Every step is bounded by
 * a timeout, so that a server that stops answering cannot hold the worker. Each message keeps a stable
 * {@code Message-ID}.
 */
final class SmtpMailer implements Ports.Mailer {

    private final JavaMailSenderImpl sender;
    private final String from;
    private Transport transport;

    /** A message takes about this many timed steps (connecting, greeting, EHLO, NOOP, sender, recipient, data, end). */
    static final int STEPS = 8;

    private static final List<String> TIMEOUTS = List.of("connectiontimeout", "timeout", "writetimeout");

    /**
     * @param timeout  for connecting, and for each read and write; unless Spring Mail's properties set their own
     * @param claimFor how long a node's claim on a notice lasts: refused unless it outlasts {@link #STEPS} of the
     *                 longest timeout in force, for a node still sending when its claim runs out lets another node
     *                 send the same e-mail
     */
    SmtpMailer(JavaMailSenderImpl sender, String from, Duration timeout, Duration claimFor) {
        this.sender = sender;
        this.from = from;
        String millis = Long.toString(timeout.toMillis());
        String protocol = protocol();
        for (String property : TIMEOUTS) {
            sender.getJavaMailProperties().putIfAbsent("mail." + protocol + "." + property, millis);
        }
        sender.setJavaMailProperties(sender.getJavaMailProperties()); // a session made before would lack them
        Duration longest = TIMEOUTS.stream()
                .map(p -> Duration.ofMillis(Long.parseLong(sender.getJavaMailProperties().getProperty(
                        "mail." + protocol + "." + p).strip())))
                .max(Duration::compareTo).orElseThrow();
        if (claimFor.compareTo(longest.multipliedBy(STEPS)) < 0) {
            throw new IllegalArgumentException("NOTIFICATIONS_CLAIM_FOR (" + claimFor + ") must be at least " + STEPS
                    + " times the longest SMTP timeout (" + longest + ", NOTIFICATIONS_SMTP_TIMEOUT or Spring Mail's "
                    + "mail." + protocol + ".*timeout): a node still sending when its claim runs out lets another "
                    + "node send the same e-mail");
        }
    }

    private String protocol() {
        return sender.getProtocol() == null ? "smtp" : sender.getProtocol();
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
        try {
            connected(session).sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            close();
            throw e;
        }
    }

    private Transport connected(Session session) throws MessagingException {
        if (transport == null || !transport.isConnected()) { // isConnected sends NOOP: a stale connection says so
            transport = session.getTransport(protocol());
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
