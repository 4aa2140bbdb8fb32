package eu.ehds.rights.ledger.api.optout;

import eu.ehds.rights.ledger.api.common.Channel;
import java.time.Instant;

/** Event type {@code OptOutRegistered}, revision 1. */
public record OptOutRegistered(String person, OptOutScope scope, Channel channel, String recordedBy,
                               Instant registeredAt) {
}
