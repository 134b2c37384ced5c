package org.networkspaces.sleigh;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One portable job (the core's MapJob), driven by one thread at a time: the
 * core's job is not thread-safe, and every caller here is the job's single
 * driver (the caller of a blocking call, a SleighJob's thread, a stream's
 * consumer).  Elements go in as argument bytes, outcomes come out one per
 * element.
 */
final class MapRun {
    private final Sleigh sleigh;
    private final long handle;
    private final double loadFactor;  // 0: no pacing

    private MapRun(Sleigh sleigh, long handle, double loadFactor) {
        this.sleigh = sleigh;
        this.handle = handle;
        this.loadFactor = loadFactor;
        Sleigh.CLEANER.register(this, () -> SleighNative.mapFree(handle));
    }

    /**
     * eachElem: {@code total} elements (-1: not known), in element or arrival
     * order.  The driver paces the input with {@link #hasRoom()} (the core's
     * rule: chunks in flight plus results not taken, against the load
     * factor), taking results while there is no room; the core's add then
     * never has to wait.
     */
    static MapRun eachElem(Sleigh sleigh, byte[] spec, long total, JobOptions o, double defaultLoadFactor,
                           boolean arrival) {
        double lf = o.loadFactor() > 0 ? o.loadFactor() : defaultLoadFactor;
        return new MapRun(sleigh, SleighNative.mapNew(sleigh.live(), spec, total, o.chunkSize(), lf, arrival), lf);
    }

    /** eachWorker: one call on every worker, waiting up to {@code timeout} (null: for ever) for the group. */
    static MapRun eachWorker(Sleigh sleigh, byte[] spec, byte[] args, Duration timeout) {
        return new MapRun(sleigh, SleighNative.mapEachWorker(sleigh.live(), spec, args, timeout != null,
                timeout == null ? 0 : timeout.toNanos() / 1e9), 0);
    }

    /** Adds an element; waits (interruptibly) for room under the load factor. */
    void add(byte[] args) {
        try {
            SleighNative.mapAdd(handle, args);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    void close() {
        try {
            SleighNative.mapClose(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The next outcome, waiting for ever (interruptibly); null once every one was taken. */
    Outcome next() {
        long[] out = new long[3];
        try {
            byte[] b = SleighNative.mapNext(handle, false, 0, out);
            return b == null ? null : new Outcome(out[0], out[1] != 0, b, (int) out[2]);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Whether another element may go in: always without a load factor; with
     * one, while the chunks in flight and those whose results were not taken
     * yet are fewer than the load factor allows.  It can turn false only when
     * a chunk is sent, so a driver that asks before each element and takes a
     * result ({@link #next()}) when there is no room never leaves elements
     * waiting in a partly filled chunk.
     */
    boolean hasRoom() {
        if (loadFactor <= 0) return true;
        try {
            return SleighNative.mapHasRoom(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The outcomes that can be taken now, without waiting.  Elements of a
     * partly filled chunk stay where they are ({@link #next()} sends them
     * once nothing else is in flight; closing the run sends them too).
     */
    List<Outcome> drain() {
        Object[] meta = new Object[1];
        try {
            byte[][] bytes = SleighNative.mapDrain(handle, meta);
            long[] m = (long[]) meta[0];
            List<Outcome> out = new ArrayList<>(bytes.length);
            for (int i = 0; i < bytes.length; i++)
                out.add(new Outcome(m[3 * i], m[3 * i + 1] != 0, bytes[i], (int) m[3 * i + 2]));
            return out;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    Sleigh sleigh() { return sleigh; }
}
