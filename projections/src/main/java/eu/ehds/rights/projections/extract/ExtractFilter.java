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
import java.security.DigestOutputStream;
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
        MessageDigest inputDigest = sha256();
        MessageDigest outputDigest = sha256();
        MessageDigest cohort = sha256();
        CountingInputStream counted = new CountingInputStream(input, progress);
        InputStream raw = new BufferedInputStream(new DigestInputStream(counted, inputDigest), 1 << 16);
        InputStream content = gzipped(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
        DigestOutputStream out = new DigestOutputStream(output, outputDigest);
        Counts counts = column == null
                ? filterLines(content, out, errors, cohort)
                : filterCsv(content, out, errors, cohort, column);
        out.flush();
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

    private Counts filterLines(InputStream in, OutputStream out, ErrorSink errors, MessageDigest cohort)
            throws IOException {
        Counts counts = new Counts();
        LineReader lines = new LineReader(in);
        byte[] pseudonym = new byte[16];
        long lineNumber = 0;
        while (lines.next()) {
            lineNumber++;
            int start = lines.start();
            int end = lines.end();
            while (end > start && (lines.buffer()[end - 1] == '\r' || lines.buffer()[end - 1] == ' ')) {
                end--;
            }
            while (start < end && lines.buffer()[start] == ' ') {
                start++;
            }
            if (start == end) {
                continue;
            }
            byte[] buf = lines.buffer();
            boolean identified = parseHexPseudonym(buf, start, end, pseudonym);
            if (!identified) {
                String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
                try {
                    nirPseudonym(text, pseudonym);
                } catch (InvalidRequestException e) {
                    if (lineNumber == 1 && counts.rows == 0 && looksLikeHeader(text)) {
                        out.write(buf, start, end - start);
                        out.write('\n');
                        continue;
                    }
                    counts.rows++;
                    counts.errors++;
                    errors.error(lineNumber, e.getMessage());
                    continue;
                }
            }
            counts.rows++;
            if (excluded.test(key(pseudonym))) {
                counts.excluded++;
            } else {
                counts.allowed++;
                cohort.update(pseudonym);
                out.write(buf, start, end - start);
                out.write('\n');
            }
        }
        return counts;
    }

    private Counts filterCsv(InputStream in, OutputStream out, ErrorSink errors, MessageDigest cohort, String column)
            throws IOException {
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
                    if (!parseHexPseudonym(bytes, 0, bytes.length, pseudonym)) {
                        nirPseudonym(value, pseudonym);
                    }
                } catch (InvalidRequestException e) {
                    counts.errors++;
                    errors.error(record.getStartingLineNumber(), e.getMessage());
                    continue;
                }
                if (excluded.test(key(pseudonym))) {
                    counts.excluded++;
                } else {
                    counts.allowed++;
                    cohort.update(pseudonym);
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

    /** Parses 32 lowercase hex characters into 16 bytes; false if the text is not exactly that. */
    static boolean parseHexPseudonym(byte[] buf, int start, int end, byte[] into) {
        if (end - start != 32) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            int hi = hexValue(buf[start + 2 * i]);
            int lo = hexValue(buf[start + 2 * i + 1]);
            if ((hi | lo) < 0) {
                return false;
            }
            into[i] = (byte) (hi << 4 | lo);
        }
        return true;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    static long key(byte[] pseudonym) {
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (pseudonym[i] & 0xff);
        }
        return key;
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

    /** Reads lines straight from a byte buffer, without decoding or copying them. */
    private static final class LineReader {
        private static final int MAX_LINE = 1 << 20;
        private final InputStream in;
        private byte[] buffer = new byte[1 << 16];
        private int limit;
        private int position;
        private int lineStart;
        private int lineEnd;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        boolean next() throws IOException {
            while (true) {
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        lineStart = position;
                        lineEnd = i;
                        position = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    if (position < limit) {
                        lineStart = position;
                        lineEnd = limit;
                        position = limit;
                        return true;
                    }
                    return false;
                }
                fill();
            }
        }

        private void fill() throws IOException {
            int remaining = limit - position;
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, remaining);
            } else if (remaining == buffer.length) {
                if (buffer.length >= MAX_LINE) {
                    throw new InvalidRequestException("a line is longer than " + MAX_LINE + " bytes: not an extract file");
                }
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
            limit = remaining;
            position = 0;
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }

        byte[] buffer() {
            return buffer;
        }

        int start() {
            return lineStart;
        }

        int end() {
            return lineEnd;
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
