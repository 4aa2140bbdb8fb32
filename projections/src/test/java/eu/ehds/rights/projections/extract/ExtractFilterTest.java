package eu.ehds.rights.projections.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExtractFilterTest {

    private static final String KEPT = "00112233445566778899aabbccddeeff";
    private static final String OPTED_OUT = "ffeeddccbbaa99887766554433221100";
    private static final String NIR = "206127511100564";

    private Pseudonymiser pseudonymiser;
    private ExtractFilter filter;
    private final List<String> errors = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void givenOneExcludedPseudonymAndOneExcludedNir() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 9);
        pseudonymiser = new Pseudonymiser(secret);
        String nirPseudonym = pseudonymiser.pseudonymise(Nir.parse(NIR));
        PseudonymSet excluded = PseudonymSet.of(new long[] {PseudonymSet.key(OPTED_OUT), PseudonymSet.key(nirPseudonym)});
        filter = new ExtractFilter(excluded, pseudonymiser);
    }

    private FilterOutcome run(byte[] input, String column) throws Exception {
        return filter.filter(new ByteArrayInputStream(input), output, (line, message) -> errors.add(line + ": " + message),
                column, null);
    }

    private String out() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class OneIdentifierPerLine {

        @Test
        void keeps_allowed_rows_and_counts_the_excluded() throws Exception {
            FilterOutcome outcome = run((KEPT + "\n" + OPTED_OUT + "\n" + NIR + "\n1 84 05 78 006 084 43\n").getBytes(), null);
            assertThat(out()).isEqualTo(KEPT + "\n1 84 05 78 006 084 43\n");
            assertThat(outcome.rows()).isEqualTo(4);
            assertThat(outcome.allowed()).isEqualTo(2);
            assertThat(outcome.excluded()).isEqualTo(2);
            assertThat(outcome.errors()).isZero();
        }

        @Test
        void hands_over_the_keys_of_the_persons_it_left_out_and_of_those_it_delivered() throws Exception {
            List<Long> delivered = new ArrayList<>();
            List<Long> left = new ArrayList<>();
            filter.filter(new ByteArrayInputStream((KEPT + "\n" + OPTED_OUT + "\n" + NIR + "\n").getBytes()), output,
                    (line, message) -> errors.add(message), null, null, delivered::add, left::add);
            assertThat(delivered).containsExactly(PseudonymSet.key(KEPT));
            assertThat(left).containsExactly(PseudonymSet.key(OPTED_OUT),
                    PseudonymSet.key(pseudonymiser.pseudonymise(Nir.parse(NIR))));
        }

        @Test
        void reports_bad_rows_by_line_number_and_carries_on() throws Exception {
            FilterOutcome outcome = run(("pseudonym\r\n" + KEPT + "\r\n\r\nnot-an-id\r\n206127511100565\r\n" + KEPT)
                    .getBytes(), null);
            assertThat(out()).isEqualTo("pseudonym\n" + KEPT + "\n" + KEPT + "\n");
            assertThat(outcome.errors()).isEqualTo(2);
            assertThat(errors).hasSize(2);
            assertThat(errors.get(0)).startsWith("4: invalid NIR");
            assertThat(errors.get(1)).startsWith("5: invalid NIR").doesNotContain("2061275111005");
        }

        @Test
        void reads_gzip_and_hashes_the_input_as_received_and_the_output_as_written() throws Exception {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
                zip.write((KEPT + "\n" + OPTED_OUT + "\n").getBytes());
            }
            FilterOutcome outcome = run(gz.toByteArray(), null);
            assertThat(out()).isEqualTo(KEPT + "\n");
            assertThat(outcome.inputSha256()).isEqualTo(sha256(gz.toByteArray()));
            assertThat(outcome.outputSha256()).isEqualTo(sha256(output.toByteArray()));
            assertThat(outcome.cohortCommitment()).isEqualTo(sha256(HexFormat.of().parseHex(KEPT)));
        }

        @Test
        void gives_the_same_rows_hashes_and_line_numbers_across_many_chunks() throws Exception {
            // given ~14 MB of mixed lines (kept, excluded, blank, CRLF, padded, bad), several chunks' worth
            java.util.Random random = new java.util.Random(7);
            StringBuilder in = new StringBuilder("pseudonym\n");
            StringBuilder expected = new StringBuilder("pseudonym\n");
            ByteArrayOutputStream cohortBytes = new ByteArrayOutputStream();
            List<Long> expectedErrorLines = new ArrayList<>();
            long line = 1;
            for (int i = 0; i < 500_000; i++) {
                line++;
                String id = HexFormat.of().formatHex(longBytes(random.nextLong(), random.nextLong()));
                switch (random.nextInt(10)) {
                    case 0 -> in.append(OPTED_OUT).append('\n');
                    case 1 -> in.append('\n');
                    case 2 -> {
                        in.append(' ').append(id).append(" \r\n");
                        expected.append(id).append('\n');
                        cohortBytes.write(HexFormat.of().parseHex(id));
                    }
                    case 3 -> {
                        in.append("not-a-row-").append(i).append('\n');
                        expectedErrorLines.add(line);
                    }
                    default -> {
                        in.append(id).append('\n');
                        expected.append(id).append('\n');
                        cohortBytes.write(HexFormat.of().parseHex(id));
                    }
                }
            }
            in.append(KEPT); // last line without its newline
            expected.append(KEPT).append('\n');
            cohortBytes.write(HexFormat.of().parseHex(KEPT));
            byte[] input = in.toString().getBytes(StandardCharsets.US_ASCII);
            List<Long> delivered = new ArrayList<>();

            // when
            FilterOutcome outcome = filter.filter(new ByteArrayInputStream(input), output,
                    (l, message) -> errors.add(l + ": " + message), null, null, delivered::add);

            // then
            assertThat(input.length).isGreaterThan(3 * (1 << 22));
            assertThat(out()).isEqualTo(expected.toString());
            assertThat(outcome.inputSha256()).isEqualTo(sha256(input));
            assertThat(outcome.outputSha256()).isEqualTo(sha256(output.toByteArray()));
            assertThat(outcome.cohortCommitment()).isEqualTo(sha256(cohortBytes.toByteArray()));
            assertThat(outcome.allowed()).isEqualTo(delivered.size()).isEqualTo(cohortBytes.size() / 16);
            assertThat(errors).hasSize(expectedErrorLines.size());
            for (int i = 0; i < errors.size(); i++) {
                assertThat(errors.get(i)).startsWith(expectedErrorLines.get(i) + ": ");
            }
            assertThat(outcome.rows()).isEqualTo(outcome.allowed() + outcome.excluded() + outcome.errors());
        }

        @Test
        void hashes_a_line_longer_than_a_chunk_once_and_reports_it() throws Exception {
            byte[] input = (KEPT + "\n" + "x".repeat(5 << 20) + "\n" + KEPT + "\n").getBytes(StandardCharsets.US_ASCII);
            FilterOutcome outcome = run(input, null);
            assertThat(out()).isEqualTo(KEPT + "\n" + KEPT + "\n");
            assertThat(outcome.errors()).isEqualTo(1);
            assertThat(errors.get(0)).startsWith("2: ");
            assertThat(outcome.inputSha256()).isEqualTo(sha256(input));
        }

        @Test
        void accepts_only_pseudonyms_without_a_pseudonymiser() throws Exception {
            filter = new ExtractFilter(PseudonymSet.of(new long[0]), null);
            FilterOutcome outcome = run((KEPT + "\n" + NIR + "\n").getBytes(), null);
            assertThat(outcome.errors()).isEqualTo(1);
            assertThat(errors.get(0)).contains("not a ledger pseudonym");
        }
    }

    @Nested
    class HexParsing {

        @Test
        void reads_every_lowercase_hex_pseudonym_as_the_jdk_does() {
            java.util.Random random = new java.util.Random(3);
            byte[] into = new byte[20];
            for (int i = 0; i < 10_000; i++) {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                byte[] text = HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.US_ASCII);
                assertThat(ExtractFilter.parseHexPseudonym(text, 0, 32, into, 2)).isTrue();
                assertThat(Arrays.copyOfRange(into, 2, 18)).isEqualTo(bytes);
            }
        }

        @Test
        void refuses_any_other_byte_in_any_position() {
            byte[] text = KEPT.getBytes(StandardCharsets.US_ASCII);
            for (int position = 0; position < 32; position++) {
                for (int b = 0; b < 256; b++) {
                    byte[] changed = text.clone();
                    changed[position] = (byte) b;
                    boolean hexDigit = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
                    assertThat(ExtractFilter.parseHexPseudonym(changed, 0, 32, new byte[16], 0))
                            .as("byte %d at %d", b, position).isEqualTo(hexDigit);
                }
            }
        }

        @Test
        void refuses_wrong_lengths() {
            byte[] text = (KEPT + "0").getBytes(StandardCharsets.US_ASCII);
            assertThat(ExtractFilter.parseHexPseudonym(text, 0, 31, new byte[16], 0)).isFalse();
            assertThat(ExtractFilter.parseHexPseudonym(text, 0, 33, new byte[16], 0)).isFalse();
        }
    }

    @Nested
    class Csv {

        @Test
        void filters_on_the_named_column_and_keeps_the_other_fields() throws Exception {
            String csv = "id,nir,age\n1,\"" + NIR + "\",40\n2,1 84 05 78 006 084 43,51\n3,,7\n4,\"" + KEPT + "\",\"a,b\"\n";
            FilterOutcome outcome = run(csv.getBytes(), "nir");
            assertThat(out()).isEqualTo("id,nir,age\r\n2,1 84 05 78 006 084 43,51\r\n4," + KEPT + ",\"a,b\"\r\n");
            assertThat(outcome.excluded()).isEqualTo(1);
            assertThat(outcome.errors()).isEqualTo(1);
            assertThat(errors.get(0)).startsWith("4: invalid NIR: the NIR is missing");
        }

        @Test
        void matches_the_column_name_without_regard_to_case_and_hands_over_the_left_out_keys() throws Exception {
            List<Long> left = new ArrayList<>();
            filter.filter(new ByteArrayInputStream(("id,NIR\n1," + NIR + "\n2," + KEPT + "\n").getBytes()), output,
                    (line, message) -> errors.add(message), "nir", null, null, left::add);
            assertThat(out()).isEqualTo("id,NIR\r\n2," + KEPT + "\r\n");
            assertThat(left).containsExactly(PseudonymSet.key(pseudonymiser.pseudonymise(Nir.parse(NIR))));
        }

        @Test
        void refuses_a_file_without_the_named_column() {
            assertThatThrownBy(() -> run("a,b\n1,2\n".getBytes(), "nir"))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no column named 'nir'");
        }
    }

    private static byte[] longBytes(long high, long low) {
        return java.nio.ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
