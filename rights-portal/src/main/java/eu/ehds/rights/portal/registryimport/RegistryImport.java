package eu.ehds.rights.portal.registryimport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.receipt.SignedDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Service;

/**
 * Moves an existing opt-out registry into the ledger: each row becomes the events a live opt-out records
 * ({@code OptOutRegistered}, and {@code OptOutWithdrawn} when the row has a withdrawal date), carrying the row's
 * original dates, which the decision rule uses; the log orders them by when they were imported.
 *
 * <p>The file is streamed: rows are written {@value #BATCH} at a time, each batch in one transaction, so memory does
 * not grow with the file. Each request's idempotency key is derived from the row's content, so a second run of the same
 * file (or of a corrected one) finds what the first recorded and records nothing twice. A row that cannot be recorded
 * (unreadable, or refused: an opt-out already active for that scope, an unknown project) is reported with its line
 * number and reason, never its values; the others are recorded. The run ends with a report signed by the log's key:
 * counts, the input's SHA-256, the first and last leaf written and the checkpoint that covers them.
 */
@Service
public class RegistryImport {

    static final int BATCH = 500;
    static final String RECORDED_BY = "registry-import";
    static final String REPORT_CONTEXT = "rights-ledger registry import report v1\n";
    /** Errors kept in the report itself; all of them go to the errors file. */
    static final int ERRORS_IN_REPORT = 100;

    private final LedgerCommands commands;
    private final Pseudonymiser pseudonymiser;
    private final VerifiableLog log;
    private final NoteSigner signer;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public RegistryImport(LedgerCommands commands, Pseudonymiser pseudonymiser, VerifiableLog log, NoteSigner signer,
                          Clock clock) {
        this.commands = commands;
        this.pseudonymiser = pseudonymiser;
        this.log = log;
        this.signer = signer;
        this.clock = clock;
    }

    /** Totals as the import goes; {@code progress} is told the bytes read after each batch. */
    private static final class Totals {
        long rows;
        long optOuts;
        long withdrawals;
        long alreadyRecorded;
        long refused;
        long firstLeaf = -1;
        long lastLeaf = -1;
        final ArrayNode errors;

        Totals(ArrayNode errors) {
            this.errors = errors;
        }
    }

