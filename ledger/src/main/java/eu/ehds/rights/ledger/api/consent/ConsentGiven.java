package eu.ehds.rights.ledger.api.consent;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;

/**
 * Event type {@code ConsentGiven}, revision 1. The person agrees to secondary use within a scope (the same scopes as
 * an opt-out), until {@code validUntil} (exclusive; {@code null}: until withdrawn), having been shown the information
 * notice whose SHA-256 is {@code noticeSha256}.
 */
public record ConsentGiven(String person, OptOutScope scope, Channel channel, String recordedBy, Instant givenAt,
                           Instant validUntil, String noticeSha256) {
}
