package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad arguments get the core's error (nws/args.hpp): the kind
 * invalid_argument, the core's message, and nothing sent to the server.
 */
class ArgumentsTest {
    static final String NULL_VAR = "the variable name is missing (null): pass a string";
    static final String NULL_WS = "the workspace name is missing (null): pass a string";

    static TestServer server;
    NwsServer srv;
    NetWorkSpace ws;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void open() {
        srv = server.connect();
        ws = srv.openWs(Support.unique("args"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    static NwsInvalidArgumentException refused(Executable call) {
        NwsInvalidArgumentException e = assertThrows(NwsInvalidArgumentException.class, call);
        assertEquals(Errc.INVALID_ARGUMENT, e.code());
        assertEquals(-1, e.status(), "a local error");
        return e;
    }

    @Test
    void aNullVariableNameIsRefusedAndNothingIsSent() {
        assertEquals(NULL_VAR, refused(() -> ws.store(null, "x")).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.fetch(null)).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.find(null, Duration.ofSeconds(1))).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.fetchTry(null)).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.findTry(null)).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.declare(null, Mode.FIFO)).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.deleteVar(null)).getMessage());
        assertEquals(NULL_VAR, refused(() -> ws.ifetch(null)).getMessage());
        assertTrue(ws.listVars().isEmpty(), "nothing was stored, no variable was made");
    }

    @Test
    void aNullWorkspaceNameIsRefused() {
        assertEquals(NULL_WS, refused(() -> srv.openWs(null)).getMessage());
        assertEquals(NULL_WS, refused(() -> srv.useWs(null)).getMessage());
        assertEquals(NULL_WS, refused(() -> srv.deleteWs(null)).getMessage());
        assertEquals(NULL_WS, refused(() -> srv.listVars(null)).getMessage());
        assertEquals(NULL_WS, refused(() -> new NetWorkSpace(null, server.host(), server.port())).getMessage());
        refused(() -> srv.mktempWs(null));
    }

    @Test
    void anUnknownModeIsRefusedAndNothingIsSent() {
        NwsInvalidArgumentException e = refused(() -> ws.declare("v", "stack"));
        assertEquals("unknown mode 'stack': use fifo, lifo, multi or single", e.getMessage());
        // Not the protocol's internal modes either, nor a missing one.
        refused(() -> ws.declare("v", "unknown"));
        assertTrue(refused(() -> ws.declare("v", (Mode) null)).getMessage().startsWith("the mode is missing (null)"));
        assertTrue(ws.listVars().isEmpty(), "no variable was declared");
        ws.declare("v", "lifo");  // a mode by its name
        assertEquals("lifo", Support.var(ws, "v").orElseThrow().mode());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        // On a connection whose server is gone, a call that sends anything
        // fails to communicate; a bad argument is refused first.
        try (TestServer gone = new TestServer(); NwsServer s = gone.connect()) {
            NetWorkSpace w = s.openWs("w");
            gone.close();
            refused(() -> w.store(null, "x"));
            refused(() -> w.declare("v", "stack"));
            refused(() -> w.fetch("v", Duration.ofMillis(-1)));
            assertThrows(NwsCommunicationException.class, () -> w.store("v", "x"));
        }
    }

    @Test
    void portsFollowTheCoresRule() {
        assertEquals("port must be a whole number from 1 to 65535, not 0",
                refused(() -> new NwsServer("127.0.0.1", 0)).getMessage());
        refused(() -> new NwsServer("127.0.0.1", 65536));
        refused(() -> new NetWorkSpace("w", "127.0.0.1", -1));
        refused(() -> NwsServer.startLocal("127.0.0.1", 65536));
        refused(() -> new NwsServer(server.host(), server.port(), Duration.ZERO));
    }
}
