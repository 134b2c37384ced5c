package org.networkspaces;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Helpers shared by the tests: unique names, polling with a deadline. */
final class Support {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Support() {}

    static String unique(String prefix) { return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(); }

    /** Polls `condition` until it holds; fails after 10 s. */
    static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    static Optional<VarInfo> var(NetWorkSpace observer, String name) {
        return observer.listVars().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Waits until the server shows `fetchers` blocked fetchers on `var`. */
    static void waitFetchers(NetWorkSpace observer, String var, long fetchers) throws InterruptedException {
        waitUntil(() -> var(observer, var).map(v -> v.fetchers() == fetchers).orElse(fetchers == 0),
                fetchers + " fetcher(s) on " + var);
    }
}
