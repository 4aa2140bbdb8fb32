package eu.ehds.rights.ledger.api.common;

/** How a person's request reached the ledger. */
public enum Channel {
    PORTAL, POST, PHONE, DESK, REPRESENTATIVE
}
