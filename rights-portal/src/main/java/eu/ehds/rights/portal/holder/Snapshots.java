package eu.ehds.rights.portal.holder;

import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.projections.decision.ProjectRegister;
import eu.ehds.rights.projections.decision.RuleMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Keeps track of the opt-out snapshots issued, so that offline reports can be certified against them. */
@Service
class Snapshots {

    /** How long a snapshot may be filtered against: opt-outs and withdrawals keep coming. */
    static final Duration VALIDITY = Duration.ofHours(24);

    record Issued(String snapshotId, String projectId, String dataset, String permitId, RuleMode rule,
                  Instant extractAt, Instant validUntil, long treeSize) {
    }

    private final JdbcClient jdbc;
    private final NoteSigner signer;

    Snapshots(JdbcClient jdbc, NoteSigner signer) {
        this.jdbc = jdbc;
        this.signer = signer;
    }

    /** Records a new snapshot and returns the statements its signed text will carry. */
    Map<String, String> issue(ProjectRegister.Sheet sheet, String dataHolder, String dataset, RuleMode rule,
                              Instant extractAt, long treeSize, byte[] rootHash) {
        String id = "snp-" + UUID.randomUUID();
        Instant validUntil = extractAt.plus(VALIDITY);
        jdbc.sql("INSERT INTO opt_out_snapshot (snapshot_id, data_holder, project_id, dataset, permit_id, rule, "
                        + "extract_at, valid_until, tree_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, dataHolder, sheet.projectId(), dataset, sheet.permitId(), rule.name(), extractAt.toString(),
                        validUntil.toString(), treeSize)
                .update();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("snapshot", id);
        fields.put("origin", signer.keyName());
        fields.put("project", sheet.projectId());
        fields.put("permit", sheet.permitId());
        fields.put("dataHolder", dataHolder);
        fields.put("dataset", dataset);
        fields.put("rule", rule.name());
        fields.put("extractAt", extractAt.toString());
        fields.put("validUntil", validUntil.toString());
        fields.put("treeSize", Long.toString(treeSize));
        fields.put("rootHash", Base64.getEncoder().encodeToString(rootHash));
        return fields;
    }

    Issued find(String snapshotId, String dataHolder) {
        return jdbc.sql("SELECT snapshot_id, project_id, dataset, permit_id, rule, extract_at, valid_until, tree_size "
                        + "FROM opt_out_snapshot WHERE snapshot_id = ? AND data_holder = ?")
                .params(snapshotId, dataHolder)
                .query((rs, n) -> new Issued(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        RuleMode.valueOf(rs.getString(5)), Instant.parse(rs.getString(6)), Instant.parse(rs.getString(7)),
                        rs.getLong(8)))
                .optional()
                .orElseThrow(() -> new NotFoundException("no snapshot '" + snapshotId + "' issued to this data holder"));
    }
}
