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
    static ServerProcess server;
    NwsServer srv;
    NetWorkSpace ws;

    @BeforeAll
    static void start() throws Exception { server = new ServerProcess(); }

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
    void negativeTimeoutIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ws.fetch("v", Duration.ofMillis(-1)));
    }
}
