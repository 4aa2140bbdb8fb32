package eu.ehds.rights.ledger.api.optout;

import eu.ehds.rights.ledger.api.common.Channel;
import java.time.Instant;

/** Event type {@code OptOutWithdrawn}, revision 1. */
public record OptOutWithdrawn(String person, OptOutScope scope, Channel channel, String recordedBy,
                              Instant withdrawnAt) {
}
