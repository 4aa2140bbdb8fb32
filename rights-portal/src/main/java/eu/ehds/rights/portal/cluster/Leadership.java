package eu.ehds.rights.portal.cluster;

import com.zaxxer.hikari.HikariDataSource;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.portal.ledger.PostgresPool;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node runs a job that must run once for the whole service (anchoring): the node holding a PostgreSQL session
 * advisory lock named after the job. The lock lives on a connection of its own, outside the pool, so that it ends
 * with the node: when the leader dies its session closes, the lock is released and the next node to ask takes it.
 * A leader that stops asking (frozen, cut off by the network) keeps the lead only for its lease: each time it asks, its
 * session is touched, and PostgreSQL ends a session left idle longer than that ({@code idle_session_timeout},
 * PostgreSQL 14 and later). On the embedded database only one process can run, so it always leads.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The shortest lease: longer than any step of a job between two of its questions (a network call has 20 s). */
    static final Duration LEASE = Duration.ofMinutes(2);

    private final String job;
    private final Duration lease;
    private final long key;
    private final HikariDataSource postgres; // null on the embedded database
    private Connection held;
    private boolean noLease; // the database refused the lease once: said once, not at every try

    public Leadership(DataSource dataSource, String job) {
        this(dataSource, job, LEASE);
    }

    /** A job that asks every {@code interval}: its lease is {@link #LEASE}, or three intervals if that is longer. */
    public static Leadership askingEvery(DataSource dataSource, String job, Duration interval) {
        Duration threeIntervals = interval.multipliedBy(3);
        return new Leadership(dataSource, job, threeIntervals.compareTo(LEASE) > 0 ? threeIntervals : LEASE);
    }

    Leadership(DataSource dataSource, String job, Duration lease) {
        this.job = job;
        this.lease = lease;
        this.key = ByteBuffer.wrap(Sha256.of("rights-ledger leadership " + job)).getLong();
        this.postgres = PostgresPool.of(dataSource).orElse(null);
    }

    /** Whether this node leads the job now; asks for the lead when it does not hold it. */
    public synchronized boolean holds() {
        if (postgres == null) {
            return true;
        }
        try {
            if (held != null && held.isValid(2)) {
                return true;
            }
            release();
            Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                    postgres.getPassword());
            expireWhenIdle(c);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, key);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        held = c;
                        LOG.info("this node now leads {}", job);
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            LOG.warn("cannot tell whether this node leads {}: {}", job, e.getMessage());
            release();
            return false;
        }
    }

    /** Lets PostgreSQL end the session, and the lock with it, once the node has not asked for a whole lease. */
    private void expireWhenIdle(Connection c) {
        try (Statement set = c.createStatement()) {
            set.execute("SET idle_session_timeout = '" + lease.toMillis() + "ms'");
        } catch (SQLException e) { // before PostgreSQL 14: a frozen leader keeps the lead until it thaws
            if (!noLease) {
                LOG.warn("the lead of {} has no lease on this database: {}", job, e.getMessage());
                noLease = true;
            }
        }
    }

    private void release() {
        if (held != null) {
            try {
                held.close(); // ends the session, and the lock with it
            } catch (SQLException e) {
                LOG.debug("closing the leadership connection of {}: {}", job, e.getMessage());
            }
            held = null;
        }
    }

    @Override
    public synchronized void close() {
        release();
    }
}
