package eu.ehds.rights.portal.citizen;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.projections.mandate.MandateView;

/**
 * The person whose choices a page shows and changes: the signed-in citizen, or someone they represent under a
 * mandate in force. {@code recordedBy} and {@code channel} say, in every event, who acted for whom; {@code label} is
 * the name the representative gave the represented person (null for oneself, or when none was given).
 */
record Subject(String pseudonym, MandateView mandate, String recordedBy, Channel channel, String label) {

    public boolean self() {
        return mandate == null;
    }

    /** The request parameter that keeps acting for the represented person across pages ({@code null} for oneself). */
    public String forParameter() {
        return mandate == null ? null : mandate.mandateId();
    }
}
