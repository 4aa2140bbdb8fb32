package eu.ehds.rights.ledger;

import java.util.List;

/** The aggregate types of the ledger, for the application to register (the classes stay package-private). */
public final class LedgerAggregates {

    private LedgerAggregates() {
    }

    public static List<Class<?>> all() {
        return List.of(eu.ehds.rights.ledger.person.PersonRightsAccess.type(),
                eu.ehds.rights.ledger.project.ProjectAccess.type(),
                eu.ehds.rights.ledger.mandate.MandateAccess.type(),
                eu.ehds.rights.ledger.anchoring.CheckpointAnchorAccess.type(),
                eu.ehds.rights.ledger.finding.FindingAccess.type(),
                eu.ehds.rights.ledger.signing.LogSigningKeysAccess.type());
    }
}
