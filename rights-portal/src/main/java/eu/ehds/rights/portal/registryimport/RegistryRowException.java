package eu.ehds.rights.portal.registryimport;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;

/** Why a row (or the file) cannot be imported; the message quotes none of its values, so no NIR reaches a report. */
public final class RegistryRowException extends InvalidRequestException {

    public RegistryRowException(String message) {
        super(message);
    }
}
