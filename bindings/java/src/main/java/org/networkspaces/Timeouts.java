package org.networkspaces;

import java.time.Duration;

/** Duration -> the nanoseconds the native calls take (-1: wait for ever). */
final class Timeouts {
    // Longer than this is "for ever": the native deadline (steady clock +
    // nanoseconds) must not overflow.
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    private Timeouts() {}

    static long nanos(Duration timeout) {
        if (timeout == null) return -1;
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        if (timeout.compareTo(FOREVER) >= 0) return -1;
        return timeout.toNanos();
    }

    /** Blocking calls refuse to start on an interrupted thread (the status stays set). */
    static void checkInterrupt(String what) {
        if (Thread.currentThread().isInterrupted())
            throw new NwsInterruptedException(what + ": the thread was interrupted", -1, null);
    }
}
