package org.networkspaces.sleigh;

/**
 * A task that failed on a worker: the function raised, or its chunk could
 * not run (a lambda whose class the worker cannot load, a worker that died
 * running an eachWorker call, a sleigh stopped before it ran).  It names
 * the element's index in its job and the worker's rank (-1 when no worker
 * ran it), and carries the worker's own account: for a Java worker the
 * exception's class, message and first stack frames, for another
 * language's worker that language's error text.
 *
 * <p>A blocking call ({@link Sleigh#eachElem}, {@link SleighJob#join()})
 * throws the failure of the lowest index, with every other failure of the
 * job attached as {@linkplain #getSuppressed() suppressed}; a future
 * completes exceptionally with it.
 */
public class SleighTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long index;
    private final int rank;
    private final String workerTrace;

    public SleighTaskException(long index, int rank, String workerTrace) {
        super("task " + index + (rank >= 0 ? " on worker " + rank : "") + " failed: " + firstLine(workerTrace));
        this.index = index;
        this.rank = rank;
        this.workerTrace = workerTrace;
    }

    /** The element's position in its job (0-based). */
    public long index() { return index; }

    /** The rank of the worker that ran it, or -1. */
    public int rank() { return rank; }

    /** What the worker reported, in full (the exception and its first frames). */
    public String workerTrace() { return workerTrace; }

    private static String firstLine(String text) {
        if (text == null) return "";
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
