package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Duration timeouts on fetch and find. */
class TimeoutTest {
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
        ws = srv.openWs(Support.unique("timeout"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    @Test
    void fetchTimesOutAfterAboutItsDuration() {
        long start = System.nanoTime();
        NwsTimeoutException e = assertThrows(NwsTimeoutException.class, () -> ws.fetch("v", Duration.ofMillis(200)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Errc.TIMEOUT, e.code());
        assertTrue(ms >= 190 && ms < 5000, "took " + ms + " ms");
    }

    @Test
    void findTimesOut() {
        assertThrows(NwsTimeoutException.class, () -> ws.find("v", Duration.ofMillis(50)));
    }

    @Test
    void aValueStoredAfterATimeoutIsNotSwallowed() {
        assertThrows(NwsTimeoutException.class, () -> ws.fetch("v", Duration.ofMillis(50)));
        assertEquals(0, Support.var(ws, "v").map(VarInfo::fetchers).orElse(0L));
        ws.store("v", "kept");
        assertEquals(Optional.of("kept"), ws.fetchTry("v"));
    }

    @Test
    void aTimeoutLongEnoughReturnsTheValue() {
        ws.store("v", "there");
        assertEquals("there", ws.fetch("v", Duration.ofSeconds(5)));
        ws.store("v", "there");
        assertEquals("there", ws.fetchString("v", Duration.ofDays(365L * 1000)));  // "for ever", no overflow
    }

    @Test
    void negativeTimeoutIsRejectedByTheCoresRule() {
        NwsInvalidArgumentException e =
                assertThrows(NwsInvalidArgumentException.class, () -> ws.fetch("v", Duration.ofMillis(-1)));
        assertTrue(e.getMessage().startsWith("timeout must be a number of seconds >= 0"), e.getMessage());
        assertThrows(NwsInvalidArgumentException.class, () -> ws.ifind("v").nextBlocking(Duration.ofSeconds(-5)));
        // Nothing was sent: no fetcher was ever waiting.
        assertTrue(Support.var(ws, "v").isEmpty());
    }

    @Test
    void aNullTimeoutWaitsForEver() throws Exception {
        try (NwsServer other = server.connect()) {
            NetWorkSpace otherWs = other.useWs(ws.name());
            Thread storer = new Thread(() -> {
                try {
                    Support.waitFetchers(otherWs, "v", 1);
                    otherWs.store("v", "at last");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            storer.start();
            assertEquals("at last", ws.fetch("v", (Duration) null));
            storer.join();
        }
    }
}
