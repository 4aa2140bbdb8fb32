package eu.ehds.rights.ledger.signing;

/** Hands the package-private aggregate type to the application's configuration. */
public final class LogSigningKeysAccess {

    private LogSigningKeysAccess() {
    }

    public static Class<?> type() {
        return LogSigningKeys.class;
    }
}
