package eu.ehds.rights.portal.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's transaction manager: on PostgreSQL a plain JDBC one (its commit is durable); on the embedded H2
 * file database it makes a commit durable before the caller goes on to answer.
 *
 * <p>H2 by default writes a commit to its file up to 500 ms later (its {@code WRITE_DELAY}): a SIGKILL in that window
 * lost opt-outs already answered 201. Here H2 writes each commit at once ({@code SET WRITE_DELAY 0}, which survives a
 * crash of the process), and this manager then forces the file to the disk ({@code fsync}), so that a commit also
 * survives a power loss or a crash of the operating system. Committers that arrive while a force is under way share
 * the next one, so concurrent commands pay about one force between them.
 */
public class DurableTransactionManager extends JdbcTransactionManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableTransactionManager.class);

    private final Object counters = new Object();
    private final Object forcing = new Object();
    private FileChannel file; // the H2 file, or null on a server database
    private long committed; // commits that asked for a force
    private long forced; // commits covered by a completed force

    public DurableTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public void afterPropertiesSet() {
        super.afterPropertiesSet();
        if (file != null) {
            return; // the constructor already called this; Spring calls it again
        }
        try (Connection connection = obtainDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            statement.execute("SET WRITE_DELAY 0");
            try (ResultSet path = statement.executeQuery("SELECT DATABASE_PATH()")) {
                if (path.next() && path.getString(1) != null) {
                    Path store = Path.of(path.getString(1) + ".mv.db");
                    if (Files.isRegularFile(store)) {
                        PrivateFiles.restrict(store); // events name pseudonyms, the vault's tables hold ciphertext
                        file = FileChannel.open(store, StandardOpenOption.READ);
                        LOG.info("embedded database: every commit is written and forced to disk before it is answered");
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot make the embedded database durable: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        super.doCommit(status);
        if (file != null) {
            force();
        }
    }

    /**
     * A rollback that fails because the connection is gone (the database crashed or restarted, the pool closed the
     * broken connection) reports the outage it is: Spring lets a failed rollback replace the failure of the commit it
     * follows, and the pool's "Connection is closed" carries no SQL state, so a commit lost with the database was
     * answered 500 instead of 503 (to send again with the same idempotency key).
     */
    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (TransactionSystemException e) {
            if (connectionLost()) {
                throw new DataAccessResourceFailureException("the database connection was lost; the transaction "
                        + "was not committed, or its outcome is unknown", e);
            }
            throw e;
        }
    }

    private boolean connectionLost() {
        if (!(TransactionSynchronizationManager.getResource(obtainDataSource()) instanceof ConnectionHolder holder)
                || holder.getConnectionHandle() == null) {
            return true;
        }
        try {
            return holder.getConnection().isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Forces the file unless a force that began after this commit has already completed. */
    private void force() {
        long ticket;
        synchronized (counters) {
            ticket = ++committed;
        }
        synchronized (forcing) {
            if (forced >= ticket) {
                return; // another committer's force covered this commit
            }
            long covered;
            synchronized (counters) {
                covered = committed;
            }
            try {
                file.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded database could not be forced to disk", e);
            }
            forced = covered;
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("closing the embedded database's file: {}", e.getMessage());
            }
        }
    }
}
