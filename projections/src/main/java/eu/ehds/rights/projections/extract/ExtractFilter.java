package eu.ehds.rights.projections.extract;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.zip.GZIPInputStream;

/**
 * Filters an extract against the persons excluded from a project, streaming, in memory independent of the
 * extract's size. Input: one identifier per line (an optional first line that is not an identifier is kept as a
 * header), or CSV with a header naming the identifier column; gzip is recognised by its magic bytes. An
 * identifier is a ledger pseudonym (32 lowercase hex characters) or a NIR. Allowed rows are copied to the output;
 * an unreadable row is reported with its line number and never stops the file.
 *
 * <pre>{@code
 * FilterOutcome outcome = new ExtractFilter(excluded::contains, pseudonymiser)
 *         .filter(in, out, ErrorReport.csv(errorsOut), null, bytes -> progress.stepTo(bytes));
 * }</pre>
 */
public final class ExtractFilter {

    /** Receives each unreadable row. */
    @FunctionalInterface
    public interface ErrorSink {
        void error(long line, String message);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final LongPredicate excluded;
    private final Pseudonymiser pseudonymiser;

    /**
     * @param excluded      true for the 64-bit key (see {@link PseudonymSet#key}) of a person to leave out
     * @param pseudonymiser turns NIR rows into pseudonyms; {@code null} when only pseudonyms are accepted
     */
    public ExtractFilter(LongPredicate excluded, Pseudonymiser pseudonymiser) {
        this.excluded = excluded;
        this.pseudonymiser = pseudonymiser;
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
        LongConsumer sink = delivered != null ? delivered : key -> { };
        MessageDigest inputDigest = sha256();
        MessageDigest outputDigest = sha256();
        MessageDigest cohort = sha256();
        CountingInputStream counted = new CountingInputStream(input, progress);
        InputStream raw = new BufferedInputStream(new DigestInputStream(counted, inputDigest), 1 << 16);
        InputStream content = gzipped(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
        BlockDigest cohortBlocks = new BlockDigest(cohort);
        Counts counts;
        try (BlockOutput out = new BlockOutput(output, outputDigest)) {
            counts = column == null
                    ? filterLines(content, out, errors, cohortBlocks, sink)
                    : filterCsv(content, out, errors, cohortBlocks, column, sink);
            out.finish();
        }
        cohortBlocks.finish();
        content.transferTo(OutputStream.nullOutputStream()); // hash the whole input, trailing bytes included
        return new FilterOutcome(counts.rows, counts.allowed, counts.excluded, counts.errors,
                HEX.formatHex(inputDigest.digest()), HEX.formatHex(outputDigest.digest()), HEX.formatHex(cohort.digest()));
    }

    private static final class Counts {
        long rows;
        long allowed;
        long excluded;
        long errors;
    }

    /**
     * One identifier per line, a chunk of complete lines at a time. Worker threads classify each chunk's lines
     * (parsing pseudonyms, pseudonymising NIRs) and look all its keys up in one tight loop, so that the memory reads
     * of the lookups overlap; this thread reads the input and writes the allowed lines in input order.
     */
    private Counts filterLines(InputStream in, OutputStream out, ErrorSink errors, BlockDigest cohort,
                               LongConsumer delivered) throws IOException {
        Counts counts = new Counts();
        long linesBefore = 0;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "extract-filter");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<Chunk>> inflight = new java.util.ArrayDeque<>();
        java.util.concurrent.BlockingQueue<Chunk> free = new java.util.concurrent.LinkedBlockingQueue<>();
        try {
            byte[] tail = new byte[0];
            long chunkIndex = 0;
            boolean eof = false;
            while (!eof) {
                Chunk chunk = free.poll();
                if (chunk == null) {
                    chunk = new Chunk();
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
                    if (usable == 0) {
                        if (limit >= MAX_LINE) {
                            throw new InvalidRequestException("a line is longer than " + MAX_LINE
                                    + " bytes: not an extract file");
                        }
                        chunk.buf = java.util.Arrays.copyOf(chunk.buf, chunk.buf.length * 2);
                        tail = java.util.Arrays.copyOf(chunk.buf, limit);
                        free.add(chunk);
                        continue;
                    }
                }
                tail = java.util.Arrays.copyOfRange(chunk.buf, usable, limit);
                chunk.limit = usable;
                chunk.first = chunkIndex++ == 0;
                Chunk work = chunk;
                inflight.add(pool.submit(() -> {
                    work.classify();
                    work.lookUp(excluded);
                    return work;
                }));
                while (inflight.size() > workers || (eof && !inflight.isEmpty())) {
                    Chunk done = await(inflight.poll());
                    done.emit(out, errors, cohort, counts, linesBefore, delivered);
                    linesBefore += done.lines;
                    free.add(done);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return counts;
    }

    private static Chunk await(java.util.concurrent.Future<Chunk> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while filtering", e);
        } catch (java.util.concurrent.ExecutionException e) {
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

    /** The lines of one chunk: where they are, what they are, their keys and pseudonyms. */
    private final class Chunk {
        byte[] buf = new byte[1 << 22];
        int limit;
        boolean first;
        long lines;
        int count;
        int[] starts = new int[1 << 16];
        int[] ends = new int[1 << 16];
        byte[] kinds = new byte[1 << 16];
        long[] keys = new long[1 << 16];
        boolean[] out = new boolean[1 << 16];
        long[] lineNumbers = new long[1 << 16];
        String[] messages = new String[1 << 16];
        byte[] pseudonyms = new byte[16 << 16];

        /** Classifies the lines; line numbers are relative to the chunk until {@link #emit} adds the offset. */
        void classify() {
            long lineNumber = 0;
            boolean atFileStart = first;
            count = 0;
            int position = 0;
            byte[] pseudonym = new byte[16];
            while (position < limit) {
                // fast path: a bare 32-character pseudonym and its newline
                if (position + 32 < limit && buf[position + 32] == '\n' && count < starts.length
                        && parseHexPseudonym(buf, position, position + 32, pseudonyms, count * 16)) {
                    int i = count++;
                    starts[i] = position;
                    ends[i] = position + 32;
                    lineNumbers[i] = ++lineNumber;
                    kinds[i] = LINE_ID;
                    keys[i] = PseudonymSet.key(pseudonyms, i * 16);
                    position += 33;
                    continue;
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
                lineNumbers[i] = lineNumber;
                if (start == end) {
                    kinds[i] = LINE_EMPTY;
                    continue;
                }
                if (parseHexPseudonym(buf, start, end, pseudonyms, i * 16)) {
                    kinds[i] = LINE_ID;
                    keys[i] = PseudonymSet.key(pseudonyms, i * 16);
                    continue;
                }
                String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
                try {
                    nirPseudonym(text, pseudonym);
                    System.arraycopy(pseudonym, 0, pseudonyms, i * 16, 16);
                    kinds[i] = LINE_ID;
                    keys[i] = PseudonymSet.key(pseudonym, 0);
                } catch (InvalidRequestException e) {
                    boolean header = atFileStart && lineNumber == 1 && looksLikeHeader(text);
                    kinds[i] = header ? LINE_HEADER : LINE_ERROR;
                    messages[i] = e.getMessage();
                }
            }
            lines = lineNumber;
        }

        void lookUp(LongPredicate excluded) {
            for (int i = 0; i < count; i++) {
                out[i] = kinds[i] == LINE_ID && excluded.test(keys[i]);
            }
        }

        void emit(OutputStream output, ErrorSink errors, BlockDigest cohort, Counts counts, long linesBefore,
                  LongConsumer delivered) throws IOException {
            for (int i = 0; i < count; i++) {
                switch (kinds[i]) {
                    case LINE_ID -> {
                        counts.rows++;
                        if (out[i]) {
                            counts.excluded++;
                        } else {
                            counts.allowed++;
                            cohort.update(pseudonyms, i * 16);
                            delivered.accept(keys[i]);
                            output.write(buf, starts[i], ends[i] - starts[i]);
                            output.write('\n');
                        }
                    }
                    case LINE_HEADER -> {
                        output.write(buf, starts[i], ends[i] - starts[i]);
                        output.write('\n');
                    }
                    case LINE_ERROR -> {
                        counts.rows++;
                        counts.errors++;
                        errors.error(linesBefore + lineNumbers[i], messages[i]);
                        messages[i] = null;
                    }
                    default -> {
                        // blank line: skipped
                    }
                }
            }
        }

        private void ensureCapacity() {
            if (count == starts.length) {
                int size = count * 2;
                starts = java.util.Arrays.copyOf(starts, size);
                ends = java.util.Arrays.copyOf(ends, size);
                kinds = java.util.Arrays.copyOf(kinds, size);
                keys = java.util.Arrays.copyOf(keys, size);
                out = java.util.Arrays.copyOf(out, size);
                lineNumbers = java.util.Arrays.copyOf(lineNumbers, size);
                messages = java.util.Arrays.copyOf(messages, size);
                pseudonyms = java.util.Arrays.copyOf(pseudonyms, size * 16);
            }
        }
    }

    private Counts filterCsv(InputStream in, OutputStream out, ErrorSink errors, BlockDigest cohort, String column,
                             LongConsumer delivered) throws IOException {
        Counts counts = new Counts();
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().build(writer);
        byte[] pseudonym = new byte[16];
        try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true).allowExtraFields(true)
                .allowMissingFields(true).ofCsvRecord(new java.io.InputStreamReader(unclosable(in), StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw new InvalidRequestException("the CSV file is empty: it needs a header naming column '" + column + "'");
            }
            CsvRecord header = records.next();
            int index = header.getFields().indexOf(column);
            if (index < 0) {
                throw new InvalidRequestException("the CSV header has no column named '" + column + "'");
            }
            csv.writeRecord(header.getFields());
            while (records.hasNext()) {
                CsvRecord record;
                try {
                    record = records.next();
                } catch (RuntimeException e) {
                    counts.rows++;
                    counts.errors++;
                    errors.error(-1, "unreadable CSV: " + e.getMessage());
                    break; // the parser cannot resynchronise after a malformed record
                }
                counts.rows++;
                if (record.getFieldCount() <= index) {
                    counts.errors++;
                    errors.error(record.getStartingLineNumber(), "the row has no '" + column + "' field");
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
                    errors.error(record.getStartingLineNumber(), e.getMessage());
                    continue;
                }
                if (excluded.test(PseudonymSet.key(pseudonym, 0))) {
                    counts.excluded++;
                } else {
                    counts.allowed++;
                    cohort.update(pseudonym, 0);
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

    private static final byte[] NIBBLE = new byte[256];

    static {
        java.util.Arrays.fill(NIBBLE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            NIBBLE[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            NIBBLE[c] = (byte) (c - 'a' + 10);
        }
    }

    /** Parses 32 lowercase hex characters into 16 bytes at {@code into[at]}; false if the text is not that. */
    static boolean parseHexPseudonym(byte[] buf, int start, int end, byte[] into, int at) {
        if (end - start != 32) {
            return false;
        }
        int bad = 0;
        for (int i = 0; i < 16; i++) {
            int hi = NIBBLE[buf[start + 2 * i] & 0xff];
            int lo = NIBBLE[buf[start + 2 * i + 1] & 0xff];
            bad |= hi | lo;
            into[at + i] = (byte) (hi << 4 | lo);
        }
        return bad >= 0;
    }

    private static boolean gzipped(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes through large blocks that a thread of its own hashes and writes, in order, while the rows of the next
     * block are prepared; at most a few blocks are in flight.
     */
    private static final class BlockOutput extends OutputStream {
        private static final int BLOCK = 1 << 20;
        private final OutputStream out;
        private final MessageDigest digest;
        private final java.util.concurrent.BlockingQueue<byte[]> free = new java.util.concurrent.ArrayBlockingQueue<>(3);
        private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "extract-writer");
            t.setDaemon(true);
            return t;
        });
        private volatile IOException failure;
        private byte[] block = new byte[BLOCK];
        private int used;

        BlockOutput(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
            free.add(new byte[BLOCK]);
            free.add(new byte[BLOCK]);
        }

        @Override
        public void write(int b) throws IOException {
            if (used == block.length) {
                drain();
            }
            block[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (used == block.length) {
                    drain();
                }
                int n = Math.min(len, block.length - used);
                System.arraycopy(b, off, block, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        /** Hands the full block to the writer thread and takes an empty one. */
        private void drain() throws IOException {
            if (failure != null) {
                throw failure;
            }
            byte[] full = block;
            int length = used;
            writer.execute(() -> {
                try {
                    if (failure == null) {
                        digest.update(full, 0, length);
                        out.write(full, 0, length);
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    free.add(full);
                }
            });
            try {
                block = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
            used = 0;
        }

        /** Blocks go out as they fill; everything left goes out at {@link #finish()}. */
        @Override
        public void flush() {
            // nothing: a writer above (the CSV one) flushing must not end the stream
        }

        /** Writes everything out, flushes, and stops the writer thread. */
        void finish() throws IOException {
            drain();
            writer.shutdown();
            try {
                if (!writer.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
                    throw new IOException("the output did not drain");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
            if (failure != null) {
                throw failure;
            }
            out.flush();
        }

        /** Stops the writer thread if filtering failed before {@link #flush()}. */
        @Override
        public void close() {
            writer.shutdownNow();
        }
    }

    /** Feeds a digest in blocks of many 16-byte pseudonyms. */
    private static final class BlockDigest {
        private final MessageDigest digest;
        private final byte[] block = new byte[16 * 4096];
        private int used;

        BlockDigest(MessageDigest digest) {
            this.digest = digest;
        }

        void update(byte[] pseudonyms, int at) {
            if (used == block.length) {
                digest.update(block, 0, used);
                used = 0;
            }
            System.arraycopy(pseudonyms, at, block, used, 16);
            used += 16;
        }

        void finish() {
            digest.update(block, 0, used);
            used = 0;
        }
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
