package eu.ehds.rights.ledger.checkpoint;

import java.util.Base64;

/**
 * The body of a C2SP tlog-checkpoint: origin, tree size, root hash. {@link #text()} is what gets signed.
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash) {

    public String text() {
        return origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** Parses checkpoint text (the part of a note before its signatures). Extension lines are ignored. */
    public static Checkpoint parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || lines[0].isEmpty()) {
            throw new InvalidNoteException("a checkpoint has an origin, a tree size and a root hash line");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new InvalidNoteException("tree size line is not a number");
        }
        if (size < 0 || !lines[1].equals(Long.toString(size))) {
            throw new InvalidNoteException("tree size must be a non-negative decimal without leading zeros");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidNoteException("root hash line is not base64");
        }
        if (root.length != 32) {
            throw new InvalidNoteException("root hash must be 32 bytes");
        }
        return new Checkpoint(lines[0], size, root);
    }
}
