package eu.ehds.rights.portal.witness;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A witness that cosigns the log's checkpoints (C2SP tlog-witness), e.g. the auditor organisation's.
 *
 * @param url      the witness's base URL ({@code LEDGER_WITNESS_URL}; none: checkpoints are not witnessed)
 * @param key      its verifier key, {@code <name>+<key id>+base64(0x04 ‖ key)} ({@code LEDGER_WITNESS_KEY}):
 *                 a cosignature is stored only once it verifies with it
 * @param interval how often the latest checkpoint is offered ({@code LEDGER_WITNESS_INTERVAL})
 * @param timeout  how long one request to the witness may take
 */
@ConfigurationProperties("ledger.witness")
public record WitnessProperties(String url, String key, @DefaultValue("2s") Duration interval,
                                @DefaultValue("5s") Duration timeout) {

    public WitnessProperties {
        url = url == null || url.isBlank() ? null : url.endsWith("/") ? url : url + "/";
        if (url != null && (key == null || key.isBlank())) {
            throw new IllegalStateException("LEDGER_WITNESS_URL is set but LEDGER_WITNESS_KEY is not: give the "
                    + "witness's verifier key, so that its cosignatures can be checked");
        }
    }

    public boolean enabled() {
        return url != null;
    }

    /** The witness's base URL, ending with a slash so that paths resolve under it. */
    public URI baseUrl() {
        return URI.create(url);
    }
}
