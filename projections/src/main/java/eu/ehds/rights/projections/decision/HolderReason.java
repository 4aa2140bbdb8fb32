package eu.ehds.rights.projections.decision;

/**
 * What a data holder is told of a decision: whether the person may be in the extract, never why. The full
 * {@link Reason} would tell the holder that a person opted out after the permit, that a derogation overrode their
 * opt-out, or which scope their opt-out had; staff and auditors keep it.
 */
public enum HolderReason {
    /** The person's data may be delivered to the project. */
    INCLUDED,
    /** The person's data may not be delivered to the project. */
    EXCLUDED,
    /** Nobody's data may be delivered: the project holds no permit at the time asked. */
    PROJECT_NOT_PERMITTED,
    /** Nobody's data may be delivered: the project was closed at the time asked. */
    PROJECT_CLOSED;

    public static HolderReason of(Reason reason) {
        return switch (reason) {
            case NO_OPT_OUT, OPT_OUT_AFTER_PERMIT, DEROGATION, CONSENT_IN_FORCE -> INCLUDED;
            case OPTED_OUT_GLOBAL, OPTED_OUT_PURPOSE, OPTED_OUT_PROJECT, NO_CONSENT, CONSENT_WITHDRAWN,
                 CONSENT_EXPIRED -> EXCLUDED;
            case PROJECT_NOT_PERMITTED, UNKNOWN_PROJECT -> PROJECT_NOT_PERMITTED;
            case PROJECT_CLOSED -> PROJECT_CLOSED;
        };
    }
}
