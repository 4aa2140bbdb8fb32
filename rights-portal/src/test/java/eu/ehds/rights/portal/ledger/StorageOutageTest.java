package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class StorageOutageTest {

    @Test
    void a_lost_connection_deep_in_the_causes_is_an_outage() {
        // given what Axon and Spring wrap around a connection PostgreSQL dropped
        Exception failure = new IllegalStateException("could not append", new RuntimeException("wrapped",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        assertThat(StorageOutage.causedBy(failure)).isTrue();
        assertThat(StorageOutage.reason(failure)).isEqualTo("SQLException: An I/O error occurred while sending to "
                + "the backend.");
    }

    @Test
    void a_shutting_down_server_or_an_exhausted_pool_is_an_outage() {
        assertThat(StorageOutage.causedBy(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(StorageOutage.causedBy(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(StorageOutage.causedBy(new org.axonframework.common.lock.DeadlockException("an import's batch holds"
                + " the record and waits for the log's lock"))).isTrue();
    }

    @Test
    void a_refused_statement_is_not_an_outage() {
        // given a unique key violation and a failure without any SQL cause
        assertThat(StorageOutage.causedBy(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(StorageOutage.causedBy(new IllegalArgumentException("bad"))).isFalse();
    }
}
