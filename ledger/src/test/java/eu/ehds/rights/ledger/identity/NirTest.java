package eu.ehds.rights.ledger.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NirTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "206127511100564",          // a published example: key 64
            "2 06 12 75 111 005 64",     // spaces between groups
            "1.84.05.78.006.084-43",
            "284052A00401863",          // Corse-du-Sud: 2A counts as 19 in the key
            "2 84 05 2a 004 018 63",     // lower case accepted
            "193072B12345688"           // Haute-Corse: 2B counts as 18
    })
    void accepts_valid_nirs(String raw) {
        assertThat(Nir.parse(raw)).isNotNull();
    }

    @Test
    void normalises_formatting_before_comparing() {
        assertThat(Nir.parse("2 06 12 75 111 005 64")).isEqualTo(Nir.parse("206127511100564"));
    }

    @Test
    void rejects_a_wrong_key_without_quoting_the_number() {
        assertThatThrownBy(() -> Nir.parse("206127511100565"))
                .isInstanceOf(InvalidNirException.class)
                .hasMessageContaining("key")
                .hasMessageNotContaining("2061275111005");
    }

    @Test
    void rejects_a_corsican_number_whose_key_ignores_the_corsican_rule() {
        // 63 is right for 2A; the same digits with 2B need another key
        assertThatThrownBy(() -> Nir.parse("284052B00401863")).isInstanceOf(InvalidNirException.class);
    }

    @Test
    void rejects_wrong_lengths_and_letters() {
        assertThatThrownBy(() -> Nir.parse("20612751110056")).hasMessageContaining("15 characters");
        assertThatThrownBy(() -> Nir.parse("2061275X1100564")).hasMessageContaining("position 8");
        assertThatThrownBy(() -> Nir.parse("506127511100564")).hasMessageContaining("first character");
        assertThatThrownBy(() -> Nir.parse("")).hasMessageContaining("missing");
        assertThatThrownBy(() -> Nir.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void never_prints_the_number() {
        assertThat(Nir.parse("206127511100564").toString()).doesNotContain("2061275");
    }
}
