package eu.ehds.rights.ledger.api.finding;

/** How much a significant finding matters to the person's health, as the reporting project judges it. */
public enum Severity {
    /** Worth knowing; no urgency. */
    INFORMATIVE,
    /** Should be followed up with a professional. */
    IMPORTANT,
    /** Calls for prompt care. */
    URGENT
}
