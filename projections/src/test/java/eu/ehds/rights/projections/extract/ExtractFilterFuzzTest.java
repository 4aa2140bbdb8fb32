package eu.ehds.rights.projections.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input for the extract parser: thousands of files mixing pseudonyms, NIRs (valid, invalid, spaced,
 * Corsican), garbage, bytes that are not UTF-8, CR/LF mixes, long lines, empty lines and CSV. Whatever comes in, the
 * filter ends with a count for every row (allowed + excluded + unreadable), copies out only lines it was given, never
 * an excluded person, and refuses a compressed bomb of one endless line without reading it all.
 */
class ExtractFilterFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    private static final int FILES = Integer.getInteger("fuzz.files", 1500);

    private final Pseudonymiser pseudonymiser = new Pseudonymiser(new byte[32]);

    private String pseudonym(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String nir(Random r) {
        String body = String.format("%d%02d%02d%02d%03d%03d", 1 + r.nextInt(2), r.nextInt(100), 1 + r.nextInt(12),
                1 + r.nextInt(95), r.nextInt(1000), 1 + r.nextInt(999));
        long key = 97 - Long.parseLong(body) % 97;
        String nir = body + String.format("%02d", key);
        return r.nextBoolean() ? nir : nir.charAt(0) + " " + nir.substring(1, 3) + " " + nir.substring(3, 5) + " "
                + nir.substring(5, 7) + " " + nir.substring(7, 10) + " " + nir.substring(10, 13) + " " + nir.substring(13);
    }

    private String line(Random r, List<String> excluded) {
        return switch (r.nextInt(12)) {
            case 0, 1, 2 -> pseudonym(r);
            case 3 -> excluded.get(r.nextInt(excluded.size()));
            case 4, 5 -> nir(r);
            case 6 -> nir(r).replace('5', '6'); // most often a wrong key
            case 7 -> "";
            case 8 -> pseudonym(r).toUpperCase();
            case 9 -> new String(randomBytes(r, r.nextInt(80)), StandardCharsets.ISO_8859_1);
            case 10 -> "x".repeat(r.nextInt(5000));
            default -> " " + pseudonym(r) + " \r";
        };
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                b[i] = 'n';
            }
        }
        return b;
    }

    @Test
    void any_mix_of_rows_is_counted_whole_and_only_given_allowed_lines_come_out() throws Exception {
        Random r = new Random(SEED);
        List<String> excluded = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            excluded.add(pseudonym(r));
        }
        PseudonymSet set = PseudonymSet.of(excluded.stream().mapToLong(PseudonymSet::key).toArray());
        ExtractFilter filter = new ExtractFilter(set, pseudonymiser);
        for (int f = 0; f < FILES; f++) {
            StringBuilder text = new StringBuilder();
            int lines = r.nextInt(400);
            Set<String> given = new HashSet<>();
            for (int i = 0; i < lines; i++) {
                String l = line(r, excluded);
                given.add(l.strip());
                text.append(l).append(r.nextInt(10) == 0 ? "\r\n" : "\n");
            }
            if (r.nextBoolean() && text.length() > 0) {
                text.setLength(text.length() - 1); // no final newline
            }
            byte[] input = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long[] reported = {0};
            FilterOutcome outcome = filter.filter(new ByteArrayInputStream(input), out, (line, message) -> {
                assertThat(line).isPositive();
                assertThat(message).isNotBlank();
                reported[0]++;
            }, null, null);

            assertThat(outcome.allowed() + outcome.excluded() + outcome.errors()).as("file %d", f).isEqualTo(outcome.rows());
            assertThat(reported[0]).isEqualTo(outcome.errors());
            assertThat(outcome.inputSha256()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(input)));
            for (String kept : out.toString(StandardCharsets.ISO_8859_1).split("\n", -1)) {
                if (!kept.isEmpty()) {
                    assertThat(given).as("file %d", f).contains(kept.strip());
                    assertThat(excluded).doesNotContain(kept.strip());
                }
            }
        }
    }

    @Test
    void broken_csv_is_reported_and_never_aborts_silently() throws Exception {
        Random r = new Random(SEED + 1);
        ExtractFilter filter = new ExtractFilter(PseudonymSet.of(new long[0]), pseudonymiser);
        for (int f = 0; f < 300; f++) {
            StringBuilder csv = new StringBuilder("nir,age\n");
            for (int i = 0; i < r.nextInt(50); i++) {
                switch (r.nextInt(5)) {
                    case 0 -> csv.append(nir(r)).append(",").append(r.nextInt(99)).append("\n");
                    case 1 -> csv.append("\"").append(nir(r)).append("\",\"x\"\"y\"\n");
                    case 2 -> csv.append(",,,\n");
                    case 3 -> csv.append("\"unterminated,").append(r.nextInt()).append("\n");
                    default -> csv.append(new String(randomBytes(r, 20), StandardCharsets.ISO_8859_1)).append("\n");
                }
            }
            FilterOutcome outcome = filter.filter(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                    OutputStream.nullOutputStream(), (line, message) -> { }, "nir", null);
            assertThat(outcome.allowed() + outcome.excluded() + outcome.errors()).isEqualTo(outcome.rows());
        }
    }

    @Test
    void a_compressed_bomb_of_one_endless_line_is_refused_without_reading_it_all() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) '0');
            for (int i = 0; i < 1024; i++) { // 1 GiB of one line, about 1 MB compressed
                gzip.write(block);
            }
        }
        long[] read = {0};
        InputStream counted = new java.io.FilterInputStream(new ByteArrayInputStream(bomb.toByteArray())) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(0, n);
                return n;
            }
        };
        ExtractFilter filter = new ExtractFilter(PseudonymSet.of(new long[0]), pseudonymiser);

        assertThatThrownBy(() -> filter.filter(counted, OutputStream.nullOutputStream(), (l, m) -> { }, null, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer than");
        assertThat(read[0]).isLessThan(bomb.size() / 4); // stopped at the first 16 MiB of the line
    }

    @Test
    void a_utf8_byte_order_mark_is_not_part_of_the_first_row_but_is_part_of_the_input_hash() throws Exception {
        // given the same extract, as plain lines, as CSV and gzipped, saved by a spreadsheet that writes a BOM first
        Random r = new Random(SEED + 3);
        String first = nir(r);
        String second = nir(r);
        ExtractFilter filter = new ExtractFilter(PseudonymSet.of(new long[0]), pseudonymiser);
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        for (String column : new String[] {null, "nir"}) {
            String text = (column == null ? "" : "nir\n") + first + "\n" + second + "\n";
            byte[] file = concat(bom, text.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gz)) {
                gzip.write(file);
            }
            for (byte[] input : List.of(file, gz.toByteArray())) {
                // when it is filtered
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FilterOutcome outcome = filter.filter(new ByteArrayInputStream(input), out, (l, m) -> { }, column,
                        null);

                // then both rows are read, the output has no BOM, and the input hash is of the bytes as sent
                assertThat(outcome.rows()).as("column %s", column).isEqualTo(2);
                assertThat(outcome.errors()).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).doesNotStartWith("\ufeff");
                assertThat(outcome.inputSha256()).isEqualTo(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(input)));
            }
        }
    }

    @Test
    void an_extract_in_utf16_is_refused_with_what_to_do() {
        ExtractFilter filter = new ExtractFilter(PseudonymSet.of(new long[0]), pseudonymiser);
        for (byte[] mark : List.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xfe, (byte) 0xff})) {
            byte[] file = concat(mark, "1 62 09 69 123 456 68\n".getBytes(StandardCharsets.UTF_16LE));
            assertThatThrownBy(() -> filter.filter(new ByteArrayInputStream(file), OutputStream.nullOutputStream(),
                    (l, m) -> { }, null, null)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("UTF-16").hasMessageContaining("UTF-8");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void a_nir_that_is_valid_is_recognised_in_all_its_spellings() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 1000; i++) {
            String n = nir(r);
            assertThat(pseudonymiser.pseudonymise(Nir.parse(n))).isEqualTo(pseudonymiser.pseudonymise(
                    Nir.parse(n.replace(" ", ""))));
        }
    }
}
