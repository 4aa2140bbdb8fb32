package eu.ehds.rights.projections.decision;

/** Why a person's data may or may not be used for a project. */
public enum Reason {
    /** Allowed: no opt-out covers the project. */
    NO_OPT_OUT,
    /** Allowed: the only covering opt-outs were registered after the permit (Art. 71(3)). */
    OPT_OUT_AFTER_PERMIT,
    /** Allowed: a public-interest derogation (Art. 71(4)) overrides the person's opt-out for this project. */
    DEROGATION,
    /** Excluded by a global opt-out. */
    OPTED_OUT_GLOBAL,
    /** Excluded by an opt-out from the project's purpose category. */
    OPTED_OUT_PURPOSE,
    /** Excluded by an opt-out from this project. */
    OPTED_OUT_PROJECT,
    /** Allowed (a consent project): a consent covering the project is in force and no opt-out overrides it. */
    CONSENT_IN_FORCE,
    /** Excluded (a consent project): no consent covering the project was given by then. */
    NO_CONSENT,
    /** Excluded (a consent project): the person withdrew the consent covering the project. */
    CONSENT_WITHDRAWN,
    /** Excluded (a consent project): the consent covering the project reached its end date. */
    CONSENT_EXPIRED,
    /** Excluded: the project has no permit approved at the time asked. */
    PROJECT_NOT_PERMITTED,
    /** Excluded: the project was closed at the time asked. */
    PROJECT_CLOSED,
    /** Excluded: the project is not in the register. */
    UNKNOWN_PROJECT
}
