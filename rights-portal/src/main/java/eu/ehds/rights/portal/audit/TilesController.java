package eu.ehds.rights.portal.audit;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.ledger.store.StoredLeaves;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles) under the base {@code /api/v1/log/}: the checkpoint is
 * {@code /api/v1/log/checkpoint} ({@link LogController}), hash tiles of height 8 are {@code tile/<L>/<N>[.p/<W>]}
 * (public), entry bundles are {@code tile/entries/<N>[.p/<W>]} (auditors, as the entries API). A tile is made of
 * complete subtrees only, so it never changes once served: cached for ever.
 */
@RestController
@RequestMapping("/api/v1/log/tile")
@Tag(name = "Verifiable log")
class TilesController {

    static final String PREFIX = "/api/v1/log/tile/";
    private static final int WIDTH = 256;
    /** {@code <L>/<N>[.p/<W>]}, N as x-prefixed groups of three digits but the last, W from 1 to 255. */
    private static final Pattern TILE = Pattern.compile("(entries|[0-9]|[1-5][0-9]|6[0-3])/((?:x[0-9]{3}/)*[0-9]{3})"
            + "(?:\\.p/([0-9]{1,3}))?");
    private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    private final VerifiableLog log;
    private final StoredLeaves leaves;

    TilesController(VerifiableLog log, StoredLeaves leaves) {
        this.log = log;
        this.leaves = leaves;
    }

    /** A tile's address: its level ({@code -1} for entries), index and width. */
    private record Address(int level, long index, int width) {
    }

    @GetMapping("/**")
    @Operation(summary = "tlog-tiles: a hash tile tile/<L>/<N>[.p/<W>] (anyone) or an entry bundle "
            + "tile/entries/<N>[.p/<W>] (auditors)")
    ResponseEntity<byte[]> tile(HttpServletRequest request) {
        Address address = parse(request.getRequestURI().substring(request.getContextPath().length()));
        byte[] body = address.level() < 0 ? entries(address) : hashes(address);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).cacheControl(IMMUTABLE).body(body);
    }

    private byte[] hashes(Address a) {
        return log.tile(a.level(), a.index(), a.width())
                .or(() -> {
                    log.refresh(); // written by another node since this one last looked
                    return log.tile(a.level(), a.index(), a.width());
                })
                .orElseThrow(() -> new NotFoundException("the log holds no tile " + a.level() + "/" + a.index()
                        + " of width " + a.width() + " yet"));
    }

    /** Each entry as a big-endian 16-bit length and the leaf's exact bytes (whose RFC 6962 leaf hash is in the tree). */
    private byte[] entries(Address a) {
        long start = a.index() * WIDTH;
        long end = start + a.width();
        if (end > log.refresh()) {
            throw new NotFoundException("the log holds no entry bundle " + a.index() + " of width " + a.width()
                    + " yet");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        leaves.forEach(start, end, leaf -> {
            byte[] bytes = leaf.leafBytes();
            if (bytes == null || bytes.length > 0xFFFF) {
                throw new IllegalStateException("entry " + leaf.leafIndex() + " cannot be bundled: "
                        + (bytes == null ? "its event is missing from the store (run verify)" : "longer than 64 KiB"));
            }
            out.write(bytes.length >>> 8);
            out.write(bytes.length & 0xFF);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }

    static Address parse(String path) {
        Matcher m = path.startsWith(PREFIX) ? TILE.matcher(path.substring(PREFIX.length())) : null;
        if (m == null || !m.matches()) {
            throw new InvalidRequestException("not a tlog-tiles path: expected " + PREFIX
                    + "<L>/<N>[.p/<W>] or " + PREFIX + "entries/<N>[.p/<W>], N as x001/x234/067");
        }
        if (m.group(2).startsWith("x000/")) {
            throw new InvalidRequestException("a tile index is written without leading zero groups");
        }
        String digits = m.group(2).replace("x", "").replace("/", "");
        if (digits.length() > 18) {
            throw new InvalidRequestException("tile index too large");
        }
        int width = m.group(3) == null ? WIDTH : Integer.parseInt(m.group(3));
        if (m.group(3) != null && (width < 1 || width >= WIDTH)) {
            throw new InvalidRequestException("a partial tile's width is from 1 to 255");
        }
        int level = m.group(1).equals("entries") ? -1 : Integer.parseInt(m.group(1));
        if (level > 7) {
            throw new NotFoundException("a log of at most 2^64 entries has tiles of levels 0 to 7 only");
        }
        return new Address(level, Long.parseLong(digits), width);
    }
}
