package eu.ehds.rights.portal.anchoring;

/** The anchoring network could not be reached, or refused a transaction; the message says which and why. */
public class AnchoringUnavailable extends RuntimeException {

    public AnchoringUnavailable(String message) {
        super(message);
    }
}
