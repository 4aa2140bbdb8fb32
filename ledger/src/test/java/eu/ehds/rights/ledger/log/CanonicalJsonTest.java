package eu.ehds.rights.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void sorts_members_and_drops_white_space() throws Exception {
        String json = "{ \"b\": [1, {\"z\":true, \"a\":null}], \"a\": \"x\", \"A\": -12 }";
        assertThat(CanonicalJson.toString(mapper.readTree(json)))
                .isEqualTo("{\"A\":-12,\"a\":\"x\",\"b\":[1,{\"a\":null,\"z\":true}]}");
    }

    @Test
    void escapes_only_what_must_be_escaped() throws Exception {
        String json = "{\"s\":\"quote\\\" backslash\\\\ tab\\t nl\\n bell\\u0007 \\u00e9 \\u20ac\"}";
        assertThat(CanonicalJson.toString(mapper.readTree(json)))
                .isEqualTo("{\"s\":\"quote\\\" backslash\\\\ tab\\t nl\\n bell\\u0007 \u00e9 \u20ac\"}");
    }

    @Test
    void escapes_a_character_wherever_it_stands_in_a_string() throws Exception {
        String json = "[\"\", \"plain\", \"\\nfirst\", \"last\\n\", \"mid\\\"dle\", \"\\u0001\"]";
        assertThat(CanonicalJson.toString(mapper.readTree(json)))
                .isEqualTo("[\"\",\"plain\",\"\\nfirst\",\"last\\n\",\"mid\\\"dle\",\"\\u0001\"]");
    }

    @Test
    void gives_the_same_bytes_whatever_the_member_order_of_the_input() throws Exception {
        assertThat(CanonicalJson.write(mapper.readTree("{\"x\":1,\"y\":{\"b\":2,\"a\":1}}")))
                .isEqualTo(CanonicalJson.write(mapper.readTree("{\"y\":{\"a\":1,\"b\":2},\"x\":1}")));
    }

    /** RFC 8785, section 3.2.3: members sorted by UTF-16 code units, a character outside the basic plane included. */
    @Test
    void sorts_members_as_rfc_8785_sorting_example() throws Exception {
        String json = "{\n  \"\\u20ac\": \"Euro Sign\",\n  \"\\r\": \"Carriage Return\",\n"
                + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"1\": \"One\",\n"
                + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n  \"\\u0080\": \"Control\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n}";

        assertThat(CanonicalJson.toString(mapper.readTree(json))).isEqualTo("{\"\\r\":\"Carriage Return\","
                + "\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /**
     * RFC 8785, section 3.2.2's example without its numbers (ledger events carry integers only, and the example's
     * are floating-point, which the ledger refuses): its string, with a character outside ASCII, and its literals.
     */
    @Test
    void writes_strings_and_literals_as_rfc_8785_example() throws Exception {
        String json = "{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";

        byte[] canonical = CanonicalJson.write(mapper.readTree(json));

        assertThat(new String(canonical, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        assertThatThrownBy(() -> CanonicalJson.write(mapper.readTree("{\"numbers\":[333333333.33333329,1E30]}")))
                .hasMessageContaining("floating-point");
    }

    @Test
    void refuses_floating_point_numbers() {
        assertThatThrownBy(() -> CanonicalJson.write(mapper.readTree("{\"x\":1.5}")))
                .hasMessageContaining("floating-point");
    }

    @Test
    void leaf_layout_is_stable() {
        byte[] leaf = new LeafCodec().leafBytes("e-1", "agg", 3, Instant.parse("2026-01-02T03:04:05.600Z"),
                "OptOutRegistered", "1", "{\"scope\":{\"value\":null,\"type\":\"GLOBAL\"},\"person\":\"p\"}".getBytes());
        assertThat(new String(leaf)).isEqualTo("{\"aggregateId\":\"agg\",\"eventId\":\"e-1\","
                + "\"payload\":{\"person\":\"p\",\"scope\":{\"type\":\"GLOBAL\",\"value\":null}},\"revision\":\"1\","
                + "\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05.600Z\",\"type\":\"OptOutRegistered\",\"v\":1}");
    }
}
