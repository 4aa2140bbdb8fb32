package eu.ehds.rights.ledger.api.objection;

import eu.ehds.rights.ledger.api.common.Channel;
import java.time.Instant;

/** Event type {@code NotificationObjectionRegistered}, revision 1. */
public record NotificationObjectionRegistered(String person, Channel channel, String recordedBy,
                                              Instant registeredAt) {
}
