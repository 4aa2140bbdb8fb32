package eu.ehds.rights.ledger.mandate;

/** Hands the package-private aggregate type to the application's configuration. */
public final class MandateAccess {

    private MandateAccess() {
    }

    public static Class<?> type() {
        return Mandate.class;
    }
}
