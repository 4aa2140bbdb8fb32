package eu.ehds.rights.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class NotificationPropertiesTest {

    @EnableConfigurationProperties(NotificationProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner node = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void a_claim_shorter_than_eight_smtp_timeouts_stops_the_node_naming_both_settings() {
        node.withPropertyValues("notifications.claim-for=30s", "notifications.smtp-timeout=5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("NOTIFICATIONS_CLAIM_FOR (PT30S)")
                    .hasMessageContaining("NOTIFICATIONS_SMTP_TIMEOUT (PT5S)");
        });
    }

    @Test
    void the_defaults_leave_a_claim_of_five_minutes_for_sends_bounded_by_twenty_seconds_a_step() {
        node.run(context -> {
            assertThat(context).hasNotFailed();
            NotificationProperties properties = context.getBean(NotificationProperties.class);
            assertThat(properties.claimFor()).hasMinutes(5);
            assertThat(properties.smtpTimeout()).hasSeconds(20);
        });
    }
}
