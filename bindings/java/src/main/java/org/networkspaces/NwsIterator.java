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
 * the thread's interrupt status still set.  Methods are synchronized;
 * sharing one iterator between threads gives each value to one of them.
 */
public final class NwsIterator implements Iterator<Object> {
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
        if (v == null) return false;
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
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    private Object step(boolean block, Duration timeout) {
        long[] descriptor = new long[1];
        try {
            ws.live();
            byte[] bytes = Native.iterNext(handle, block, timeout != null, timeout == null ? 0 : Native.seconds(timeout),
                    descriptor);
            return bytes == null ? null : Values.decode(ws.name(), var, descriptor[0], bytes);
        } finally {
            Reference.reachabilityFence(this);
        }
    }
}
