package eu.ehds.rights.projections.decision;

/**
 * Which opt-outs apply to an extract.
 * <ul>
 *   <li>{@link #EHDS_ART_71_3} (default): an opt-out applies to permits approved after it (Art. 71(3)); it is not
 *   retroactive for a permit approved before it, even for later extracts under that permit.</li>
 *   <li>{@link #STRICT_FUTURE_EXTRACTS}: a stricter national rule: every opt-out in force at the time of the
 *   extract applies, whatever the permit's date.</li>
 * </ul>
 */
public enum RuleMode {
    EHDS_ART_71_3, STRICT_FUTURE_EXTRACTS
}
