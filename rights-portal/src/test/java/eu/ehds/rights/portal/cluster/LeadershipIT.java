package eu.ehds.rights.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One leader at a time for a singleton job among nodes sharing a PostgreSQL database, and failover when it goes. */
class LeadershipIT {

    @Test
    void one_node_leads_the_others_stand_by_and_one_takes_over_when_the_leader_goes() throws Exception {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        try (HikariDataSource nodeA = pool(db); HikariDataSource nodeB = pool(db); HikariDataSource nodeC = pool(db);
             Leadership b = new Leadership(nodeB, "anchoring"); Leadership c = new Leadership(nodeC, "anchoring")) {
            Leadership a = new Leadership(nodeA, "anchoring");
            try {
                // given node A asked first
                assertThat(a.holds()).isTrue();
                // then B and C stand by, and A keeps the lead as often as it asks
                assertThat(b.holds()).isFalse();
                assertThat(c.holds()).isFalse();
                assertThat(a.holds()).isTrue();
            } finally {
                a.close(); // when A goes (its session ends with it)
            }

            // the next node to ask leads, and only it
            assertThat(b.holds()).isTrue();
            assertThat(c.holds()).isFalse();

            // and another job has a leader of its own
            try (Leadership other = new Leadership(nodeC, "another job")) {
                assertThat(other.holds()).isTrue();
            }
        }
    }

    @Test
    void a_leader_that_stops_asking_loses_the_lead_after_its_lease_and_another_node_takes_over() throws Exception {
        PostgresHarness.Database db = PostgresHarness.newDatabase();
        Duration lease = Duration.ofSeconds(2);
        try (HikariDataSource nodeA = pool(db); HikariDataSource nodeB = pool(db);
             Leadership a = new Leadership(nodeA, "anchoring", lease);
             Leadership b = new Leadership(nodeB, "anchoring", lease)) {
            // given A leads, and keeps the lead for longer than its lease as long as it asks
            assertThat(a.holds()).isTrue();
            for (int i = 0; i < 16; i++) {
                Thread.sleep(250);
                assertThat(a.holds()).isTrue();
            }
            assertThat(b.holds()).isFalse();

            // when A gives no sign of life for longer than its lease (frozen, or cut off by the network)
            Thread.sleep(4_500);

            // then B takes over, and A, back, stands by
            assertThat(b.holds()).isTrue();
            assertThat(a.holds()).isFalse();
        }
    }

    @Test
    void on_the_embedded_database_the_only_process_leads() {
        try (HikariDataSource embedded = new HikariDataSource()) {
            embedded.setJdbcUrl("jdbc:h2:mem:leadership");
            try (Leadership only = new Leadership(embedded, "anchoring")) {
                assertThat(only.holds()).isTrue();
            }
        }
    }

    private static HikariDataSource pool(PostgresHarness.Database db) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(db.url());
        pool.setUsername(db.user());
        pool.setPassword(db.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }
}
