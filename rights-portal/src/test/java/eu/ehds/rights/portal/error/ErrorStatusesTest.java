package eu.ehds.rights.portal.error;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.server.ResponseStatusException;

class ErrorStatusesTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new InvalidRequestException("scope is required"), HttpStatus.BAD_REQUEST),
                Arguments.of(new ConflictException("already withdrawn"), HttpStatus.CONFLICT),
                Arguments.of(new NotFoundException("no such project"), HttpStatus.NOT_FOUND),
                Arguments.of(new NotFoundException("a subclass") { }, HttpStatus.NOT_FOUND),
                Arguments.of(new AccessDeniedException("not yours"), HttpStatus.FORBIDDEN),
                Arguments.of(new MaxUploadSizeExceededException(10), HttpStatus.CONTENT_TOO_LARGE),
                Arguments.of(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE), HttpStatus.SERVICE_UNAVAILABLE),
                Arguments.of(new IllegalStateException("wrapped",
                        new SQLTransientConnectionException("pool timed out")), HttpStatus.SERVICE_UNAVAILABLE),
                Arguments.of(new IllegalStateException("a bug"), HttpStatus.INTERNAL_SERVER_ERROR));
    }

    @ParameterizedTest
    @MethodSource("table")
    void answers_each_exception_with_one_status_for_the_api_and_the_pages(Exception e, HttpStatus expected) {
        assertThat(ErrorStatuses.of(e)).isEqualTo(expected);
    }
}
