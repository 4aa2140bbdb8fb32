package eu.ehds.rights.portal.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold personal data (the embedded database, filtered extracts with NIRs in clear, uploads in flight,
 * keys) are readable by the server's own user only: directories 0700, files 0600, whatever the umask.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates the directory (and its parents) if missing, and restricts it to this user. */
    public static Path directory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (POSIX) {
                Files.setPosixFilePermissions(dir, DIRECTORY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or restrict " + dir, e);
        }
    }

    /**
     * The data directory: created private when it does not exist; an existing one (which may be shared, such as a
     * home directory) keeps its permissions, and a warning says when others can read it. What the server keeps in it
     * lives in private subdirectories and files anyway.
     */
    public static Path dataDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return directory(dir);
        }
        if (POSIX) {
            try {
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
                if (now.contains(PosixFilePermission.OTHERS_READ) || now.contains(PosixFilePermission.GROUP_READ)) {
                    org.slf4j.LoggerFactory.getLogger(PrivateFiles.class).warn("the data directory {} can be read by "
                            + "other users ({}): consider chmod 700", dir, PosixFilePermissions.toString(now));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + dir, e);
            }
        }
        return dir;
    }

    /** Restricts an existing file to this user. */
    public static void restrict(Path file) {
        if (POSIX && Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, FILE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restrict " + file, e);
            }
        }
    }

    /** Creates a new, empty file readable by this user only. */
    public static Path create(Path file) throws IOException {
        FileAttribute<?>[] attributes = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        return Files.createFile(file, attributes);
    }
}