    /**
     * Imports the registry in {@code in} (UTF-8 CSV with the header {@code nir,scope,registered_at,channel,withdrawn_at})
     * and returns the signed report. Every row refused is written to {@code errors} as {@code line,reason}.
     */
    public ObjectNode run(InputStream in, String source, Writer errors, LongConsumer progress) throws IOException {
        Instant started = clock.instant();
        MessageDigest sha256 = sha256();
        CountingStream counted = new CountingStream(new DigestInputStream(in, sha256));
        Totals totals = new Totals(json.createArrayNode());
        RegistryRows rows = new RegistryRows(pseudonymiser, started);
        errors.write("line,reason\n");
        try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE).missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(new InputStreamReader(counted, StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw new RegistryRowException("the file is empty: its first line must be the header "
                        + String.join(",", RegistryRows.HEADER));
            }
            CsvRecord header = records.next();
            RegistryRows.requireHeader(stripBom(header.getFields()));
            List<RegistryRows.Row> batch = new ArrayList<>(BATCH);
            while (records.hasNext()) {
                CsvRecord record = records.next();
                totals.rows++;
                try {
                    batch.add(rows.parse(record.getStartingLineNumber(), record.getFields()));
                } catch (RegistryRowException e) {
                    refuse(totals, errors, record.getStartingLineNumber(), e.getMessage());
                }
                if (batch.size() == BATCH) {
                    write(batch, totals, errors);
                    batch.clear();
                    progress.accept(counted.count);
                }
            }
            write(batch, totals, errors);
            progress.accept(counted.count);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new RegistryRowException("the CSV cannot be read after line " + (totals.rows + 1)
                    + ": " + e.getMessage() + "; rows before it were imported, run the file again once corrected");
        }
        errors.flush();
        return report(source, HexFormat.of().formatHex(sha256.digest()), started, totals);
    }

    /**
     * The batch's registrations in one transaction, then, in a second, the withdrawals of the rows whose registration
     * is recorded (now or by an earlier run): a refused registration must not withdraw an opt-out recorded otherwise.
     * Each request's key is made from its row.
     */
    private void write(List<RegistryRows.Row> batch, Totals totals, Writer errors) throws IOException {
        List<LedgerCommands.Bulk> registrations = new ArrayList<>(batch.size());
        List<RegistryRows.Row> registered = new ArrayList<>(batch.size());
        Set<String> keys = new HashSet<>();
        for (RegistryRows.Row row : batch) {
            String key = key("register", row);
            if (!keys.add(key)) { // the same row twice in a batch: recorded once, like a row of an earlier run
                totals.alreadyRecorded++;
                continue;
            }
            registrations.add(new LedgerCommands.Bulk("opt-outs/register", new Registered(row.person(), row.scope(),
                    row.channel(), row.registeredAt()), key, new RegisterOptOutCommand(row.person(), row.scope(),
                    row.channel(), RECORDED_BY, row.registeredAt(), key)));
            registered.add(row);
        }
        List<LedgerCommands.Bulk> withdrawals = new ArrayList<>();
        List<RegistryRows.Row> withdrawn = new ArrayList<>();
        List<LedgerCommands.Answer> answers = registrations.isEmpty() ? List.of() : commands.submitAll(registrations);
        for (int i = 0; i < answers.size(); i++) {
            RegistryRows.Row row = registered.get(i);
            if (count(answers.get(i), row, false, totals, errors) && row.withdrawnAt() != null) {
                String key = key("withdraw", row);
                withdrawals.add(new LedgerCommands.Bulk("opt-outs/withdraw", new Withdrawn(row.person(), row.scope(),
                        row.channel(), row.registeredAt(), row.withdrawnAt()), key, new WithdrawOptOutCommand(
                        row.person(), row.scope(), row.channel(), RECORDED_BY, row.withdrawnAt(), key)));
                withdrawn.add(row);
            }
        }
        answers = withdrawals.isEmpty() ? List.of() : commands.submitAll(withdrawals);
        for (int i = 0; i < answers.size(); i++) {
            count(answers.get(i), withdrawn.get(i), true, totals, errors);
        }
    }

    /** Adds an answer to the totals; whether its request is recorded (now or before). */
    private static boolean count(LedgerCommands.Answer answer, RegistryRows.Row row, boolean withdrawal, Totals totals,
                                 Writer errors) throws IOException {
        if (answer.refusal() != null) {
            refuse(totals, errors, row.line(), (withdrawal ? "withdrawal refused: " : "refused: ")
                    + answer.refusal().getMessage());
            return false;
        }
        CommandReceipt receipt = answer.receipt();
        if (receipt.replayed()) {
            totals.alreadyRecorded++;
            return true;
        }
        if (withdrawal) {
            totals.withdrawals++;
        } else {
            totals.optOuts++;
        }
        totals.firstLeaf = totals.firstLeaf < 0 ? receipt.leafIndex() : Math.min(totals.firstLeaf,
                receipt.leafIndex());
        totals.lastLeaf = Math.max(totals.lastLeaf, receipt.leafIndex());
        return true;
    }

    /** What a retry must repeat exactly (the fingerprint of the request). */
    private record Registered(String person, OptOutScope scope, Channel channel, Instant registeredAt) {
    }

    private record Withdrawn(String person, OptOutScope scope, Channel channel, Instant registeredAt,
                             Instant withdrawnAt) {
    }

    /** A key the ledger accepts (letters, digits, {@code . _ : -}) that only this row's content makes. */
    private static String key(String action, RegistryRows.Row row) {
        String content = action + "|" + row.person() + "|" + row.scope() + "|" + row.registeredAt() + "|"
                + row.channel() + "|" + row.withdrawnAt();
        return "registry-import:" + Sha256.hex(content.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    private static void refuse(Totals totals, Writer errors, long line, String reason) throws IOException {
        totals.refused++;
        String oneLine = reason.replace('\n', ' ').replace('"', '\'');
        errors.write(line + ",\"" + oneLine + "\"\n");
        if (totals.errors.size() < ERRORS_IN_REPORT) {
            totals.errors.addObject().put("line", line).put("reason", oneLine);
        }
    }

    private ObjectNode report(String source, String inputSha256, Instant started, Totals totals) {
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        ObjectNode report = json.createObjectNode();
        report.put("kind", "opt-out registry import");
        report.put("source", source);
        report.put("inputSha256", inputSha256);
        report.put("startedAt", started.toString());
        report.put("finishedAt", clock.instant().toString());
        report.put("rows", totals.rows);
        report.put("optOutsRecorded", totals.optOuts);
        report.put("withdrawalsRecorded", totals.withdrawals);
        report.put("eventsRecorded", totals.optOuts + totals.withdrawals);
        report.put("alreadyRecorded", totals.alreadyRecorded);
        report.put("rowsRefused", totals.refused);
        if (totals.firstLeaf >= 0) {
            report.put("firstLeaf", totals.firstLeaf);
            report.put("lastLeaf", totals.lastLeaf);
        } else {
            report.putNull("firstLeaf");
            report.putNull("lastLeaf");
        }
        report.put("recordedBy", RECORDED_BY);
        report.put("treeSize", checkpoint.treeSize());
        report.put("checkpoint", checkpoint.note());
        report.set("errors", totals.errors);
        report.put("errorsInReport", totals.errors.size());
        SignedDocuments.sign(signer, REPORT_CONTEXT, report);
        return report;
    }

    private static List<String> stripBom(List<String> fields) {
        if (fields.isEmpty() || !fields.get(0).startsWith("\uFEFF")) {
            return fields;
        }
        List<String> stripped = new ArrayList<>(fields);
        stripped.set(0, fields.get(0).substring(1));
        return stripped;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }
}
