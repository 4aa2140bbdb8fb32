package eu.ehds.rights.ledger.log;

/** A leaf about to be appended: the event it stands for and its RFC 9162 leaf hash. */
public record LogLeaf(String eventId, byte[] leafHash) {
}
