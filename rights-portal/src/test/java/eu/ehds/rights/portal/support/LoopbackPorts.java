package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port nothing listens on yet, on loopback, for a server a test starts. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
