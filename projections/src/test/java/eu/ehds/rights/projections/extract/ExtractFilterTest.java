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
        filter = new ExtractFilter(excluded::contains, pseudonymiser);
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
        void accepts_only_pseudonyms_without_a_pseudonymiser() throws Exception {
            filter = new ExtractFilter(k -> false, null);
            FilterOutcome outcome = run((KEPT + "\n" + NIR + "\n").getBytes(), null);
            assertThat(outcome.errors()).isEqualTo(1);
            assertThat(errors.get(0)).contains("not a ledger pseudonym");
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
        void refuses_a_file_without_the_named_column() {
            assertThatThrownBy(() -> run("a,b\n1,2\n".getBytes(), "nir"))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no column named 'nir'");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
