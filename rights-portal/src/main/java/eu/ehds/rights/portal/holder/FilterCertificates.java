package eu.ehds.rights.portal.holder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.log.CanonicalJson;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.receipt.SignedDocuments;
import eu.ehds.rights.projections.decision.RuleMode;
import eu.ehds.rights.projections.extract.FilterOutcome;
import java.time.Instant;
import java.util.Base64;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Filter certificates: signed JSON binding a filtered extract to its project, permit, data holder, the log state
 * the opt-outs were read at, the hashes of input and output, the counts and the ledger's record of the delivery.
 *
 * <p>The signature is Ed25519, by the log's key, over {@value #CONTEXT} followed by the canonical JSON of the
 * certificate without its {@code signature} member.
 */
@Service
public class FilterCertificates {

    static final String CONTEXT = "rights-ledger filter certificate v1\n";

    /** Everything a certificate states. */
    record Facts(String filterId, String projectId, String permitId, String dataHolder, String dataset, RuleMode rule,
                 Instant extractAt, long treeSize, byte[] rootHash, FilterOutcome outcome, String cohortKeysSha256,
                 String usageId, CommandReceipt usage, Instant issuedAt) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final NoteSigner signer;
    private final JdbcClient jdbc;

    FilterCertificates(NoteSigner signer, JdbcClient jdbc) {
        this.signer = signer;
        this.jdbc = jdbc;
    }

    String issue(Facts f, String errorReport) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "rights-ledger/filter-certificate");
        body.put("version", 1);
        body.put("filterId", f.filterId());
        body.put("projectId", f.projectId());
        body.put("permitId", f.permitId());
        body.put("dataHolder", f.dataHolder());
        body.put("dataset", f.dataset());
        body.put("rule", f.rule().name());
        body.put("extractAt", f.extractAt().toString());
        ObjectNode checkpoint = body.putObject("log");
        checkpoint.put("origin", signer.keyName());
        checkpoint.put("treeSize", f.treeSize());
        checkpoint.put("rootHash", Base64.getEncoder().encodeToString(f.rootHash()));
        ObjectNode counts = body.putObject("counts");
        counts.put("rows", f.outcome().rows());
        counts.put("allowed", f.outcome().allowed());
        counts.put("excluded", f.outcome().excluded());
        counts.put("errors", f.outcome().errors());
        body.put("inputSha256", f.outcome().inputSha256());
        body.put("outputSha256", f.outcome().outputSha256());
        body.put("cohortCommitment", f.outcome().cohortCommitment());
        body.put("cohortKeysSha256", f.cohortKeysSha256());
        ObjectNode usage = body.putObject("usage");
        usage.put("usageId", f.usageId());
        usage.put("leafIndex", f.usage().leafIndex());
        usage.put("treeSize", f.usage().treeSize());
        body.put("issuedAt", f.issuedAt().toString());

        SignedDocuments.sign(signer, CONTEXT, body);
        String certificate = CanonicalJson.toString(body);
        jdbc.sql("INSERT INTO filter_certificate (filter_id, data_holder, project_id, certificate, error_report) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(f.filterId(), f.dataHolder(), f.projectId(), certificate, errorReport).update();
        return certificate;
    }

    /** A past delivery of a data holder, newest first in {@link #deliveries}. */
    record Delivery(String filterId, String projectId, Instant createdAt, String certificate) {
    }

    /** A data holder's own deliveries, most recent first (at most {@code limit}). */
    java.util.List<Delivery> deliveries(String dataHolder, int limit) {
        return jdbc.sql("SELECT filter_id, project_id, created_at, certificate FROM filter_certificate "
                        + "WHERE data_holder = ? ORDER BY created_at DESC LIMIT " + limit)
                .param(dataHolder)
                .query((rs, n) -> new Delivery(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .list();
    }

    java.util.Optional<String> find(String filterId, String dataHolder) {
        return jdbc.sql("SELECT certificate FROM filter_certificate WHERE filter_id = ? AND data_holder = ?")
                .params(filterId, dataHolder).query(String.class).optional();
    }

    /** A certificate, only for the data holder it was issued to. */
    String certificate(String filterId, String dataHolder) {
        return column("certificate", filterId, dataHolder);
    }

    String errorReport(String filterId, String dataHolder) {
        return column("error_report", filterId, dataHolder);
    }

    private String column(String column, String filterId, String dataHolder) {
        return jdbc.sql("SELECT " + column + " FROM filter_certificate WHERE filter_id = ? AND data_holder = ?")
                .params(filterId, dataHolder).query(String.class).optional()
                .orElseThrow(() -> new NotFoundException("no filtered extract '" + filterId + "' for this data holder"));
    }
}
