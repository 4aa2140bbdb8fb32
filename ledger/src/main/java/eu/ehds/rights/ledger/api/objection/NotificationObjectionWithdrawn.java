package eu.ehds.rights.ledger.api.objection;

import eu.ehds.rights.ledger.api.common.Channel;
import java.time.Instant;

/** Event type {@code NotificationObjectionWithdrawn}, revision 1. */
public record NotificationObjectionWithdrawn(String person, Channel channel, String recordedBy,
                                             Instant withdrawnAt) {
}
