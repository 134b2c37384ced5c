package org.networkspaces;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An iterator over a variable's values (ifetch: removing them; ifind:
 * leaving them, each value seen once in order).
 *
 * <p>As a {@link Iterator} and {@link #stream()} it does not block: it ends
 * when the variable has no further value right now.  The end is not final:
 * {@link #hasNext()} asks the server again, from the same position, so
 * values stored since are seen (the core's rule for an iterator's end).
 * {@link #hasNext()} reads ahead one value (for ifetch, that value is
 * already removed from the server and is kept here until {@link #next()}).
 * {@link #nextBlocking} waits for the next value instead; interrupted after
 * its value arrived, it returns that value (the position has advanced) with
 * the thread's interrupt status still set.  A portable {@code null} value is
 * a {@code null} element, not the end.  Methods are synchronized;
 * sharing one iterator between threads gives each value to one of them.
 */
public final class NwsIterator implements Iterator<Object> {
    private static final Object END = new Object();

    private final NetWorkSpace ws;
    private final String var;
    private final long handle;
    private Object ahead;
    private boolean hasAhead;

    NwsIterator(NetWorkSpace ws, String var, long handle) {
        this.ws = ws;
        this.var = var;
        this.handle = handle;
        Native.CLEANER.register(this, () -> Native.iterFree(handle));
    }

    @Override
    public synchronized boolean hasNext() {
        if (hasAhead) return true;
        Object v = step(false, null);
        if (v == END) return false;
        ahead = v;
        hasAhead = true;
        return true;
    }

    @Override
    public synchronized Object next() {
        if (!hasNext()) throw new NoSuchElementException("no further value of '" + var + "' now");
        Object v = ahead;
        ahead = null;
        hasAhead = false;
        return v;
    }

    /** Waits for the next value; {@code timeout} null waits for ever. */
    public synchronized Object nextBlocking(Duration timeout) {
        if (hasAhead) return next();
        return step(true, timeout);
    }

    /** The remaining values (now) as a sequential stream. */
    public Stream<Object> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED),
                false);
    }

    /** The next value, or END: a portable value may be null. */
    private Object step(boolean block, Duration timeout) {
        long[] out = new long[2];
        try {
            ws.live();
            Object got = Native.iterNext(handle, Native.utf8(ws.name()), block, timeout != null,
                    timeout == null ? 0 : Native.seconds(timeout), out);
            return out[1] == Values.NOTHING ? END : Values.retrieved(ws.name(), var, out, got, null);
        } finally {
            Reference.reachabilityFence(this);
        }
    }
}
