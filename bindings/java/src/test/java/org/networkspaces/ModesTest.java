package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The four variable modes, and declare's refusal to change a mode. */
class ModesTest {
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
        ws = srv.openWs(Support.unique("modes"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    @Test
    void fifoIsTheDefaultAndFirstInFirstOut() {
        ws.store("v", "1");
        ws.store("v", "2");
        assertEquals("fifo", Support.var(ws, "v").orElseThrow().mode());
        assertEquals("1", ws.fetch("v"));
        assertEquals("2", ws.fetch("v"));
    }

    @Test
    void lifoIsLastInFirstOut() {
        ws.declare("v", Mode.LIFO);
        ws.store("v", "1");
        ws.store("v", "2");
        assertEquals("2", ws.fetch("v"));
        assertEquals("1", ws.fetch("v"));
    }

    @Test
    void singleKeepsOnlyTheLastValue() {
        ws.declare("v", Mode.SINGLE);
        ws.store("v", "1");
        ws.store("v", "2");
        assertEquals(1, Support.var(ws, "v").orElseThrow().values());
        assertEquals("2", ws.fetch("v"));
        assertEquals(Optional.empty(), ws.fetchTry("v"));
    }

    @Test
    void multiBehavesAsLifo() {  // docs/PROTOCOL.md 9.4: multi is served exactly as lifo
        ws.declare("v", Mode.MULTI);
        ws.store("v", "1");
        ws.store("v", "2");
        assertEquals("multi", Support.var(ws, "v").orElseThrow().mode());
        assertEquals(2, Support.var(ws, "v").orElseThrow().values());
        assertEquals("2", ws.fetch("v"));
        assertEquals("1", ws.fetch("v"));
        assertEquals(Optional.empty(), ws.fetchTry("v"));
    }

    @Test
    void redeclaringWithAnotherModeFails() {
        ws.declare("v", Mode.FIFO);
        ws.declare("v", Mode.FIFO);  // the same mode again is fine
        NwsDeclarationFailedException e = assertThrows(NwsDeclarationFailedException.class, () -> ws.declare("v", Mode.LIFO));
        assertEquals(Errc.DECLARATION_FAILED, e.code());
    }
}
