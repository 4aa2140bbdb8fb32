package eu.ehds.rights.portal.ledger;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * On PostgreSQL every connection waits at most {@code lockTimeout} for a lock and a transaction left idle is ended
 * after {@code idleInTransaction}: appends queue on the log's lock, so one stuck transaction must not stall every
 * writer for ever. A writer that times out is answered 503 and retries with its idempotency key. H2 (one process)
 * keeps its defaults. Batched inserts are sent as multi-row inserts ({@code reWriteBatchedInserts}): the writer of a
 * batch inserts its events, leaves and idempotency records as three statements rather than three per command.
 */
final class PostgresSessionLimits implements BeanPostProcessor {

    private final String lockTimeout;
    private final String idleInTransaction;

    PostgresSessionLimits(String lockTimeout, String idleInTransaction) {
        this.lockTimeout = requireDuration(lockTimeout);
        this.idleInTransaction = requireDuration(idleInTransaction);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        PostgresPool.of(bean).filter(pool -> pool.getConnectionInitSql() == null).ifPresent(pool -> {
            pool.setConnectionInitSql("SET lock_timeout = '" + lockTimeout + "'; "
                    + "SET idle_in_transaction_session_timeout = '" + idleInTransaction + "'");
            pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        });
        return bean;
    }

    /** PostgreSQL durations such as {@code 5s} or {@code 60000ms}: nothing else reaches the SQL. */
    private static String requireDuration(String value) {
        if (value == null || !value.matches("\\d{1,9}(ms|s|min)")) {
            throw new IllegalArgumentException("a database timeout is a number followed by ms, s or min: " + value);
        }
        return value;
    }
}
