package eu.ehds.rights.projections.usage;

import eu.ehds.rights.ledger.crypto.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The persons delivered in one extract, for citizens' "who used my data": a file of their sorted, distinct 64-bit
 * keys (8 bytes each, big-endian), written with memory bounded by one sorting run whatever the cohort's size, and
 * searched in place (memory-mapped, interpolation search: keys are uniform). One file per usage keeps the ledger
 * free of a per-person row for each of millions of cohort members; looking a person up costs a few page reads per
 * usage.
 *
 * <pre>{@code
 * try (CohortFile.Writer w = CohortFile.writer(tmpDir)) { keys.forEach(w::add); w.finish(target); }
 * boolean included = CohortFile.contains(target, key);
 * }</pre>
 */
public final class CohortFile {

    private CohortFile() {
    }

    /** A finished cohort file: how many keys it holds and the SHA-256 (hex) of its bytes. */
    public record Written(long count, String sha256) {
    }

    public static Writer writer(Path workDir) {
        return new Writer(workDir, 1 << 22);
    }

    static Writer writer(Path workDir, int runSize) {
        return new Writer(workDir, runSize);
    }

    /** Collects keys in sorted runs on disk, then merges them into the final file. */
    public static final class Writer implements AutoCloseable {
        private final Path workDir;
        private final long[] run;
        private int used;
        private final List<Path> runs = new ArrayList<>();

        private Writer(Path workDir, int runSize) {
            this.workDir = workDir;
            this.run = new long[runSize];
        }

        public void add(long key) {
            if (used == run.length) {
                spill();
            }
            run[used++] = key ^ Long.MIN_VALUE; // flipped: signed order is unsigned order
        }

        private void spill() {
            Arrays.sort(run, 0, used);
            try {
                Files.createDirectories(workDir);
                Path file = Files.createTempFile(workDir, "cohort-run-", ".keys");
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                        1 << 16))) {
                    for (int i = 0; i < used; i++) {
                        out.writeLong(run[i]);
                    }
                }
                runs.add(file);
                used = 0;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a cohort run", e);
            }
        }

        /** Merges the runs into {@code target} (sorted, distinct keys). */
        public Written finish(Path target) throws IOException {
            spill();
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "cohort-", ".tmp");
            long written = 0;
            List<DataInputStream> inputs = new ArrayList<>();
            java.security.MessageDigest digest = Sha256.digest();
            try (DataOutputStream out = new DataOutputStream(new java.security.DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), digest))) {
                PriorityQueue<long[]> heads = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
                for (int i = 0; i < runs.size(); i++) {
                    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(i)),
                            1 << 16));
                    inputs.add(in);
                    advance(in, i, heads);
                }
                boolean first = true;
                long last = 0;
                while (!heads.isEmpty()) {
                    long[] head = heads.poll();
                    if (first || head[0] != last) {
                        out.writeLong(head[0] ^ Long.MIN_VALUE);
                        written++;
                        last = head[0];
                        first = false;
                    }
                    advance(inputs.get((int) head[1]), (int) head[1], heads);
                }
            } finally {
                for (DataInputStream in : inputs) {
                    in.close();
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(written, java.util.HexFormat.of().formatHex(digest.digest()));
        }

        private static void advance(DataInputStream in, int index, PriorityQueue<long[]> heads) throws IOException {
            try {
                heads.add(new long[] {in.readLong(), index});
            } catch (EOFException end) {
                // this run is exhausted
            }
        }

        @Override
        public void close() throws IOException {
            for (Path file : runs) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Checks and stores a cohort file received from a data holder: whole 8-byte keys in strictly increasing
     * (unsigned) order, at most {@code maxCount} of them, whose SHA-256 is {@code expectedSha256}.
     *
     * @throws IllegalArgumentException naming what is wrong; nothing is stored then
     */
    public static Written accept(java.io.InputStream in, Path target, long maxCount, String expectedSha256)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "cohort-upload-", ".tmp");
        try {
            java.security.MessageDigest digest = Sha256.digest();
            long count = 0;
            long previous = 0;
            try (DataInputStream keys = new DataInputStream(new BufferedInputStream(in, 1 << 16));
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                         1 << 16))) {
                byte[] key = new byte[8];
                while (true) {
                    int read = keys.readNBytes(key, 0, 8);
                    if (read == 0) {
                        break;
                    }
                    if (read < 8) {
                        throw new IllegalArgumentException("the cohort is not a whole number of 8-byte keys");
                    }
                    long value = java.nio.ByteBuffer.wrap(key).getLong() ^ Long.MIN_VALUE;
                    if (count > 0 && value <= previous) {
                        throw new IllegalArgumentException("cohort keys must be distinct and in increasing order (key "
                                + (count + 1) + ")");
                    }
                    if (++count > maxCount) {
                        throw new IllegalArgumentException("the cohort holds more persons than the report delivered");
                    }
                    previous = value;
                    digest.update(key);
                    out.write(key);
                }
            }
            String sha = java.util.HexFormat.of().formatHex(digest.digest());
            if (!sha.equals(expectedSha256)) {
                throw new IllegalArgumentException("the cohort does not match the cohortKeysSha256 of the report");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(count, sha);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the cohort file holds the key. */
    public static boolean contains(Path file, long key) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long count = channel.size() / 8;
            if (count == 0) {
                return false;
            }
            LongBuffer keys = channel.map(FileChannel.MapMode.READ_ONLY, 0, count * 8).asLongBuffer();
            long target = key ^ Long.MIN_VALUE;
            int lo = 0;
            int hi = (int) count - 1;
            int guesses = 0;
            while (lo <= hi) {
                long low = keys.get(lo) ^ Long.MIN_VALUE;
                long high = keys.get(hi) ^ Long.MIN_VALUE;
                if (target < low || target > high) {
                    return false;
                }
                int mid = guesses++ < 4 && high != low
                        ? lo + (int) Math.min(hi - lo, Math.max(0, ((double) target - low) / ((double) high - low) * (hi - lo)))
                        : (lo + hi) >>> 1;
                long value = keys.get(mid) ^ Long.MIN_VALUE;
                if (value == target) {
                    return true;
                }
                if (value < target) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cohort file " + file.getFileName(), e);
        }
    }
}
