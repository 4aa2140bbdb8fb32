package eu.ehds.rights.ledger.person;

/** Hands the package-private aggregate type to the application's configuration. */
public final class PersonRightsAccess {

    private PersonRightsAccess() {
    }

    public static Class<?> type() {
        return PersonRights.class;
    }
}
