package eu.ehds.rights.portal.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Optional;

/** The application's pool when it connects to PostgreSQL (the store nodes share), empty on the embedded database. */
public final class PostgresPool {

    private PostgresPool() {
    }

    public static Optional<HikariDataSource> of(Object dataSource) {
        return dataSource instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().startsWith("jdbc:postgresql:") ? Optional.of(pool) : Optional.empty();
    }
}
