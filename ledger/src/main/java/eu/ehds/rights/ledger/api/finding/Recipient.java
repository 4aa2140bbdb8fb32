package eu.ehds.rights.ledger.api.finding;

/** Whom the data holder informs of a finding: the person, or their treating professional. */
public enum Recipient {
    PERSON, TREATING_PROFESSIONAL
}
