package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Thread.interrupt() on a thread blocked in fetch/find. */
class InterruptTest {
    static TestServer server;
    NwsServer observerSrv;
    NetWorkSpace observer;  // a second connection: sees the fetcher counts
    String wsName;

    @BeforeAll
    static void start() throws Exception { server = new TestServer(); }

    @AfterAll
    static void stop() throws Exception { server.close(); }

    @BeforeEach
    void open() {
        wsName = Support.unique("intr");
        observerSrv = server.connect();
        observer = observerSrv.openWs(wsName);
    }

    @AfterEach
    void closeAll() { observerSrv.close(); }

    /** What the blocked thread saw: its exception (or value) and its interrupt status after. */
    record Outcome(Object value, Throwable error, boolean interruptedAfter, NetWorkSpace ws) {}

    private Thread blockedFetcher(CompletableFuture<Outcome> outcome, boolean find) {
        Thread t = new Thread(() -> {
            NetWorkSpace ws = server.connect().useWs(wsName);
            try {
                Object v = find ? ws.find("v") : ws.fetch("v");
                outcome.complete(new Outcome(v, null, Thread.currentThread().isInterrupted(), ws));
            } catch (Throwable e) {
                outcome.complete(new Outcome(null, e, Thread.currentThread().isInterrupted(), ws));
            }
        });
        t.start();
        return t;
    }

    @Test
    void interruptEndsABlockedFetchPromptlyKeepingTheStatus() throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread t = blockedFetcher(outcome, false);
        Support.waitFetchers(observer, "v", 1);
        long start = System.nanoTime();
        t.interrupt();
        Outcome o = outcome.get(5, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(NwsCancelledException.class, o.error());
        assertEquals(Errc.CANCELLED, ((NwsException) o.error()).code());
        assertTrue(o.interruptedAfter(), "the interrupt status is kept");
        assertTrue(ms < 2000, "returned after " + ms + " ms");
        // The connection is still usable after the withdrawal.
        o.ws().store("w", "after");
        assertEquals("after", o.ws().fetch("w"));
        o.ws().server().close();
    }

    @Test
    void aValueStoredAfterTheInterruptGoesToTheNextFetcher() throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread t = blockedFetcher(outcome, false);
        Support.waitFetchers(observer, "v", 1);
        t.interrupt();
        Outcome o = outcome.get(5, TimeUnit.SECONDS);
        assertInstanceOf(NwsCancelledException.class, o.error());
        // The call returns only once the server has withdrawn the request.
        assertEquals(0, Support.var(observer, "v").map(VarInfo::fetchers).orElse(0L));
        observer.store("v", "for the next one");
        assertEquals(Optional.of("for the next one"), observer.fetchTry("v"));
        o.ws().server().close();
    }

    @Test
    void interruptEndsABlockedFind() throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread t = blockedFetcher(outcome, true);
        Support.waitUntil(() -> Support.var(observer, "v").map(v -> v.finders() == 1).orElse(false), "a finder");
        t.interrupt();
        Outcome o = outcome.get(5, TimeUnit.SECONDS);
        assertInstanceOf(NwsCancelledException.class, o.error());
        assertTrue(o.interruptedAfter());
        o.ws().server().close();
    }

    @Test
    void aThreadAlreadyInterruptedDoesNotBlock() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        CompletableFuture<Boolean> status = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                observer.fetch("nothing");
                error.complete(null);
            } catch (Throwable e) {
                error.complete(e);
            }
            status.complete(Thread.currentThread().isInterrupted());
        });
        t.start();
        assertInstanceOf(NwsCancelledException.class, error.get(5, TimeUnit.SECONDS));
        assertTrue(status.get(5, TimeUnit.SECONDS));
        // Nothing was left waiting on the server.
        assertEquals(0, Support.var(observer, "nothing").map(VarInfo::fetchers).orElse(0L));
    }

    @Test
    void nonBlockingCallsIgnoreTheInterruptStatus() {
        observer.store("v", "x");
        Thread.currentThread().interrupt();
        try {
            assertEquals(Optional.of("x"), observer.fetchTry("v"));
        } finally {
            assertTrue(Thread.interrupted());  // and clear it for the next test
        }
    }

    @Test
    void interruptEndsABlockedIteratorStep() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (NwsServer own = server.connect()) {
                own.useWs(wsName).ifetch("it").nextBlocking(null);
                error.complete(null);
            } catch (Throwable e) {
                error.complete(e);
            }
        });
        t.start();
        Support.waitFetchers(observer, "it", 1);
        t.interrupt();
        assertInstanceOf(NwsCancelledException.class, error.get(5, TimeUnit.SECONDS));
        Support.waitFetchers(observer, "it", 0);
    }

    @Test
    void aValueRacingTheInterruptIsNeverLost() throws Exception {
        // Store and interrupt at the same moment, many times: the value either
        // reaches the interrupted fetcher (returned normally) or stays on the
        // server for the next fetcher.
        for (int round = 0; round < 20; round++) {
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread t = blockedFetcher(outcome, false);
            Support.waitFetchers(observer, "v", 1);
            String value = "round " + round;
            Thread storer = new Thread(() -> observer.store("v", value));
            storer.start();
            t.interrupt();
            storer.join();
            Outcome o = outcome.get(5, TimeUnit.SECONDS);
            if (o.error() == null) {
                // (The fetch may even have returned before the interrupt came,
                // so its interrupt status is not asserted here.)
                assertEquals(value, o.value());
                assertEquals(Optional.empty(), observer.fetchTry("v"));
            } else {
                assertInstanceOf(NwsCancelledException.class, o.error());
                assertEquals(Optional.of(value), observer.fetchTry("v"), "round " + round);
            }
            o.ws().server().close();
        }
    }
}
