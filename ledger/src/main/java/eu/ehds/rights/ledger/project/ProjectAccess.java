package eu.ehds.rights.ledger.project;

/** Hands the package-private aggregate type to the application's configuration. */
public final class ProjectAccess {

    private ProjectAccess() {
    }

    public static Class<?> type() {
        return Project.class;
    }
}
