package eu.ehds.rights.portal.error;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.portal.ledger.StorageOutage;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Turns refusals into RFC 9457 problem documents a person can act on, with the status of {@link ErrorStatuses}.
 * Messages never quote identifiers: the
 * domain's messages are written that way, and unexpected errors get a generic text (details go to the log).
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return problem(ErrorStatuses.of(e), e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(ErrorStatuses.of(e), e.getMessage());
    }

    /** Nothing there; a {@link ProblemProperties} exception adds what a client needs to ask again. */
    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        ProblemDetail problem = problem(ErrorStatuses.of(e), e.getMessage());
        if (e instanceof ProblemProperties detailed) {
            detailed.problemProperties().forEach(problem::setProperty);
        }
        return problem;
    }

    /** A header or parameter the firewall refuses: the value is the caller's, never logged nor echoed. */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejected(RequestRejectedException e) {
        return problem(ErrorStatuses.of(e), "the request carries a header or parameter value with characters this "
                + "server refuses (control characters)");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException e) {
        return problem(ErrorStatuses.of(e), e.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException e) {
        return problem(ErrorStatuses.of(e), "nothing is recorded under '" + e.getAggregateIdentifier() + "'");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonBodyLimit.BodyTooLargeException tooLarge) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage() + "; send fewer items per request");
            }
        }
        if (e.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JacksonException.Reference ref : databind.getPath()) {
                if (ref.getPropertyName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(ref.getPropertyName());
                } else {
                    field.append('[').append(ref.getIndex()).append(']');
                }
            }
            String expected = "";
            if (databind instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                    && invalid.getTargetType().isEnum()) {
                expected = "; expected one of " + Arrays.toString(invalid.getTargetType().getEnumConstants());
            }
            return problem(HttpStatus.BAD_REQUEST,
                    "field '" + field + "' has a value of the wrong type or format" + expected);
        }
        return problem(ErrorStatuses.of(e), "the request body is missing or is not well-formed JSON");
    }

    /** A request this API cannot take as sent: what to change, in words; the status from {@link ErrorStatuses}. */
    @ExceptionHandler({InvalidParameterException.class, MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class, NoResourceFoundException.class,
            HttpRequestMethodNotSupportedException.class, HttpMediaTypeNotSupportedException.class,
            HttpMediaTypeNotAcceptableException.class})
    ProblemDetail unusableRequest(Exception e) {
        String detail;
        if (e instanceof MissingServletRequestParameterException missing) {
            detail = "query parameter '" + missing.getParameterName() + "' is required";
        } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            detail = "parameter '" + mismatch.getName() + "' has a value of the wrong type";
        } else if (e instanceof HttpRequestMethodNotSupportedException method) {
            detail = "method " + method.getMethod() + " is not supported here";
        } else if (e instanceof HttpMediaTypeNotSupportedException) {
            detail = "send the body as application/json";
        } else if (e instanceof HttpMediaTypeNotAcceptableException notAcceptable) {
            detail = "this resource cannot answer in the types the Accept header asks for; ask for "
                    + (notAcceptable.getSupportedMediaTypes().isEmpty() ? "application/json"
                    : notAcceptable.getSupportedMediaTypes().stream().map(Object::toString).distinct()
                    .collect(Collectors.joining(" or ")));
        } else if (e instanceof NoResourceFoundException) {
            detail = "no such resource";
        } else {
            detail = "the query string or form body cannot be parsed (a broken %-escape?)";
        }
        return problem(ErrorStatuses.of(e), detail);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        HttpStatus status = ErrorStatuses.of(e);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            answer.header(HttpHeaders.RETRY_AFTER, "1"); // what is unavailable here catches up within a second or so
        }
        return answer.body(problem(status, e.getReason()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (StorageOutage.causedBy(e)) {
            LOG.warn("request not served, the database is busy or cannot be reached: {}", StorageOutage.reason(e));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(StorageOutage.RETRY_AFTER_SECONDS))
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, StorageOutage.MESSAGE));
        }
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error while handling a request (reference {})", reference, e);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "an internal error occurred; it has been logged under the reference " + reference));
    }

    /** The client went away (it gave up, or the balancer timed out): nothing to answer, nothing wrong here. */
    @ExceptionHandler(org.springframework.web.context.request.async.AsyncRequestNotUsableException.class)
    void clientGone(Exception e) {
        LOG.debug("the client went away before the answer: {}", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail);
    }
}
