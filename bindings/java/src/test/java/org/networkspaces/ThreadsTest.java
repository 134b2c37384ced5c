package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** One NetWorkSpace shared by two threads: calls are serialised and each is correct. */
class ThreadsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception { server = new TestServer(); }

    @AfterAll
    static void stop() throws Exception { server.close(); }

    @Test
    void twoThreadsStoringAndFetchingOnOneWorkspace() throws Exception {
        try (NetWorkSpace ws = server.workspace(Support.unique("threads"))) {
            final int n = 300;
            CyclicBarrier go = new CyclicBarrier(2);
            Runnable storer = () -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                String me = Thread.currentThread().getName();
                for (int i = 0; i < n; i++) ws.store("v", me + ":" + i);
            };
            Thread a = new Thread(storer, "a");
            Thread b = new Thread(storer, "b");
            a.start();
            b.start();
            a.join();
            b.join();
            assertEquals(2L * n, Support.var(ws, "v").orElseThrow().values());

            // Now both fetch concurrently: every value goes to exactly one of them.
            Set<Object> seen = java.util.Collections.synchronizedSet(new HashSet<>());
            CompletableFuture<Integer> fa = CompletableFuture.supplyAsync(() -> drain(ws, seen));
            CompletableFuture<Integer> fb = CompletableFuture.supplyAsync(() -> drain(ws, seen));
            assertEquals(2 * n, fa.get(30, TimeUnit.SECONDS) + fb.get(30, TimeUnit.SECONDS));
            assertEquals(2 * n, seen.size());
        }
    }

    private static int drain(NetWorkSpace ws, Set<Object> seen) {
        int count = 0;
        for (Object v = ws.fetchTry("v").orElse(null); v != null; v = ws.fetchTry("v").orElse(null)) {
            assertTrue(seen.add(v), "value " + v + " delivered twice");
            count++;
        }
        return count;
    }

    @Test
    void aBlockedFetchDelaysAStoreOnTheSameConnectionButNotOnAnother() throws Exception {
        try (NetWorkSpace ws = server.workspace(Support.unique("threads"));
             NetWorkSpace other = server.workspace(ws.name() + "-other")) {
            CompletableFuture<Object> fetched = CompletableFuture.supplyAsync(() -> ws.fetch("v", Duration.ofSeconds(20)));
            try (NwsServer obs = server.connect()) {
                Support.waitFetchers(obs.useWs(ws.name()), "v", 1);
                // Another connection is not held up: its store reaches the blocked fetcher.
                obs.useWs(ws.name()).store("v", "delivered");
            }
            assertEquals("delivered", fetched.get(10, TimeUnit.SECONDS));
            other.store("x", "independent");
            assertEquals("independent", other.fetch("x"));
        }
    }
}
