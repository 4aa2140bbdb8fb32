package eu.ehds.rights.projections.decision;

/** The answer to "may this person's data be used for this project at this time?", with its reason and rule. */
public record Decision(boolean allowed, Reason reason, RuleMode rule) {

    static Decision allow(Reason reason, RuleMode rule) {
        return new Decision(true, reason, rule);
    }

    static Decision exclude(Reason reason, RuleMode rule) {
        return new Decision(false, reason, rule);
    }
}
