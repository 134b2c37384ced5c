package org.networkspaces;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.*;

/** NwsServer.startLocal(): a server inside the JVM, from the jar alone. */
class LocalServerTest {
    @Test
    void aLocalServerServesStoresAndFetches() {
        try (NwsLocalServer local = NwsServer.startLocal()) {
            assertTrue(local.isRunning());
            assertEquals("127.0.0.1", local.host());
            assertTrue(local.port() > 0 && local.port() <= 65535, "a free port: " + local.port());
            try (NwsServer a = local.connect(); NwsServer b = new NwsServer(local.host(), local.port())) {
                a.openWs("shared").store("greeting", "hello \uD83D\uDE00");
                assertEquals("hello \uD83D\uDE00", b.useWs("shared").fetch("greeting"));
                assertEquals(local.port(), b.port());
            }
        }
    }

    @Test
    void closeStopsItAndFreesThePort() throws Exception {
        NwsLocalServer local = NwsServer.startLocal();
        int port = local.port();
        NwsServer client = local.connect();
        NetWorkSpace ws = client.openWs("w");
        ws.store("v", "x");
        local.close();
        local.close();  // idempotent
        local.stop();
        assertFalse(local.isRunning());
        // Its connections are closed, and nobody listens on the port any more.
        assertThrows(NwsCommunicationException.class, () -> ws.fetch("v"));
        client.close();
        assertThrows(NwsConnectionException.class, () -> new NwsServer("127.0.0.1", port));
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        // And a new server can take it.
        try (NwsLocalServer again = NwsServer.startLocal("127.0.0.1", port); NwsServer c = again.connect()) {
            assertEquals(port, again.port());
            c.openWs("w").store("v", "again");
            assertEquals("again", c.useWs("w").fetch("v"));
        }
    }

    @Test
    void aPortInUseIsAConnectionError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NwsConnectionException e =
                    assertThrows(NwsConnectionException.class, () -> NwsServer.startLocal("127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
    }

    @Test
    void workspacesVanishWithTheirOwnerUnlessPersistent() {
        try (NwsLocalServer local = NwsServer.startLocal(); NwsServer reader = local.connect()) {
            try (NwsServer writer = local.connect()) {
                writer.openWs("scratch").store("v", "gone soon");
                writer.openWs("kept", true).store("v", "still here");
            }
            // The owner's connection closed: its non-persistent workspace went with it.
            waitUntilGone(reader, "scratch");
            assertEquals("still here", reader.useWs("kept").fetch("v"));
        }
    }

    // The server drops a closed connection's workspaces when it sees the close.
    private static void waitUntilGone(NwsServer s, String ws) {
        try {
            Support.waitUntil(() -> s.listWss().stream().noneMatch(w -> w.name().equals(ws)), ws + " to vanish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    @Test
    void theVersionIsTheCores() {
        assertEquals(Tables.VERSION, NwsServer.version());
    }
}
