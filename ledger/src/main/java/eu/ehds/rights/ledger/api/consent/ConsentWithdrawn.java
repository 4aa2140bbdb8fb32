package eu.ehds.rights.ledger.api.consent;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import java.time.Instant;

/** Event type {@code ConsentWithdrawn}, revision 1: the consent stops having effect for extracts after it. */
public record ConsentWithdrawn(String person, OptOutScope scope, Channel channel, String recordedBy,
                               Instant withdrawnAt) {
}
