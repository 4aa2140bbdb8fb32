package eu.ehds.rights.projections.extract;

import eu.ehds.rights.ledger.checkpoint.InvalidNoteException;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persons excluded from one project's extracts, signed, for filtering at the data holder without sending
 * identifiers anywhere. The file is a first line {@code rights-ledger-snapshot <n>}, then a C2SP signed note of
 * n bytes (signed by the log's key) whose text names what the set is for and binds its keys by their SHA-256,
 * then the keys (8 bytes each, big-endian, in unsigned order).
 *
 * <pre>
 * rights-ledger-snapshot 512
 * rights-ledger opt-out snapshot v1
 * origin: rights-ledger.localhost/log
 * project: prj-…
 * permit: HDAB-2026-001
 * dataHolder: CNAM
 * dataset: DCIR
 * rule: EHDS_ART_71_3
 * extractAt: 2026-11-23T10:00:00Z
 * validUntil: 2026-11-24T10:00:00Z
 * treeSize: 41234
 * rootHash: base64
 * count: 3998820
 * keysSha256: hex
 *
 * — origin base64(signature)
 * (binary keys)
 * </pre>
 */
public final class OptOutSnapshot {

    static final String TITLE = "rights-ledger opt-out snapshot v1";
    /**
     * The title of a consent project's snapshot, whose keys are the only persons who may be delivered. A reader that
     * knows only opt-out snapshots refuses it, so it can never take an allow-list for a list of exclusions.
     */
    static final String CONSENT_TITLE = "rights-ledger consent snapshot v1";
    private static final String MAGIC = "rights-ledger-snapshot ";

    private final Map<String, String> fields;
    private final PseudonymSet persons;
    private final boolean onlyListed;

    private OptOutSnapshot(Map<String, String> fields, PseudonymSet persons, boolean onlyListed) {
        this.fields = fields;
        this.persons = persons;
        this.onlyListed = onlyListed;
    }

    /** Writes a signed snapshot of the persons excluded; {@code fields} are the statements of its text, in order. */
    public static void write(Map<String, String> fields, PseudonymSet excluded, NoteSigner signer, OutputStream out)
            throws IOException {
        write(fields, excluded, false, signer, out);
    }

    /**
     * Writes a signed snapshot: of the persons excluded, or ({@code onlyListed}, a consent project) of the only
     * persons who may be delivered.
     */
    public static void write(Map<String, String> fields, PseudonymSet persons, boolean onlyListed, NoteSigner signer,
                             OutputStream out) throws IOException {
        long[] keys = persons.keys();
        ByteArrayOutputStream binary = new ByteArrayOutputStream(keys.length * 8);
        DataOutputStream data = new DataOutputStream(binary);
        for (long key : keys) {
            data.writeLong(key);
        }
        StringBuilder text = new StringBuilder(onlyListed ? CONSENT_TITLE : TITLE).append('\n');
        fields.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        text.append("count: ").append(keys.length).append('\n');
        text.append("keysSha256: ").append(Sha256.hex(binary.toByteArray())).append('\n');
        byte[] note = signer.sign(text.toString()).getBytes(StandardCharsets.UTF_8);
        out.write((MAGIC + note.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(note);
        binary.writeTo(out);
        out.flush();
    }

    /** Reads a snapshot and checks its signature and its keys against the signed hash. */
    public static OptOutSnapshot read(InputStream in, NoteVerifier verifier) throws IOException {
        DataInputStream data = new DataInputStream(in);
        StringBuilder first = new StringBuilder();
        for (int b = data.read(); b != '\n'; b = data.read()) {
            if (b < 0 || first.length() > 64) {
                throw new InvalidNoteException("not an opt-out snapshot");
            }
            first.append((char) b);
        }
        if (!first.toString().startsWith(MAGIC)) {
            throw new InvalidNoteException("not an opt-out snapshot");
        }
        int noteLength;
        try {
            noteLength = Integer.parseInt(first.substring(MAGIC.length()));
        } catch (NumberFormatException e) {
            throw new InvalidNoteException("not an opt-out snapshot: bad length line");
        }
        if (noteLength <= 0 || noteLength > 1 << 16) {
            throw new InvalidNoteException("not an opt-out snapshot: bad length line");
        }
        byte[] noteBytes = data.readNBytes(noteLength);
        if (noteBytes.length != noteLength) {
            throw new InvalidNoteException("the snapshot is truncated");
        }
        String signed = new String(noteBytes, StandardCharsets.UTF_8);
        String text = verifier.verifyText(signed); // throws unless signed by the ledger
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        if (!lines[0].equals(TITLE) && !lines[0].equals(CONSENT_TITLE)) {
            throw new InvalidNoteException("not an opt-out or consent snapshot v1");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (colon > 0) {
                fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
            }
        }
        int count = Integer.parseInt(fields.getOrDefault("count", "-1"));
        if (count < 0) {
            throw new InvalidNoteException("the snapshot does not state its count");
        }
        byte[] binary = data.readNBytes(count * 8);
        if (binary.length != count * 8 || data.read() >= 0) {
            throw new InvalidNoteException("the snapshot's keys do not match its stated count");
        }
        if (!Sha256.hex(binary).equals(fields.get("keysSha256"))) {
            throw new InvalidNoteException("the snapshot's keys do not match their signed hash");
        }
        long[] keys = new long[count];
        DataInputStream keyData = new DataInputStream(new java.io.ByteArrayInputStream(binary));
        for (int i = 0; i < count; i++) {
            keys[i] = keyData.readLong();
        }
        return new OptOutSnapshot(fields, PseudonymSet.of(keys), lines[0].equals(CONSENT_TITLE));
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** The persons the snapshot lists: excluded, or ({@link #onlyListed}) the only ones who may be delivered. */
    public PseudonymSet persons() {
        return persons;
    }

    /** Whether the keys are the only persons who may be delivered (a consent project), not those left out. */
    public boolean onlyListed() {
        return onlyListed;
    }

    /** The filter this snapshot calls for: leaving its persons out, or delivering only them. */
    public ExtractFilter filter(Pseudonymiser pseudonymiser) {
        return ExtractFilter.of(persons, onlyListed, pseudonymiser);
    }

    public Instant validUntil() {
        return Instant.parse(fields.get("validUntil"));
    }
}
