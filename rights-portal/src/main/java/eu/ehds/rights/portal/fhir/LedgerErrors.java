package eu.ehds.rights.portal.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.identity.InvalidNirException;
import eu.ehds.rights.portal.ledger.StorageOutage;
import java.util.function.Supplier;

/**
 * The ledger's refusals as FHIR answers (HAPI turns them into OperationOutcomes): what the ledger would refuse is a
 * 4xx naming the problem, and nothing is recorded; a storage outage is a 503 to retry.
 */
final class LedgerErrors {

    /** The database is busy or cannot be reached: retry with the same If-None-Exist or identifier. */
    static final class Unavailable extends BaseServerResponseException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(503, message);
            addResponseHeader("Retry-After", "1");
        }
    }

    private LedgerErrors() {
    }

    static <T> T translate(Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidNirException e) {
            throw new UnprocessableEntityException("the NIR is not valid: " + e.getMessage());
        } catch (eu.ehds.rights.ledger.api.common.InvalidRequestException | IllegalArgumentException e) {
            throw new UnprocessableEntityException(e.getMessage());
        } catch (NotFoundException e) {
            throw new ResourceNotFoundException(e.getMessage());
        } catch (ConflictException e) {
            throw new ResourceVersionConflictException(e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof BaseServerResponseException || !StorageOutage.causedBy(e)) {
                throw e;
            }
            throw new Unavailable("the ledger's database is busy or cannot be reached: nothing was recorded, retry");
        }
    }
}
