package eu.ehds.rights.portal.error;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.portal.ledger.StorageOutage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentConversionNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one table from an exception to the HTTP status it is answered with, for the API (a problem document) and the
 * pages (the error page) alike: each says it in its own words, neither decides the status on its own.
 *
 * <pre>{@code
 * HttpStatus status = ErrorStatuses.of(exception);
 * }</pre>
 */
public final class ErrorStatuses {

    /** Most specific first: a class is looked up along its superclasses. */
    private static final Map<Class<? extends Throwable>, HttpStatus> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(InvalidRequestException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(ConflictException.class, HttpStatus.CONFLICT);
        TABLE.put(NotFoundException.class, HttpStatus.NOT_FOUND);
        TABLE.put(AggregateNotFoundException.class, HttpStatus.NOT_FOUND);
        TABLE.put(NoResourceFoundException.class, HttpStatus.NOT_FOUND);
        TABLE.put(AccessDeniedException.class, HttpStatus.FORBIDDEN);
        TABLE.put(RequestRejectedException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(InvalidParameterException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(MissingServletRequestParameterException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(MethodArgumentTypeMismatchException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(MethodArgumentConversionNotSupportedException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(HttpMessageNotReadableException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(MaxUploadSizeExceededException.class, HttpStatus.CONTENT_TOO_LARGE);
        TABLE.put(MultipartException.class, HttpStatus.BAD_REQUEST);
        TABLE.put(HttpRequestMethodNotSupportedException.class, HttpStatus.METHOD_NOT_ALLOWED);
        TABLE.put(HttpMediaTypeNotSupportedException.class, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        TABLE.put(HttpMediaTypeNotAcceptableException.class, HttpStatus.NOT_ACCEPTABLE);
    }

    private ErrorStatuses() {
    }

    /** The status for an exception: the table's, the one it carries, 503 when the database is out of reach, or 500. */
    public static HttpStatus of(Throwable e) {
        if (e instanceof ResponseStatusException carried) {
            return HttpStatus.valueOf(carried.getStatusCode().value());
        }
        for (Class<?> type = e.getClass(); type != null; type = type.getSuperclass()) {
            HttpStatus status = TABLE.get(type);
            if (status != null) {
                return status;
            }
        }
        return StorageOutage.causedBy(e) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
    }
}
