package eu.ehds.rights.ledger.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PseudonymiserTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void gives_the_same_pseudonym_for_the_same_person_whatever_the_formatting() {
        Pseudonymiser p = new Pseudonymiser(key(1));
        assertThat(p.pseudonymise(Nir.parse("2 06 12 75 111 005 64")))
                .isEqualTo(p.pseudonymise(Nir.parse("206127511100564")))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void depends_on_the_secret_key() {
        Nir nir = Nir.parse("206127511100564");
        assertThat(new Pseudonymiser(key(1)).pseudonymise(nir)).isNotEqualTo(new Pseudonymiser(key(2)).pseudonymise(nir));
    }

    @Test
    void is_hmac_sha256_truncated_to_128_bits() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key(7), "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal("206127511100564".getBytes()), 0, 16);
        assertThat(new Pseudonymiser(key(7)).pseudonymise(Nir.parse("2 06 12 75 111 005 64"))).isEqualTo(expected);
    }

    @Test
    void refuses_short_keys() {
        assertThatThrownBy(() -> new Pseudonymiser(new byte[16])).hasMessageContaining("32 bytes");
    }
}
