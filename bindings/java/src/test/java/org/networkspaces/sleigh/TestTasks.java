package org.networkspaces.sleigh;

import java.util.List;
import java.util.Map;

/** Named functions the tests' Java workers run ({@code org.networkspaces.sleigh.TestTasks#...}). */
public final class TestTasks {
    private TestTasks() {}

    public static long square(long x) { return x * x; }

    /** Two overloads: the call picks the one whose parameters fit. */
    public static String describe(String s) { return "string " + s; }

    public static String describe(double d) { return "double " + d; }

    public static double scale(double x, int factor) { return x * factor; }

    public static Map<String, Object> whoAmI() {
        return Map.of("rank", (long) Worker.rank(), "count", (long) Worker.workerCount());
    }

    public static long total(List<?> xs) {
        long t = 0;
        for (Object x : xs) t += (Long) x;
        return t;
    }

    public static long fail(long x) {
        throw new IllegalStateException("failing on purpose with " + x);
    }

    /** {@code x}, after {@code millis} ms: a task still running when a test stops its sleigh. */
    public static long pause(long x, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    /** A slow task, to be running when a test kills its worker. */
    public static long slowly(long x) throws InterruptedException {
        Thread.sleep(50);
        return x + 1;
    }
}
