package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** close() twice, and every kind of use after close: exceptions, never a crash. */
class CloseTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception { server = new TestServer(); }

    @AfterAll
    static void stop() throws Exception { server.close(); }

    @Test
    void closingTwiceIsHarmless() {
        NwsServer srv = server.connect();
        NetWorkSpace ws = srv.openWs(Support.unique("close"));
        ws.close();
        ws.close();
        srv.close();
        srv.close();
        assertTrue(srv.isClosed());
        assertTrue(ws.isClosed());
    }

    @Test
    void everyWorkspaceCallAfterCloseRaisesClosed() {
        NetWorkSpace ws = server.workspace(Support.unique("close"));
        ws.store("v", "x");
        NwsIterator it = ws.ifind("v");
        ws.close();
        assertThrows(NwsClosedException.class, () -> ws.store("v", "y"));
        assertThrows(NwsClosedException.class, () -> ws.fetch("v"));
        assertThrows(NwsClosedException.class, () -> ws.fetch("v", Duration.ofSeconds(1)));
        assertThrows(NwsClosedException.class, () -> ws.fetchTry("v"));
        assertThrows(NwsClosedException.class, () -> ws.find("v"));
        assertThrows(NwsClosedException.class, () -> ws.findTry("v"));
        assertThrows(NwsClosedException.class, () -> ws.declare("v", Mode.FIFO));
        assertThrows(NwsClosedException.class, () -> ws.deleteVar("v"));
        assertThrows(NwsClosedException.class, ws::listVars);
        assertThrows(NwsClosedException.class, ws::listWss);
        assertThrows(NwsClosedException.class, () -> ws.ifetch("v"));
        assertThrows(NwsClosedException.class, it::hasNext);
        NwsClosedException e = assertThrows(NwsClosedException.class, () -> ws.server().listWss());
        assertEquals(Errc.CLOSED, e.code());
    }

    @Test
    void serverCallsAfterCloseRaiseClosed() {
        NwsServer srv = server.connect();
        NetWorkSpace ws = srv.openWs(Support.unique("close"));
        srv.close();
        assertThrows(NwsClosedException.class, () -> srv.openWs("x"));
        assertThrows(NwsClosedException.class, () -> srv.useWs("x"));
        assertThrows(NwsClosedException.class, srv::mktempWs);
        assertThrows(NwsClosedException.class, () -> srv.deleteWs("x"));
        assertThrows(NwsClosedException.class, srv::listWss);
        assertThrows(NwsClosedException.class, () -> ws.store("v", "x"));  // its workspaces too
        // The core's message, naming where the connection went.
        NwsClosedException e = assertThrows(NwsClosedException.class, srv::listWss);
        assertTrue(e.getMessage().contains(server.host() + ":" + server.port()), e.getMessage());
        assertTrue(srv.isClosed());
    }

    @Test
    void closingAWorkspaceFromAServerLeavesTheServerOpen() {
        try (NwsServer srv = server.connect()) {
            String name = Support.unique("close");
            NetWorkSpace ws = srv.openWs(name);
            ws.close();
            assertThrows(NwsClosedException.class, () -> ws.store("v", "x"));
            srv.useWs(name).store("v", "still open");
            assertEquals("still open", srv.useWs(name).fetch("v"));
        }
    }

    @Test
    void closingFromAnotherThreadEndsABlockedFetch() throws Exception {
        NwsServer srv = server.connect();
        NetWorkSpace ws = srv.openWs(Support.unique("close"));
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ws.fetch("v");
                error.complete(null);
            } catch (Throwable e) {
                error.complete(e);
            }
        });
        t.start();
        try (NwsServer obs = server.connect()) {
            NetWorkSpace observer = obs.useWs(ws.name());
            Support.waitFetchers(observer, "v", 1);
        }
        srv.close();
        Throwable e = error.get(10, TimeUnit.SECONDS);
        assertInstanceOf(NwsException.class, e, String.valueOf(e));
        t.join();
    }
}
