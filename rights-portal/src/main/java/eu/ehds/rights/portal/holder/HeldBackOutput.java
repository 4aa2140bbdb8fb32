package eu.ehds.rights.portal.holder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Holds back the start of a streamed answer (and its flushes), so that an extract in which no row could be read is
 * still answered with an error rather than a committed, empty 200. Past {@code limit} bytes it streams as it goes:
 * by then rows were read.
 */
final class HeldBackOutput extends OutputStream {

    private final OutputStream out;
    private final int limit;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();

    HeldBackOutput(OutputStream out, int limit) {
        this.out = out;
        this.limit = limit;
    }

    /** Whether anything reached the client yet. */
    boolean released() {
        return held == null;
    }

    /** Sends what was held back; from now on everything goes straight through. */
    void release() throws IOException {
        if (held != null) {
            held.writeTo(out);
            held = null;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (held != null && held.size() + len <= limit) {
            held.write(b, off, len);
            return;
        }
        release();
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (held == null) {
            out.flush();
        }
    }
}
