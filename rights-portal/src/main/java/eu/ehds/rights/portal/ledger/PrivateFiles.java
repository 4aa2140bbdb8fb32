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
