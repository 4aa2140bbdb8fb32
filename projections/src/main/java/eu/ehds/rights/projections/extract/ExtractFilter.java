package eu.ehds.rights.projections.extract;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.writer.CsvWriter;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PushbackInputStream;
import java.io.Writer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Filters an extract against the persons excluded from a project (or, for a consent project, the only persons who
 * may be delivered: {@link #onlyFor}), streaming, in memory independent of the extract's size. Input: one identifier per line (an optional first line that is not an identifier is kept as a
 * header), or CSV with a header naming the identifier column; gzip is recognised by its magic bytes. An
 * identifier is a ledger pseudonym (32 lowercase hex characters) or a NIR. Allowed rows are copied to the output;
 * an unreadable row is reported with its line number and never stops the file.
 *
 * <pre>{@code
 * FilterOutcome outcome = new ExtractFilter(excluded, pseudonymiser)
 *         .filter(in, out, ErrorReport.csv(errorsOut), null, bytes -> progress.stepTo(bytes));
 * }</pre>
 */
public final class ExtractFilter {

    /** Receives each unreadable row. */
    @FunctionalInterface
    public interface ErrorSink {
        void error(long line, String message);

        /** A row refused with a code, which a page may translate; by default its English message. */
        default void refused(long line, InvalidRequestException refusal) {
            error(line, refusal.getMessage());
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final PseudonymSet listed;
    /** Whether the set lists the only persons who may be delivered (a consent project) rather than those left out. */
    private final boolean onlyListed;
    private final Pseudonymiser pseudonymiser;

    /**
     * @param excluded      the persons to leave out (an opt-out project)
     * @param pseudonymiser turns NIR rows into pseudonyms; {@code null} when only pseudonyms are accepted
     */
    public ExtractFilter(PseudonymSet excluded, Pseudonymiser pseudonymiser) {
        this(excluded, false, pseudonymiser);
    }

    private ExtractFilter(PseudonymSet listed, boolean onlyListed, Pseudonymiser pseudonymiser) {
        this.listed = java.util.Objects.requireNonNull(listed, "the set of persons");
        this.onlyListed = onlyListed;
        this.pseudonymiser = pseudonymiser;
    }

    /**
     * A filter for a set of persons: those left out, or ({@code onlyListed}, a consent project) the only ones delivered.
     */
    public static ExtractFilter of(PseudonymSet persons, boolean onlyListed, Pseudonymiser pseudonymiser) {
        return new ExtractFilter(persons, onlyListed, pseudonymiser);
    }

    /**
     * A filter that delivers only the persons in {@code allowed} (a consent project: those whose consent is in
     * force); everyone else is left out, so an empty set delivers nobody.
     */
    public static ExtractFilter onlyFor(PseudonymSet allowed, Pseudonymiser pseudonymiser) {
        return new ExtractFilter(allowed, true, pseudonymiser);
    }

    /**
     * @param column   name of the identifier column of a CSV input, or {@code null} for one identifier per line
     * @param progress told the number of input bytes read so far (may be {@code null})
     */
    public FilterOutcome filter(InputStream input, OutputStream output, ErrorSink errors, String column,
                                LongConsumer progress) throws IOException {
        return filter(input, output, errors, column, progress, null);
    }

    /**
     * As {@link #filter(InputStream, OutputStream, ErrorSink, String, LongConsumer)}, also handing each delivered
     * person's key, in output order, to {@code delivered} (may be {@code null}).
     */
    public FilterOutcome filter(InputStream input, OutputStream output, ErrorSink errors, String column,
                                LongConsumer progress, LongConsumer delivered) throws IOException {
        return filter(input, output, errors, column, progress, delivered, null);
    }

    /**
     * As {@link #filter(InputStream, OutputStream, ErrorSink, String, LongConsumer, LongConsumer)}, also handing the
     * key of each person the filter left out, in input order, to {@code left} (may be {@code null}): so that a person
     * can later be told exactly which extracts they were in and left out of.
     */
    public FilterOutcome filter(InputStream input, OutputStream output, ErrorSink errors, String column,
                                LongConsumer progress, LongConsumer delivered, LongConsumer left) throws IOException {
        LongConsumer sink = delivered != null ? delivered : key -> { };
        LongConsumer leftOut = left != null ? left : key -> { };
        MessageDigest inputDigest = Sha256.digest();
        MessageDigest outputDigest = Sha256.digest();
        MessageDigest cohort = Sha256.digest();
        PushbackInputStream raw = new PushbackInputStream(new CountingInputStream(input, progress), 3);
        boolean gzip = gzipped(raw);
        Counts counts;
        if (column == null && !gzip) {
            // the hot path: chunks are the raw bytes, so a thread of its own hashes them as read
            if (skipByteOrderMark(raw)) {
                inputDigest.update(UTF8_BOM); // the input's hash is of the file as sent
            }
            counts = new LinePipeline(raw, inputDigest, output, outputDigest, cohort, errors, sink, leftOut).run();
        } else {
            InputStream digested = new DigestInputStream(raw, inputDigest);
            PushbackInputStream content = new PushbackInputStream(gzip ? new GZIPInputStream(digested, 1 << 16)
                    : new BufferedInputStream(digested, 1 << 16), 3);
            skipByteOrderMark(content);
            counts = column == null
                    ? new LinePipeline(content, null, output, outputDigest, cohort, errors, sink, leftOut).run()
                    : filterCsv(content, new DigestOutputStream(output, outputDigest), errors, cohort, column, sink,
                            leftOut);
            content.transferTo(OutputStream.nullOutputStream()); // hash the whole input, trailing bytes included
        }
        output.flush();
        return new FilterOutcome(counts.rows, counts.allowed, counts.excluded, counts.errors,
                HEX.formatHex(inputDigest.digest()), HEX.formatHex(outputDigest.digest()), HEX.formatHex(cohort.digest()));
    }

    private static final class Counts {
        long rows;
        long allowed;
        long excluded;
        long errors;

        void add(Chunk chunk) {
            rows += chunk.rows;
            allowed += chunk.allowedCount;
            excluded += chunk.excluded;
            errors += chunk.errorCount;
        }
    }

    /**
     * One identifier per line, a chunk of complete lines at a time, in stages that overlap:
     * <ul>
     *   <li>the calling thread reads chunks, and reports each chunk's errors and delivered keys in input order;</li>
     *   <li>worker threads classify a chunk's lines (parsing pseudonyms, pseudonymising NIRs), look its keys up in
     *       one tight loop (so the memory reads overlap), and compact its allowed lines and their pseudonyms;</li>
     *   <li>one thread hashes the input as read (when the chunks are the raw bytes), and one hashes the output and
     *       the cohort and writes the output, in order.</li>
     * </ul>
     * Every digest is one sequential SHA-256, so each gets a thread of its own; at most a few chunks are in flight,
     * so memory does not grow with the extract.
     */
    private final class LinePipeline {
        private final InputStream in;
        private final MessageDigest inputDigest;
        private final OutputStream out;
        private final MessageDigest outputDigest;
        private final MessageDigest cohortDigest;
        private final ErrorSink errors;
        private final LongConsumer delivered;
        private final LongConsumer leftOut;
        private final int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private final int maxChunks = workers + 4;
        private final BlockingQueue<Chunk> free = new LinkedBlockingQueue<>();
        private int chunks;
        private volatile IOException writeFailure;

        LinePipeline(InputStream in, MessageDigest inputDigest, OutputStream out, MessageDigest outputDigest,
                     MessageDigest cohortDigest, ErrorSink errors, LongConsumer delivered, LongConsumer leftOut) {
            this.leftOut = leftOut;
            this.in = in;
            this.inputDigest = inputDigest;
            this.out = out;
            this.outputDigest = outputDigest;
            this.cohortDigest = cohortDigest;
            this.errors = errors;
            this.delivered = delivered;
        }

        Counts run() throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(workers, daemon("extract-filter"));
            ExecutorService hasher = Executors.newSingleThreadExecutor(daemon("extract-input-digest"));
            ExecutorService writer = Executors.newSingleThreadExecutor(daemon("extract-writer"));
            Counts counts = new Counts();
            try {
                ArrayDeque<Future<Chunk>> inflight = new ArrayDeque<>();
                byte[] tail = new byte[0];
                int tailHashed = 0; // the carried-over bytes already hashed (all but a line longer than a chunk)
                long chunkIndex = 0;
                long linesBefore = 0;
                boolean eof = false;
                while (!eof) {
                    Chunk chunk = take();
                    if (chunk.buf.length < tail.length * 2) {
                        chunk.buf = new byte[tail.length * 2];
                    }
                    System.arraycopy(tail, 0, chunk.buf, 0, tail.length);
                    int read = in.readNBytes(chunk.buf, tail.length, chunk.buf.length - tail.length);
                    int limit = tail.length + read;
                    eof = read == 0;
                    int usable = limit;
                    if (!eof) {
                        while (usable > 0 && chunk.buf[usable - 1] != '\n') {
                            usable--;
                        }
                        if (usable == 0) { // one line fills the chunk: read on with a larger one
                            if (limit >= MAX_LINE) {
                                throw new InvalidRequestException("a line is longer than " + MAX_LINE
                                        + " bytes: not an extract file");
                            }
                            tail = Arrays.copyOf(chunk.buf, limit);
                            free.add(chunk);
                            continue;
                        }
                    }
                    int hashFrom = tailHashed;
                    tail = Arrays.copyOfRange(chunk.buf, usable, limit);
                    tailHashed = tail.length;
                    chunk.limit = usable;
                    chunk.first = chunkIndex++ == 0;
                    chunk.hashed = inputDigest == null ? null : hash(hasher, chunk, hashFrom, limit);
                    Chunk work = chunk;
                    inflight.add(pool.submit(() -> {
                        work.process(listed, onlyListed);
                        return work;
                    }));
                    while (inflight.size() > workers || (eof && !inflight.isEmpty())) {
                        Chunk done = await(inflight.poll());
                        done.linesBefore = linesBefore; // known only now: the chunks before it are counted
                        linesBefore += done.lines;
                        report(done, counts);
                        writer.execute(() -> write(done));
                    }
                }
                writer.shutdown();
                if (!writer.awaitTermination(1, TimeUnit.HOURS)) {
                    throw new IOException("the output did not drain");
                }
                if (writeFailure != null) {
                    throw writeFailure;
                }
                return counts;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while filtering", e);
            } finally {
                pool.shutdownNow();
                hasher.shutdownNow();
                writer.shutdownNow();
            }
        }

        /** A free chunk, or a new one while fewer than {@link #maxChunks} exist. */
        private Chunk take() throws InterruptedException {
            Chunk chunk = free.poll();
            if (chunk == null) {
                if (chunks < maxChunks) {
                    chunks++;
                    return new Chunk();
                }
                chunk = free.take();
            }
            return chunk;
        }

        /** Hashes {@code [from, to)} of the chunk: what no earlier chunk hashed, up to the end of what was read. */
        private Future<?> hash(ExecutorService hasher, Chunk chunk, int from, int to) {
            return hasher.submit(() -> inputDigest.update(chunk.buf, from, to - from));
        }

        /** In input order, on the calling thread: counts, errors with their file line numbers, delivered keys. */
        private void report(Chunk chunk, Counts counts) throws IOException {
            if (writeFailure != null) {
                throw writeFailure;
            }
            counts.add(chunk);
            for (int e = 0; e < chunk.errorCount; e++) {
                errors.refused(chunk.linesBefore + chunk.errorLines[e], chunk.errorMessages[e]);
                chunk.errorMessages[e] = null;
            }
            for (int d = 0; d < chunk.allowedCount; d++) {
                delivered.accept(chunk.deliveredKeys[d]);
            }
            for (int x = 0; x < chunk.excluded; x++) {
                leftOut.accept(chunk.excludedKeys[x]);
            }
        }

        /** On the writer thread, in input order; the chunk is free again once its input bytes are hashed too. */
        private void write(Chunk chunk) {
            try {
                if (writeFailure == null) {
                    outputDigest.update(chunk.output, 0, chunk.outputLength);
                    out.write(chunk.output, 0, chunk.outputLength);
                    cohortDigest.update(chunk.cohort, 0, chunk.allowedCount * 16);
                }
                if (chunk.hashed != null) {
                    chunk.hashed.get();
                }
            } catch (IOException e) {
                writeFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                writeFailure = new IOException("interrupted while writing", e);
            } catch (ExecutionException e) {
                writeFailure = new IOException("hashing the input failed", e.getCause());
            } finally {
                free.add(chunk);
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static Chunk await(Future<Chunk> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while filtering", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    private static final int MAX_LINE = 1 << 24;

    private static final byte LINE_EMPTY = 0;
    private static final byte LINE_ID = 1;
    private static final byte LINE_HEADER = 2;
    private static final byte LINE_ERROR = 3;

    /**
     * The lines of one chunk: where they are, what they are, their keys and pseudonyms; then, once processed, the
     * output bytes, the delivered persons' pseudonyms and keys, the counts and the errors.
     */
    private final class Chunk {
        byte[] buf = new byte[1 << 20];
        int limit;
        boolean first;
        long linesBefore;
        Future<?> hashed;
        long lines;
        int count;
        int[] starts = new int[1 << 14];
        int[] ends = new int[1 << 14];
        byte[] kinds = new byte[1 << 14];
        long[] keys = new long[1 << 14];
        boolean[] excludedFlags = new boolean[1 << 14];
        /** The pseudonyms' second halves; their first halves are the keys. */
        long[] lows = new long[1 << 14];

        byte[] output = new byte[0];
        int outputLength;
        byte[] cohort = new byte[0];
        long[] deliveredKeys = new long[0];
        long[] excludedKeys = new long[0];
        int allowedCount;
        long rows;
        long excluded;
        int errorCount;
        long[] errorLines = new long[16];
        InvalidRequestException[] errorMessages = new InvalidRequestException[16];

        void process(PseudonymSet listed, boolean onlyListed) {
            classify();
            listed.containsAll(keys, count, excludedFlags); // rows that are not identifiers are ignored below
            if (onlyListed) {
                for (int i = 0; i < count; i++) {
                    excludedFlags[i] = !excludedFlags[i];
                }
            }
            compact();
        }

        /**
         * Classifies the lines and records the unreadable ones; line numbers are relative to the chunk until
         * {@link LinePipeline#report} adds the offset.
         */
        private void classify() {
            long lineNumber = 0;
            count = 0;
            errorCount = 0;
            int position = 0;
            byte[] pseudonym = new byte[16];
            while (position < limit) {
                // fast path: a bare 32-character pseudonym and its newline
                if (position + 32 < limit && buf[position + 32] == '\n' && count < starts.length) {
                    long w0 = hex8(buf, position);
                    long w1 = hex8(buf, position + 8);
                    long w2 = hex8(buf, position + 16);
                    long w3 = hex8(buf, position + 24);
                    if ((w0 | w1 | w2 | w3) >= 0) {
                        int i = count++;
                        starts[i] = position;
                        ends[i] = position + 32;
                        lineNumber++;
                        kinds[i] = LINE_ID;
                        keys[i] = w0 << 32 | w1;
                        lows[i] = w2 << 32 | w3;
                        position += 33;
                        continue;
                    }
                }
                int newline = position;
                while (newline < limit && buf[newline] != '\n') {
                    newline++;
                }
                int start = position;
                int end = newline;
                position = newline + 1;
                lineNumber++;
                while (end > start && (buf[end - 1] == '\r' || buf[end - 1] == ' ')) {
                    end--;
                }
                while (start < end && buf[start] == ' ') {
                    start++;
                }
                ensureCapacity();
                int i = count++;
                starts[i] = start;
                ends[i] = end;
                if (start == end) {
                    kinds[i] = LINE_EMPTY;
                    continue;
                }
                if (parseHexPseudonym(buf, start, end, pseudonym, 0)) {
                    kinds[i] = LINE_ID;
                    keys[i] = PseudonymSet.key(pseudonym, 0);
                    lows[i] = (long) LONGS.get(pseudonym, 8);
                    continue;
                }
                String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
                try {
                    nirPseudonym(text, pseudonym);
                    kinds[i] = LINE_ID;
                    keys[i] = PseudonymSet.key(pseudonym, 0);
                    lows[i] = (long) LONGS.get(pseudonym, 8);
                } catch (InvalidRequestException e) {
                    boolean header = first && lineNumber == 1 && looksLikeHeader(text);
                    kinds[i] = header ? LINE_HEADER : LINE_ERROR;
                    if (!header) {
                        addError(lineNumber, e);
                    }
                }
            }
            lines = lineNumber;
        }

        /**
         * Copies the lines to deliver into {@link #output}, each ending in a newline; consecutive lines already ending
         * in their newline in place are copied as one run.
         */
        private void compact() {
            if (output.length < limit + count + 1) {
                output = new byte[limit + count + 1];
            }
            if (deliveredKeys.length < count) {
                deliveredKeys = new long[count];
                excludedKeys = new long[count];
                cohort = new byte[count * 16];
            }
            rows = 0;
            excluded = 0;
            int o = 0;
            int d = 0;
            int runStart = 0;
            int runEnd = -1;
            for (int i = 0; i < count; i++) {
                byte kind = kinds[i];
                boolean deliver = kind == LINE_HEADER;
                if (kind == LINE_ID) {
                    rows++;
                    if (excludedFlags[i]) {
                        excludedKeys[(int) excluded++] = keys[i];
                    } else {
                        deliver = true;
                        LONGS.set(cohort, d * 16, keys[i]);
                        LONGS.set(cohort, d * 16 + 8, lows[i]);
                        deliveredKeys[d++] = keys[i];
                    }
                } else if (kind == LINE_ERROR) {
                    rows++; // reported by classify
                }
                if (!deliver) {
                    continue;
                }
                int start = starts[i];
                int end = ends[i];
                if (end < limit && buf[end] == '\n') {
                    if (start != runEnd) {
                        o = copy(runStart, runEnd, o);
                        runStart = start;
                    }
                    runEnd = end + 1;
                } else {
                    o = copy(runStart, runEnd, o);
                    runEnd = -1;
                    System.arraycopy(buf, start, output, o, end - start);
                    o += end - start;
                    output[o++] = '\n';
                }
            }
            outputLength = copy(runStart, runEnd, o);
            allowedCount = d;
        }

        private int copy(int from, int to, int at) {
            if (to <= from) {
                return at;
            }
            System.arraycopy(buf, from, output, at, to - from);
            return at + to - from;
        }

        private void addError(long line, InvalidRequestException message) {
            if (errorCount == errorLines.length) {
                errorLines = Arrays.copyOf(errorLines, errorCount * 2);
                errorMessages = Arrays.copyOf(errorMessages, errorCount * 2);
            }
            errorLines[errorCount] = line;
            errorMessages[errorCount++] = message;
        }

        private void ensureCapacity() {
            if (count == starts.length) {
                int size = count * 2;
                starts = Arrays.copyOf(starts, size);
                ends = Arrays.copyOf(ends, size);
                kinds = Arrays.copyOf(kinds, size);
                keys = Arrays.copyOf(keys, size);
                excludedFlags = Arrays.copyOf(excludedFlags, size);
                lows = Arrays.copyOf(lows, size);
            }
        }
    }

    private Counts filterCsv(InputStream in, OutputStream out, ErrorSink errors, MessageDigest cohort, String column,
                             LongConsumer delivered, LongConsumer leftOut) throws IOException {
        Counts counts = new Counts();
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().build(writer);
        byte[] pseudonym = new byte[16];
        try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE).missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(new java.io.InputStreamReader(unclosable(in), StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = reader.iterator();
            CsvRecord header;
            try {
                if (!records.hasNext()) {
                    throw new InvalidRequestException("extract.csv-empty",
                            "the CSV file is empty: it needs a header naming column '" + column + "'", column);
                }
                header = records.next();
            } catch (RuntimeException e) {
                if (e instanceof InvalidRequestException invalid) {
                    throw invalid;
                }
                throw new InvalidRequestException("extract.csv-header-unreadable",
                        "the CSV header cannot be read: " + e.getMessage());
            }
            int index = -1;
            for (int f = 0; f < header.getFields().size() && index < 0; f++) {
                if (header.getFields().get(f).strip().equalsIgnoreCase(column.strip())) {
                    index = f; // "NIR", "nir " and "Nir" name the same column
                }
            }
            if (index < 0) {
                throw new InvalidRequestException("extract.no-column", "the CSV header has no column named '" + column + "'",
                        column);
            }
            csv.writeRecord(header.getFields());
            while (true) {
                CsvRecord record;
                try { // the parser reads ahead in hasNext as well as in next
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (RuntimeException e) {
                    counts.rows++;
                    counts.errors++;
                    errors.refused(-1, new InvalidRequestException("extract.csv-unreadable",
                            "unreadable CSV: " + e.getMessage()));
                    break; // the parser cannot resynchronise after a malformed record
                }
                counts.rows++;
                if (record.getFieldCount() <= index) {
                    counts.errors++;
                    errors.refused(record.getStartingLineNumber(), new InvalidRequestException("extract.row-without-column",
                            "the row has no '" + column + "' field", column));
                    continue;
                }
                String value = record.getField(index).strip();
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                try {
                    if (!parseHexPseudonym(bytes, 0, bytes.length, pseudonym, 0)) {
                        nirPseudonym(value, pseudonym);
                    }
                } catch (InvalidRequestException e) {
                    counts.errors++;
                    errors.refused(record.getStartingLineNumber(), e);
                    continue;
                }
                if (listed.contains(PseudonymSet.key(pseudonym, 0)) != onlyListed) {
                    counts.excluded++;
                    leftOut.accept(PseudonymSet.key(pseudonym, 0));
                } else {
                    counts.allowed++;
                    cohort.update(pseudonym);
                    delivered.accept(PseudonymSet.key(pseudonym, 0));
                    csv.writeRecord(record.getFields());
                }
            }
        }
        csv.flush();
        writer.flush();
        return counts;
    }

    /** The CSV reader closes its source; the caller still has to read the input to its end. */
    private static InputStream unclosable(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // left open on purpose
            }
        };
    }

    private void nirPseudonym(String text, byte[] into) {
        if (pseudonymiser == null) {
            throw new InvalidRequestException("not a ledger pseudonym (32 lowercase hexadecimal characters)");
        }
        System.arraycopy(pseudonymiser.pseudonymBytes(Nir.parse(text)), 0, into, 0, 16);
    }

    private static boolean looksLikeHeader(String text) {
        return text.chars().allMatch(c -> Character.isLetter(c) || c == '_' || c == '-' || c == ' ');
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Parses 32 lowercase hex characters into 16 bytes at {@code into[at]}; false if the text is not that. */
    static boolean parseHexPseudonym(byte[] buf, int start, int end, byte[] into, int at) {
        if (end - start != 32) {
            return false;
        }
        long w0 = hex8(buf, start);
        long w1 = hex8(buf, start + 8);
        long w2 = hex8(buf, start + 16);
        long w3 = hex8(buf, start + 24);
        if ((w0 | w1 | w2 | w3) < 0) {
            return false;
        }
        LONGS.set(into, at, w0 << 32 | w1);
        LONGS.set(into, at + 8, w2 << 32 | w3);
        return true;
    }

    /**
     * The 32 bits written by the 8 lowercase hex characters at {@code buf[at]}, or -1 if any of them is not one.
     * All eight at once, in a long (SWAR): a table lookup per character was most of the cost of filtering a file.
     */
    static long hex8(byte[] buf, int at) {
        long x = (long) LONGS.get(buf, at);
        // bit 7 of each byte: set where the character is at least '0', above '9', at least 'a', above 'f'
        // (adding never carries across bytes below 0x80, and a byte of 0x80 or more is refused by ~x)
        long atLeast0 = x + 0x5050505050505050L;
        long above9 = x + 0x4646464646464646L;
        long atLeastA = x + 0x1F1F1F1F1F1F1F1FL;
        long aboveF = x + 0x1919191919191919L;
        long letters = atLeastA & ~aboveF & HIGH_BITS;
        long valid = ((atLeast0 & ~above9) | letters) & ~x & HIGH_BITS;
        if (valid != HIGH_BITS) {
            return -1;
        }
        long v = (x & 0x0F0F0F0F0F0F0F0FL) + (letters >>> 7) * 9; // nibble values, one per byte
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        return (v | (v >>> 16)) & 0xFFFFFFFFL;
    }

    private static final long HIGH_BITS = 0x8080808080808080L;

    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    /**
     * Skips the UTF-8 byte order mark some spreadsheets write first, which is not part of the first row; refuses an
     * extract that starts with a UTF-16 one, since every row of it would be unreadable.
     */
    private static boolean skipByteOrderMark(PushbackInputStream in) throws IOException {
        byte[] start = in.readNBytes(3);
        if (start.length >= 2 && ((start[0] & 0xff) == 0xff && (start[1] & 0xff) == 0xfe
                || (start[0] & 0xff) == 0xfe && (start[1] & 0xff) == 0xff)) {
            throw new InvalidRequestException("extract.utf-16", "the extract is encoded in UTF-16 (it starts with a UTF-16 byte order "
                    + "mark): save it as UTF-8 or ASCII, and send it again");
        }
        if (Arrays.equals(start, UTF8_BOM)) {
            return true;
        }
        in.unread(start);
        return false;
    }

    private static boolean gzipped(PushbackInputStream in) throws IOException {
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }

    /** Counts the bytes read, for progress. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final LongConsumer progress;
        private long count;
        private long reported;

        CountingInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            count += n;
            if (progress != null && count - reported >= (1 << 20)) {
                reported = count;
                progress.accept(count);
            }
        }
    }

}
