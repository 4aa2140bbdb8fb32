package eu.ehds.rights.ledger.finding;

/** Hands the package-private aggregate type to the application's configuration. */
public final class FindingAccess {

    private FindingAccess() {
    }

    public static Class<?> type() {
        return Finding.class;
    }
}
