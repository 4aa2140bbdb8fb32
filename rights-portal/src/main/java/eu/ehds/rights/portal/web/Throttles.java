package eu.ehds.rights.portal.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import eu.ehds.rights.portal.ledger.PostgresPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Named counts (rate-limit buckets, failed sign-ins) held for the whole service: in the shared PostgreSQL database
 * when nodes share one, so that a limit is the service's and not nodes × limit; in memory on the embedded database,
 * where one process is the whole service. A count untouched for {@link #IDLE} is forgotten.
 */
public abstract class Throttles {

    /** The longest any user of these counts needs one kept: a count untouched that long is as good as none. */
    public static final Duration IDLE = Duration.ofHours(1);

    /** An amount (tokens left, failures counted) and since when, in milliseconds of the wall clock. */
    public record Count(double amount, long since) {
    }

    /** Now, in the milliseconds the counts are kept in. */
    public abstract long now();

    /** The counts of those names that have one, by name (one query in the database: a request reads several). */
    public abstract Map<String, Count> read(Collection<String> names);

    /**
     * Replaces the count of that name (null when there is none) by what {@code change} returns, atomically for the
     * whole service; {@code change} runs once.
     */
    public abstract void update(String name, UnaryOperator<Count> change);

    /** On PostgreSQL, the shared database; otherwise in this process's memory. */
    public static Throttles of(DataSource dataSource, int maxInMemory) {
        if (PostgresPool.of(dataSource).isPresent()) {
            return new InDatabase(dataSource, System::currentTimeMillis);
        }
        return inMemory(maxInMemory, System::currentTimeMillis, Runnable::run);
    }

    /**
     * Bounded: past {@code max} counts the cache evicts those seen least often and least recently (Caffeine's
     * W-TinyLFU), so that a flood of new names cannot reset the count of a name that keeps trying.
     */
    public static Throttles inMemory(int max, LongSupplier millis, Executor maintenance) {
        Cache<String, Count> counts = Caffeine.newBuilder().maximumSize(max).expireAfterAccess(IDLE)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(millis.getAsLong())).executor(maintenance).build();
        return new Throttles() {
            @Override
            public long now() {
                return millis.getAsLong();
            }

            @Override
            public Map<String, Count> read(Collection<String> names) {
                return counts.getAllPresent(names);
            }

            @Override
            public void update(String name, UnaryOperator<Count> change) {
                counts.asMap().compute(name, (k, current) -> change.apply(current));
            }
        };
    }

    /** One row per count, locked while it changes; old rows are deleted as they are met, a few at a time. */
    static final class InDatabase extends Throttles {

        private final DataSource dataSource;
        private final LongSupplier millis;

        InDatabase(DataSource dataSource, LongSupplier millis) {
            this.dataSource = dataSource;
            this.millis = millis;
        }

        @Override
        public long now() {
            return millis.getAsLong();
        }

        @Override
        public Map<String, Count> read(Collection<String> names) {
            Map<String, Count> found = new HashMap<>();
            try (Connection c = dataSource.getConnection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT name, amount, since_millis FROM throttle WHERE name = ANY (?)")) {
                q.setArray(1, c.createArrayOf("varchar", names.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(3) > now() - IDLE.toMillis()) {
                            found.put(rs.getString(1), new Count(rs.getDouble(2), rs.getLong(3)));
                        }
                    }
                }
                return found;
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the counts " + names, e);
            }
        }

        @Override
        public void update(String name, UnaryOperator<Count> change) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    Count current = lock(c, name);
                    Count next = change.apply(current);
                    write(c, name, current, next);
                    forgetIdle(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not update the count " + name, e);
            }
        }

        /** The row, locked until commit; a missing row is created first so that two nodes cannot both miss it. */
        private Count lock(Connection c, String name) throws SQLException {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO throttle (name, amount, since_millis) "
                    + "VALUES (?, 0, 0) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, name);
                insert.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT amount, since_millis FROM throttle WHERE name = ? FOR UPDATE")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long since = rs.getLong(2);
                    return since <= now() - IDLE.toMillis() ? null : new Count(rs.getDouble(1), since);
                }
            }
        }

        private static void write(Connection c, String name, Count current, Count next) throws SQLException {
            if (next == null) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM throttle WHERE name = ?")) {
                    delete.setString(1, name);
                    delete.executeUpdate();
                }
                return;
            }
            if (next.equals(current)) {
                return;
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE throttle SET amount = ?, since_millis = ? WHERE name = ?")) {
                update.setDouble(1, next.amount());
                update.setLong(2, next.since());
                update.setString(3, name);
                update.executeUpdate();
            }
        }

        /** Rows idle past {@link #IDLE}: deleting a few per update keeps the table as small as the live counts. */
        private void forgetIdle(Connection c) throws SQLException {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM throttle WHERE name IN (SELECT name FROM "
                    + "throttle WHERE since_millis < ? LIMIT 10 FOR UPDATE SKIP LOCKED)")) {
                delete.setLong(1, now() - IDLE.toMillis());
                delete.executeUpdate();
            }
        }
    }
}
