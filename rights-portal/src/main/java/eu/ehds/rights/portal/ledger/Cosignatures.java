package eu.ehds.rights.portal.ledger;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Witnesses' cosignatures on the log's stored checkpoints, as verified when they arrived: one per size and witness. */
@Repository
public class Cosignatures {

    private final JdbcClient jdbc;

    public Cosignatures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a cosignature line once (the first one for a size and witness stands). */
    public void save(long treeSize, String witness, String line, long cosignedAt) {
        jdbc.sql("INSERT INTO log_cosignature (tree_size, witness, signature, cosigned_at) SELECT ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM log_cosignature WHERE tree_size = ? AND witness = ?)")
                .params(treeSize, witness, line, cosignedAt, treeSize, witness).update();
    }

    /** The cosignature lines on the checkpoint of a size, each ending with a newline; empty when none. */
    public List<String> at(long treeSize) {
        return jdbc.sql("SELECT signature FROM log_cosignature WHERE tree_size = ? ORDER BY witness")
                .param(treeSize).query(String.class).list();
    }

    /** The largest tree size a witness has cosigned. */
    public Optional<Long> latest() {
        return jdbc.sql("SELECT MAX(tree_size) FROM log_cosignature").query((rs, n) -> rs.getObject(1, Long.class))
                .list().stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** The note with the cosignatures appended after the log's own signature (note readers ignore unknown keys). */
    public String withCosignatures(long treeSize, String note) {
        List<String> lines = at(treeSize);
        return lines.isEmpty() ? note : note + String.join("", lines);
    }
}
