package eu.ehds.rights.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database with the notifications' own migration applied (the one Flyway runs in the app). */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static DataSource fresh() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        for (String migration : new String[] {"/db/migration/h2/V6__notifications.sql",
                "/db/migration/common/V9__outbox_claims.sql", "/db/migration/common/V11__vault_key_format.sql"}) {
            try (InputStream in = TestDatabase.class.getResourceAsStream(migration);
                 Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
                for (String statement : sql.split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            } catch (IOException | SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return ds;
    }
}
