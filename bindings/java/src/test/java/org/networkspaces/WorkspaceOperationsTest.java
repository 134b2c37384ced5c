package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Every workspace- and server-level operation against a real server. */
class WorkspaceOperationsTest {
    static TestServer server;
    NwsServer srv;
    NetWorkSpace ws;

    @BeforeAll
    static void start() throws Exception { server = new TestServer(); }

    @AfterAll
    static void stop() throws Exception { server.close(); }

    @BeforeEach
    void open() {
        srv = server.connect();
        ws = srv.openWs(Support.unique("ops"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    @Test
    void storeThenFetchRemovesTheValue() {
        ws.store("x", "hello");
        assertEquals("hello", ws.fetch("x"));
        assertEquals(Optional.empty(), ws.fetchTry("x"));
    }

    @Test
    void findLeavesTheValue() {
        ws.store("x", "kept");
        assertEquals("kept", ws.find("x"));
        assertEquals(Optional.of("kept"), ws.findTry("x"));
        assertEquals("kept", ws.fetch("x"));
        assertEquals(Optional.empty(), ws.findTry("x"));
    }

    @Test
    void typedFetches() {
        ws.store("s", "text");
        ws.store("b", new byte[] {1, 2, 3});
        ws.store("n", 42);
        assertEquals("text", ws.fetchString("s"));
        assertArrayEquals(new byte[] {1, 2, 3}, ws.fetchBytes("b"));
        assertEquals(42, ws.fetch("n", Integer.class));
    }

    @Test
    void typedFetchOfTheWrongTypeSaysWhatItWas() {
        ws.store("n", 42L);
        ClassCastException e = assertThrows(ClassCastException.class, () -> ws.fetchString("n"));
        assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
    }

    @Test
    void deleteVarRemovesTheVariable() {
        ws.store("gone", "v");
        assertTrue(Support.var(ws, "gone").isPresent());
        ws.deleteVar("gone");
        assertTrue(Support.var(ws, "gone").isEmpty());
    }

    @Test
    void listVarsReportsCountsAndMode() {
        ws.declare("q", Mode.LIFO);
        ws.store("q", "a");
        ws.store("q", "b");
        VarInfo q = Support.var(ws, "q").orElseThrow();
        assertEquals(new VarInfo("q", 2, 0, 0, "lifo"), q);
    }

    @Test
    void listWssShowsOurWorkspaceAsMine() {
        ws.store("v1", "x");
        List<WsInfo> all = srv.listWss();
        WsInfo mine = all.stream().filter(w -> w.name().equals(ws.name())).findFirst().orElseThrow();
        assertTrue(mine.mine());
        assertFalse(mine.persistent());
        assertEquals(1, mine.variables());
        assertEquals(List.of("v1"), mine.variableNames());
        assertEquals(all, ws.listWss());
    }

    @Test
    void mktempUseAndDeleteWs() {
        String name = srv.mktempWs("jtmp%d");
        assertTrue(name.startsWith("jtmp"), name);
        try (NwsServer other = server.connect()) {
            NetWorkSpace used = other.useWs(name);
            used.store("v", "from other");
            assertEquals("from other", srv.useWs(name).fetch("v"));
            other.deleteWs(name);
            // The server treats a deleted workspace as no longer opened (status 2001).
            NwsNotOpenedException e =
                    assertThrows(NwsNotOpenedException.class, () -> used.store("v", "late"));
            assertEquals(Errc.NOT_OPENED, e.code());
            assertEquals(2001, e.status(), "carries the server's status");
            assertNotNull(e.reason(), "and its reason text");
        }
        assertTrue(srv.listWss().stream().noneMatch(w -> w.name().equals(name)));
    }

    @Test
    void persistentWorkspaceOutlivesItsConnection() {
        String name = Support.unique("persist");
        try (NwsServer s = server.connect()) {
            s.openWs(name, true).store("v", "still here");
        }
        assertEquals("still here", srv.useWs(name).fetch("v"));
        srv.deleteWs(name);
    }

    @Test
    void constructorConnectsAndOwnsItsConnection() {
        try (NetWorkSpace own = server.workspace(Support.unique("own"))) {
            own.store("v", "w");
            assertEquals("w", srv.useWs(own.name()).find("v"));
        }
    }

    @Test
    void connectingToAClosedPortRaisesConnectionException() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NwsConnectionException e = assertThrows(NwsConnectionException.class, () -> new NwsServer("127.0.0.1", port));
        assertEquals(Errc.CONNECTION, e.code());
    }
}
