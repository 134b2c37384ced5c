package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** ifetch / ifind as Iterator and Stream, and the blocking step. */
class IteratorTest {
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
        ws = srv.openWs(Support.unique("iter"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    @Test
    void ifindSeesEveryValueInOrderAndLeavesThem() {
        for (int i = 0; i < 5; i++) ws.store("v", "x" + i);
        List<Object> seen = new ArrayList<>();
        ws.ifind("v").forEachRemaining(seen::add);
        assertEquals(List.of("x0", "x1", "x2", "x3", "x4"), seen);
        assertEquals(5, Support.var(ws, "v").orElseThrow().values());
    }

    @Test
    void ifindContinuesWithValuesStoredLater() {
        ws.store("v", "a");
        NwsIterator it = ws.ifind("v");
        assertEquals("a", it.next());
        assertFalse(it.hasNext());
        ws.store("v", "b");
        assertTrue(it.hasNext());
        assertEquals("b", it.next());
    }

    @Test
    void ifetchGoesOnAfterItsEndWithoutStartingOver() {
        ws.store("v", "a");
        NwsIterator it = ws.ifetch("v");
        assertEquals("a", it.next());
        assertFalse(it.hasNext());
        assertFalse(it.hasNext());  // asking again at the end finds nothing again
        ws.store("v", "b");
        ws.store("v", "c");
        List<Object> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(List.of("b", "c"), rest);
    }

    @Test
    void ifetchStreamConsumesTheValues() {
        for (int i = 0; i < 4; i++) ws.store("v", i);
        List<Object> got = ws.ifetch("v").stream().collect(Collectors.toList());
        assertEquals(List.of(0, 1, 2, 3), got);
        assertEquals(0, Support.var(ws, "v").orElseThrow().values());
    }

    @Test
    void nextOnAnExhaustedIteratorThrows() {
        NwsIterator it = ws.ifind("empty");
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void nextBlockingWaitsForAValue() throws Exception {
        NwsIterator it = ws.ifetch("v");
        try (NwsServer other = server.connect()) {
            NetWorkSpace otherWs = other.useWs(ws.name());
            Thread storer = new Thread(() -> {
                try {
                    Support.waitFetchers(otherWs, "v", 1);
                    otherWs.store("v", "late");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            storer.start();
            assertEquals("late", it.nextBlocking(Duration.ofSeconds(10)));
            storer.join();
        }
    }

    @Test
    void nextBlockingTimesOut() {
        NwsIterator it = ws.ifind("never");
        assertThrows(NwsTimeoutException.class, () -> it.nextBlocking(Duration.ofMillis(100)));
    }
}
