package eu.ehds.rights.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import eu.ehds.rights.notifications.delivery.Ports;
import jakarta.mail.MessagingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** An SMTP server that stops answering must not hold the delivery worker, nor get the same message twice at once. */
class SmtpMailerTest {

    private static final Ports.Email EMAIL = new Ports.Email("camille@example.org", "Un message vous attend",
            "Connectez-vous au portail.", "<f-1.person@rights-ledger>");

    private final AtomicInteger messagesTaken = new AtomicInteger();
    private ServerSocket server;
    private Thread serving;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
            serving.interrupt();
        }
    }

    @Test
    void a_server_that_accepts_the_connection_and_never_answers_fails_the_send_within_the_timeout() throws Exception {
        // given a server that accepts connections and says nothing
        start(false);
        SmtpMailer mailer = mailer(Duration.ofMillis(500));

        // when a notice is sent, then the send fails on the timeout instead of waiting for ever
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> mailer.send(EMAIL))
                .isInstanceOf(MessagingException.class).hasRootCauseInstanceOf(SocketTimeoutException.class));
    }

    @Test
    void a_server_that_takes_the_message_and_then_stalls_gets_it_once_and_the_failure_goes_back_to_the_outbox()
            throws Exception {
        // given a server that answers until the end of the message, takes it, and never confirms it
        start(true);
        SmtpMailer mailer = mailer(Duration.ofMillis(500));

        // when a notice is sent
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> mailer.send(EMAIL))
                .isInstanceOf(MessagingException.class));

        // then the mailer did not send it again on a new connection: the outbox decides, later
        assertThat(messagesTaken).hasValue(1);
    }

    @Test
    void timeouts_set_in_spring_mails_properties_are_kept() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "1234");

        new SmtpMailer(sender, "no-reply@rights-ledger.localhost", Duration.ofSeconds(20));

        assertThat(sender.getSession().getProperty("mail.smtp.timeout")).isEqualTo("1234");
        assertThat(sender.getSession().getProperty("mail.smtp.connectiontimeout")).isEqualTo("20000");
        assertThat(sender.getSession().getProperty("mail.smtp.writetimeout")).isEqualTo("20000");
    }

    private SmtpMailer mailer(Duration timeout) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(server.getLocalPort());
        return new SmtpMailer(sender, "no-reply@rights-ledger.localhost", timeout);
    }

    /** @param answering whether it holds the SMTP dialog up to the end of a message (then goes silent), or is mute */
    private void start(boolean answering) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        serving = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    if (answering) {
                        converse(client);
                    }
                    Thread.sleep(60_000); // silent from here on
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        serving.setDaemon(true);
        serving.start();
    }

    private void converse(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        reply(out, "220 127.0.0.1 ESMTP");
        boolean data = false;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (data) {
                if (line.equals(".")) {
                    messagesTaken.incrementAndGet();
                    return; // the message is taken; its confirmation never comes
                }
            } else if (line.startsWith("DATA")) {
                data = true;
                reply(out, "354 end with .");
            } else {
                reply(out, "250 ok");
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
