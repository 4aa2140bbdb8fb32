package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import eu.ehds.rights.portal.support.PostgresHarness;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction whose connection PostgreSQL drops (a crash, a restart) fails as an outage, answered 503 and sent again
 * with its key, whether the drop is met by a statement or by the commit: the pool then closes the connection, Spring
 * rolls back on it, and that rollback's failure (without SQL state) replaced the outage (CI met it as a 500).
 */
class DurableTransactionManagerIT {

    private PostgresHarness.Database db;
    private HikariDataSource pool;
    private TransactionTemplate transactions;
    private JdbcTemplate jdbc;

    @BeforeEach
    void pool() {
        db = PostgresHarness.newDatabase();
        pool = new HikariDataSource();
        pool.setJdbcUrl(db.url());
        pool.setUsername(db.user());
        pool.setPassword(db.password());
        DurableTransactionManager manager = new DurableTransactionManager(pool);
        manager.afterPropertiesSet();
        transactions = new TransactionTemplate(manager);
        jdbc = new JdbcTemplate(pool);
        jdbc.execute("CREATE TABLE t (n int)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void a_connection_dropped_before_the_commit_is_an_outage() {
        // given a transaction whose server process is terminated after its last statement
        Throwable failure = catchThrowable(() -> transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO t VALUES (1)");
            terminate(jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class));
        }));

        // then the commit's failure is reported as the outage it is
        assertThat(failure).isNotNull();
        assertThat(StorageOutage.causedBy(failure)).as(StorageOutage.reason(failure)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Integer.class)).isZero();
    }

    @Test
    void a_connection_dropped_between_two_statements_is_an_outage() {
        // given a transaction whose server process is terminated before its next statement
        Throwable failure = catchThrowable(() -> transactions.executeWithoutResult(status -> {
            terminate(jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class));
            jdbc.update("INSERT INTO t VALUES (1)");
        }));

        assertThat(failure).isNotNull();
        assertThat(StorageOutage.causedBy(failure)).as(StorageOutage.reason(failure)).isTrue();
    }

    private void terminate(int pid) {
        try (Connection other = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = other.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
