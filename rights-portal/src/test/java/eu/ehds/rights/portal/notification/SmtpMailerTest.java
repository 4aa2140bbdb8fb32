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

    private static final Ports.Email EMAIL = email("f-1");
    private static final Duration CLAIM = Duration.ofMinutes(5);

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
        start(0);
        SmtpMailer mailer = mailer(Duration.ofMillis(500));

        // when a notice is sent, then the send fails on the timeout instead of waiting for ever
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> mailer.send(EMAIL))
                .isInstanceOf(MessagingException.class).hasRootCauseInstanceOf(SocketTimeoutException.class));
    }

    @Test
    void a_message_the_server_took_before_going_silent_is_not_sent_again_on_a_new_connection() throws Exception {
        // given a server that confirms a first message, then takes a second without confirming it
        start(2);
        SmtpMailer mailer = mailer(Duration.ofMillis(500));
        mailer.send(email("f-1"));

        // when the second is sent on the kept connection
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> mailer.send(email("f-2")))
                .isInstanceOf(MessagingException.class));

        // then the mailer did not send it again on a new connection (the server would take it): the outbox decides
        assertThat(messagesTaken).hasValue(2);
    }

    @Test
    void timeouts_set_in_spring_mails_properties_are_kept() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "1234");

        new SmtpMailer(sender, "no-reply@rights-ledger.localhost", Duration.ofSeconds(20), CLAIM);

        assertThat(sender.getSession().getProperty("mail.smtp.timeout")).isEqualTo("1234");
        assertThat(sender.getSession().getProperty("mail.smtp.connectiontimeout")).isEqualTo("20000");
        assertThat(sender.getSession().getProperty("mail.smtp.writetimeout")).isEqualTo("20000");
    }

    @Test
    void a_claim_shorter_than_eight_of_the_longest_timeout_in_force_is_refused_naming_the_settings() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.getJavaMailProperties().setProperty("mail.smtp.writetimeout", "60000"); // Spring Mail's, 1 min

        assertThatThrownBy(() -> new SmtpMailer(sender, "no-reply@rights-ledger.localhost", Duration.ofSeconds(20),
                CLAIM)).hasMessageContaining("NOTIFICATIONS_CLAIM_FOR (PT5M)").hasMessageContaining("(PT1M");
        assertThatThrownBy(() -> new SmtpMailer(new JavaMailSenderImpl(), "no-reply@rights-ledger.localhost",
                Duration.ofSeconds(5), Duration.ofSeconds(39))).hasMessageContaining("NOTIFICATIONS_SMTP_TIMEOUT");
        new SmtpMailer(new JavaMailSenderImpl(), "no-reply@rights-ledger.localhost", Duration.ofSeconds(5),
                Duration.ofSeconds(40)); // eight steps fit
    }

    private static Ports.Email email(String findingId) {
        return new Ports.Email("camille@example.org", "Un message vous attend", "Connectez-vous au portail.",
                "<" + findingId + ".person@rights-ledger>");
    }

    private SmtpMailer mailer(Duration timeout) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(server.getLocalPort());
        return new SmtpMailer(sender, "no-reply@rights-ledger.localhost", timeout, CLAIM);
    }

    /**
     * @param silentFrom 0: never answers; n: holds the SMTP dialog on every connection, confirms each message but
     *                   the n-th, which it takes and never confirms
     */
    private void start(int silentFrom) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        serving = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread connection = new Thread(() -> {
                        try (client) {
                            if (silentFrom > 0) {
                                converse(client, silentFrom);
                            }
                            Thread.sleep(60_000); // silent from here on
                        } catch (IOException | InterruptedException e) {
                            // the test is over
                        }
                    });
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        serving.setDaemon(true);
        serving.start();
    }

    private void converse(Socket client, int silentFrom) throws IOException {
        OutputStream out = client.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        reply(out, "220 127.0.0.1 ESMTP");
        boolean data = false;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (data) {
                if (line.equals(".")) {
                    data = false;
                    if (messagesTaken.incrementAndGet() == silentFrom) {
                        return; // taken; its confirmation never comes
                    }
                    reply(out, "250 queued");
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
