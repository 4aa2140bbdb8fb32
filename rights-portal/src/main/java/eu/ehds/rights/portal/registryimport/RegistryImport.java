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
import eu.ehds.rights.ledger.store.DisjointBatches;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.GroupCommitter;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import eu.ehds.rights.portal.receipt.SignedDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Moves an existing opt-out registry into the ledger: each row becomes the events a live opt-out records
 * ({@code OptOutRegistered}, and {@code OptOutWithdrawn} when the row has a withdrawal date), carrying the row's
 * original dates, which the decision rule uses; the log orders them by when they were imported.
 *
 * <p>The file is streamed: rows are written {@value #BATCH} at a time, each batch in one transaction (on PostgreSQL
 * two batches at once, sharing no person), so memory does not grow with the file. Each request's idempotency key is derived from the row's content, so a second run of the same
 * file (or of a corrected one) finds what the first recorded and records nothing twice. A row that cannot be recorded
 * (unreadable, or refused: an opt-out already active for that scope, an unknown project) is reported with its line
 * number and reason, never its values; the others are recorded. The run ends with a report signed by the log's key:
 * counts, the input's SHA-256, the first and last leaf written and the checkpoint that covers them.
 */
@Service
public class RegistryImport {

    static final int BATCH = 500;
    /** Batches written at once (PostgreSQL): one runs its commands while another appends and commits. */
    static final int LANES = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryImport.class);
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
        Leaves written = Leaves.NONE;
        /** Where the requests found already recorded are (an earlier run's, maybe stopped midway, or a row's). */
        Leaves recordedBefore = Leaves.NONE;
        final ArrayNode errors;

        Totals(ArrayNode errors) {
            this.errors = errors;
        }
    }

    /**
     * Imports the registry in {@code in} (UTF-8 CSV with the header {@code nir,scope,registered_at,channel,withdrawn_at})
     * and returns the signed report. Every row refused is written to {@code errors} as {@code line,reason}.
     */
    public ObjectNode run(InputStream in, String source, String runBy, Writer errors, LongConsumer progress)
            throws IOException {
        Instant started = clock.instant();
        MessageDigest sha256 = Sha256.digest();
        CountingStream counted = new CountingStream(new DigestInputStream(in, sha256));
        Totals totals = new Totals(json.createArrayNode());
        RegistryRows rows = new RegistryRows(pseudonymiser, started);
        errors.write("line,reason\n");
        long lastLine = 1;
        try (Lanes lanes = new Lanes(totals, errors);
             CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE).missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(new InputStreamReader(withoutBom(counted), StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw new RegistryRowException("the file is empty: its first line must be the header "
                        + String.join(",", RegistryRows.HEADER));
            }
            RegistryRows.requireHeader(records.next().getFields());
            Batches batches = new Batches(lanes, () -> progress.accept(counted.count));
            try {
                while (records.hasNext()) {
                    CsvRecord record = records.next();
                    if (spansLines(record)) {
                        // a quote opened and not closed on its line: the rows after it would be read as one field
                        throw new RegistryRowException("the CSV cannot be read from line "
                                + record.getStartingLineNumber() + ": a quoted field opened there is not closed on "
                                + "that line; the rows before it were imported, none from it on: correct the file and "
                                + "run it again (nothing is recorded twice)");
                    }
                    lastLine = record.getStartingLineNumber();
                    totals.rows++;
                    RegistryRows.Row row;
                    try {
                        row = rows.parse(lastLine, record.getFields());
                    } catch (RegistryRowException e) {
                        refuse(totals, errors, lastLine, e.getMessage());
                        continue;
                    }
                    batches.add(row);
                }
            } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
                batches.finish();
                throw new RegistryRowException("the CSV cannot be read after line " + lastLine + " (a quoted field is "
                        + "not closed, or a line is too long); the rows before it were imported: correct the file and "
                        + "run it again (nothing is recorded twice)");
            } catch (RegistryRowException e) {
                batches.finish();
                throw e;
            }
            batches.finish();
        }
        progress.accept(counted.count);
        errors.flush();
        return report(source, runBy, HexFormat.of().formatHex(sha256.digest()), started, totals);
    }

    /**
     * Fills the batches in the file's order, one row per person in each, so a person's rows are applied in the file's
     * order: a person's next row is carried over to a batch at least two after the one holding the row before it (the
     * batch between can be written beside that one), while other persons' rows go on filling the batches. Rows wait
     * here only while their person is in the last two batches; a person with many rows makes the batches smaller until
     * they are written ({@value #CARRIED_AT_MOST} rows waiting at most), as every repeated person once did.
     */
    private static final class Batches {

        static final int CARRIED_AT_MOST = 4 * BATCH;

        private final Lanes lanes;
        private final Runnable written;
        private List<RegistryRows.Row> batch = new ArrayList<>(BATCH);
        private Set<String> persons = new HashSet<>();
        private Set<String> previous = Set.of();
        private long number; // of the batch being filled
        private final ArrayDeque<RegistryRows.Row> carried = new ArrayDeque<>();
        /** The persons of the rows carried: how many rows, and the batch holding the last of theirs placed. */
        private final Map<String, long[]> carriedPersons = new HashMap<>();

        Batches(Lanes lanes, Runnable written) {
            this.lanes = lanes;
            this.written = written;
        }

        void add(RegistryRows.Row row) throws IOException {
            String person = row.person();
            long[] carry = carriedPersons.get(person);
            if (carry != null) {
                carry[0]++;
                carried.add(row);
            } else if (persons.contains(person) || previous.contains(person)) {
                carriedPersons.put(person, new long[] {1, persons.contains(person) ? number : number - 1});
                carried.add(row);
            } else {
                batch.add(row);
                persons.add(person);
            }
            if (batch.size() == BATCH) {
                next();
            }
            while (carried.size() > CARRIED_AT_MOST) {
                next();
            }
        }

        /** Writes the batch being filled and starts the next with the carried rows now due, in the file's order. */
        private void next() throws IOException {
            lanes.write(batch, persons);
            written.run();
            previous = persons;
            batch = new ArrayList<>(BATCH);
            persons = new HashSet<>();
            number++;
            Set<String> seen = new HashSet<>();
            for (Iterator<RegistryRows.Row> it = carried.iterator(); it.hasNext() && batch.size() < BATCH; ) {
                RegistryRows.Row row = it.next();
                if (!seen.add(row.person())) {
                    continue; // behind an earlier row of the same person
                }
                long[] carry = carriedPersons.get(row.person());
                if (carry[1] + 2 <= number) {
                    it.remove();
                    batch.add(row);
                    persons.add(row.person());
                    carry[1] = number;
                    if (--carry[0] == 0) {
                        carriedPersons.remove(row.person());
                    }
                }
            }
        }

        /** Writes every row added, the carried ones included, and waits until all are written. */
        void finish() throws IOException {
            while (!batch.isEmpty() || !carried.isEmpty()) {
                next();
            }
            lanes.finish();
        }
    }

    /**
     * The batches being written: where the database lets batches run their commands beside each other's
     * ({@link LedgerCommands#writesBatchesTogether}), up to {@value #LANES} at once, each on a thread of its own and
     * none sharing a person with another (so none can change what another read); else one at a time, on the caller's
     * thread. Their answers are counted in the file's order.
     */
    private final class Lanes implements AutoCloseable {

        private record Written(Set<String> persons, Requests requests, Future<List<LedgerCommands.Answer>> answers) {
        }

        private final Totals totals;
        private final Writer errors;
        private final ExecutorService threads;
        private final DisjointBatches batches = new DisjointBatches();
        private final ArrayDeque<Written> writing = new ArrayDeque<>();

        Lanes(Totals totals, Writer errors) {
            this.totals = totals;
            this.errors = errors;
            this.threads = commands.writesBatchesTogether() ? Executors.newFixedThreadPool(LANES, r -> {
                Thread t = new Thread(r, "registry-import");
                t.setDaemon(true);
                return t;
            }) : null;
        }

        /** Starts writing a batch (one row per person), once every batch that shares a person with it is written. */
        void write(List<RegistryRows.Row> batch, Set<String> persons) throws IOException {
            Requests requests = requests(batch);
            if (requests.bulk().isEmpty()) {
                return;
            }
            if (threads == null) {
                count(requests, commands.submitAll(requests.bulk()));
                return;
            }
            while (writing.size() >= LANES
                    || (!writing.isEmpty() && writing.stream().anyMatch(w -> !Collections.disjoint(w.persons(), persons)))) {
                countOldest();
            }
            writing.add(new Written(persons, requests, threads.submit(() -> commands.submitAll(requests.bulk(),
                    batches))));
        }

        /** Waits for the batches being written and counts their answers. */
        void finish() throws IOException {
            while (!writing.isEmpty()) {
                countOldest();
            }
        }

        private void countOldest() throws IOException {
            Written oldest = writing.poll();
            List<LedgerCommands.Answer> answers;
            try {
                answers = oldest.answers().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while importing", e);
            }
            count(oldest.requests(), answers);
        }

        private void count(Requests requests, List<LedgerCommands.Answer> answers) throws IOException {
            for (int i = 0; i < answers.size(); i++) {
                if (!(answers.get(i).refusal() instanceof GroupCommitter.Skipped)) { // its registration was refused
                    RegistryImport.count(answers.get(i), requests.sources().get(i),
                            requests.bulk().get(i).action().equals("opt-outs/withdraw"), totals, errors);
                }
            }
        }

        /** Lets the batches still being written (after a failure) end before the import does. */
        @Override
        public void close() {
            if (threads != null) {
                threads.shutdown();
                try {
                    while (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                        LOG.warn("registry import: still waiting for a batch to be written");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Whether a record's fields hold a line break: no field of a registry row can, so a quote was left open. */
    private static boolean spansLines(CsvRecord record) {
        for (String field : record.getFields()) {
            if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The stream without a UTF-8 byte order mark at its start (spreadsheets write one). */
    private static InputStream withoutBom(InputStream in) throws IOException {
        java.io.PushbackInputStream pushback = new java.io.PushbackInputStream(in, 3);
        byte[] start = new byte[3];
        int n = pushback.readNBytes(start, 0, 3);
        if (!(n == 3 && (start[0] & 0xff) == 0xEF && (start[1] & 0xff) == 0xBB && (start[2] & 0xff) == 0xBF)) {
            pushback.unread(start, 0, n);
        }
        return pushback;
    }

    /** A batch's requests, and the row each comes from. */
    private record Requests(List<LedgerCommands.Bulk> bulk, List<RegistryRows.Row> sources) {
    }

    /**
     * The requests of a batch's rows, written in one transaction (one row per person): each registration followed by
     * its withdrawal, which the writer skips when the registration is refused (it must not withdraw an opt-out recorded
     * otherwise). Each request's key is made from its row.
     */
    private static Requests requests(List<RegistryRows.Row> batch) {
        List<LedgerCommands.Bulk> requests = new ArrayList<>(batch.size() * 2);
        List<RegistryRows.Row> sources = new ArrayList<>(batch.size() * 2);
        for (RegistryRows.Row row : batch) {
            String key = key("register", row);
            requests.add(new LedgerCommands.Bulk("opt-outs/register", new Registered(row.person(), row.scope(),
                    row.channel(), row.registeredAt()), key, new RegisterOptOutCommand(row.person(), row.scope(),
                    row.channel(), RECORDED_BY, row.registeredAt(), key)));
            sources.add(row);
            if (row.withdrawnAt() != null) {
                String withdrawal = key("withdraw", row);
                requests.add(new LedgerCommands.Bulk("opt-outs/withdraw", new Withdrawn(row.person(), row.scope(),
                        row.channel(), row.registeredAt(), row.withdrawnAt()), withdrawal, new WithdrawOptOutCommand(
                        row.person(), row.scope(), row.channel(), RECORDED_BY, row.withdrawnAt(), withdrawal)));
                sources.add(row);
            }
        }
        return new Requests(requests, sources);
    }

    /** Adds an answer to the totals; whether its request is recorded (now or before). */
    private static boolean count(LedgerCommands.Answer answer, RegistryRows.Row row, boolean withdrawal, Totals totals,
                                 Writer errors) throws IOException {
        if (answer.refusal() != null) {
            refuse(totals, errors, row.line(), reason(answer.refusal(), withdrawal));
            return false;
        }
        CommandReceipt receipt = answer.receipt();
        if (receipt.replayed()) {
            totals.alreadyRecorded++;
            totals.recordedBefore = totals.recordedBefore.with(receipt.leafIndex());
            return true;
        }
        if (withdrawal) {
            totals.withdrawals++;
        } else {
            totals.optOuts++;
        }
        totals.written = totals.written.with(receipt.leafIndex());
        return true;
    }

    /** What a retry must repeat exactly (the fingerprint of the request). */
    private record Registered(String person, OptOutScope scope, Channel channel, Instant registeredAt) {
    }

    private record Withdrawn(String person, OptOutScope scope, Channel channel, Instant registeredAt,
                             Instant withdrawnAt) {
    }

    /**
     * A key the ledger accepts (letters, digits, {@code . _ : -}) that only this opt-out makes: the person, scope and
     * registration date (not the channel or the withdrawal date, so that a row corrected in those is recognised, and
     * refused as a different request, rather than recorded a second time).
     */
    private static String key(String action, RegistryRows.Row row) {
        String content = action + "|" + row.person() + "|" + row.scope() + "|" + row.registeredAt();
        return "registry-import:" + Sha256.hex(content.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    /**
     * Why the ledger refused a row, in the import's words: the aggregate's own messages quote the scope's value, which
     * in a registry file might be a misplaced NIR.
     */
    private static String reason(RuntimeException refusal, boolean withdrawal) {
        if (refusal instanceof eu.ehds.rights.ledger.api.common.ConflictException conflict) {
            if (conflict.getMessage() != null && conflict.getMessage().startsWith("idempotencyKey")) {
                return (withdrawal ? "the withdrawal" : "this opt-out") + " was imported before with another "
                        + (withdrawal ? "withdrawal date or channel" : "channel") + "; nothing recorded";
            }
            return withdrawal ? "withdrawal refused: this person has no opt-out in force in this scope"
                    : "refused: an opt-out in this scope is already in force for this person";
        }
        if (refusal instanceof eu.ehds.rights.ledger.api.common.NotFoundException) {
            return "refused: the scope names no project of the register";
        }
        return (withdrawal ? "withdrawal refused (" : "refused (") + refusal.getClass().getSimpleName() + ")";
    }

    private static void refuse(Totals totals, Writer errors, long line, String reason) throws IOException {
        totals.refused++;
        String oneLine = reason.replace('\n', ' ').replace('"', '\'');
        errors.write(line + ",\"" + oneLine + "\"\n");
        if (totals.errors.size() < ERRORS_IN_REPORT) {
            totals.errors.addObject().put("line", line).put("reason", oneLine);
        }
    }

    private ObjectNode report(String source, String runBy, String inputSha256, Instant started, Totals totals) {
        VerifiableLog.SignedCheckpoint checkpoint = log.checkpoint();
        ObjectNode report = json.createObjectNode();
        report.put("kind", "opt-out registry import");
        report.put("source", source);
        report.put("runBy", runBy);
        report.put("inputSha256", inputSha256);
        report.put("startedAt", started.toString());
        report.put("finishedAt", clock.instant().toString());
        report.put("rows", totals.rows);
        report.put("optOutsRecorded", totals.optOuts);
        report.put("withdrawalsRecorded", totals.withdrawals);
        report.put("eventsRecorded", totals.optOuts + totals.withdrawals);
        report.put("alreadyRecorded", totals.alreadyRecorded);
        report.put("rowsRefused", totals.refused);
        totals.written.put(report, "firstLeaf", "lastLeaf");
        totals.recordedBefore.put(report, "alreadyRecordedFirstLeaf", "alreadyRecordedLastLeaf");
        report.put("recordedBy", RECORDED_BY);
        report.put("treeSize", checkpoint.treeSize());
        report.put("checkpoint", checkpoint.note());
        report.set("errors", totals.errors);
        report.put("errorsInReport", totals.errors.size());
        SignedDocuments.sign(signer, REPORT_CONTEXT, report);
        return report;
    }

    /** The lowest and highest of some leaves ({@link #NONE} before the first). */
    private record Leaves(long first, long last) {
        static final Leaves NONE = new Leaves(-1, -1);

        Leaves with(long leaf) {
            return first < 0 ? new Leaves(leaf, leaf) : new Leaves(Math.min(first, leaf), Math.max(last, leaf));
        }

        /** Puts the range in the report, or two nulls when there is none. */
        void put(ObjectNode report, String firstField, String lastField) {
            if (first < 0) {
                report.putNull(firstField);
                report.putNull(lastField);
            } else {
                report.put(firstField, first);
                report.put(lastField, last);
            }
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
