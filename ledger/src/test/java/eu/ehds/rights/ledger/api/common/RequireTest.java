package eu.ehds.rights.ledger.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void accepts_lowercase_hexadecimal_of_the_length_asked() {
        assertThat(Require.hex("0123456789abcdef", "person pseudonym", 16)).isEqualTo("0123456789abcdef");
    }

    @Test
    void refuses_hexadecimal_of_another_length_in_capitals_or_with_other_characters() {
        for (String bad : new String[] {"0123456789abcde", "0123456789abcdef0", "0123456789ABCDEF", "0123456789abcdeg",
                "0123456789abcd f", "0123456789abcd-f", "", "٠123456789abcdef"}) {
            assertThatThrownBy(() -> Require.hex(bad, "person pseudonym", 16)).as(bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("person pseudonym must be 16 lowercase hexadecimal characters");
        }
        assertThatThrownBy(() -> Require.hex(null, "person pseudonym", 16))
                .isInstanceOf(InvalidRequestException.class);
    }
}
