package eu.ehds.rights.portal.holder;

import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.ledger.PrivateFiles;
import eu.ehds.rights.portal.web.PortalProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The filtered extracts waiting to be downloaded from the portal: they hold identifiers in clear, so each is readable by
 * the server's user only, kept {@code portal.delivered-files-kept-for} (24 h) and no longer: a download of an older
 * one is refused, and a purge deletes them every few minutes whether or not anyone visits.
 */
@Service
public class DeliveredFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredFiles.class);

    private final Path dir;
    private final PortalProperties properties;
    private final Clock clock;

    DeliveredFiles(LedgerProperties ledger, PortalProperties properties, Clock clock) {
        this.dir = ledger.sharedDir().resolve("delivered");
        this.properties = properties;
        this.clock = clock;
    }

    /** A new, private file for a filter's output while it is written. */
    Path partial(String filterId) throws IOException {
        PrivateFiles.directory(dir);
        return PrivateFiles.create(dir.resolve(filterId + ".partial"));
    }

    Path target(String filterId, boolean csv) {
        return dir.resolve(filterId + (csv ? ".csv" : ".txt"));
    }

    /** The output of a filter, while it is kept; an expired one is deleted now. */
    Optional<Path> find(String filterId) {
        if (!filterId.matches("flt-[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        Optional<Path> file = Stream.of(".txt", ".csv").map(ext -> dir.resolve(filterId + ext))
                .filter(Files::exists).findFirst();
        if (file.isPresent() && expired(file.get(), oldestKept())) {
            delete(file.get());
            return Optional.empty();
        }
        return file;
    }

    /** Deletes every expired output; runs on a schedule. Returns how many were deleted. */
    @Scheduled(fixedDelayString = "${portal.delivered-files-purge-every:5m}", initialDelayString = "10s")
    public int purge() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant oldest = oldestKept();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (expired(file, oldest)) {
                    delete(file);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (deleted > 0) {
            LOG.info("deleted {} filtered extract(s) kept longer than {}", deleted, properties.deliveredFilesKeptFor());
        }
        return deleted;
    }

    private Instant oldestKept() {
        return clock.instant().minus(properties.deliveredFilesKeptFor());
    }

    private static boolean expired(Path file, Instant oldest) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(oldest);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
