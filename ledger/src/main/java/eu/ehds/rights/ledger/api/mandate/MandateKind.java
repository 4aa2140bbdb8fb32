package eu.ehds.rights.ledger.api.mandate;

/** The legal basis on which a representative acts for a person. */
public enum MandateKind {
    /** Holder of parental authority over a minor. */
    PARENT,
    /** Guardian (tutelle) of a protected adult. */
    GUARDIAN,
    /** Curator (curatelle) assisting a protected adult. */
    CURATOR,
    /** Person given a mandate for future protection or a family authorisation. */
    AUTHORISED_FAMILY_MEMBER
}
