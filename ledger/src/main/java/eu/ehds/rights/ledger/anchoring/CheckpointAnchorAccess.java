package eu.ehds.rights.ledger.anchoring;

/** Hands the package-private aggregate type to the application's configuration. */
public final class CheckpointAnchorAccess {

    private CheckpointAnchorAccess() {
    }

    public static Class<?> type() {
        return CheckpointAnchor.class;
    }
}
