package org.networkspaces;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;

/**
 * A value held under a lease: leased fetch, or reliable consume
 * ({@link NetWorkSpace#lease(String)}).  The value has left its variable,
 * but it stays the server's until the lease is settled: if this
 * connection closes, or the lease's duration passes first, the value goes
 * back to the head of its variable (fifo: the front; lifo: the top) and the
 * next fetcher gets it.  So a consumer that dies while working loses
 * nothing.
 *
 * <p>Settle a lease once: {@link #ack()} when done with the value (it is
 * then gone for good), {@link #ackStore(String, Object)} to store a result and acknowledge
 * in one step (both happen or neither does), or {@link #release()} to give
 * the value back now.  {@link #renew(Duration)} extends it.  Settling a
 * lease that is no longer held (it expired, or the server restarted) raises
 * {@link NwsLeaseLostException}, whose message says what became of the
 * value; settling twice raises {@link NwsInvalidArgumentException}.
 *
 * <p>{@link #close()} releases the value unless the lease was settled, so
 * try-with-resources gives the value back when the block does not
 * acknowledge it: when it throws, or returns early.  Acknowledge at the
 * end of the block:
 *
 * <pre>{@code
 * try (Lease l = ws.lease("task")) {
 *     work(l.value());
 *     l.ack();           // without it, close() gives the value back
 * }
 * }</pre>
 *
 * <p>{@link #value()} is the value as {@link NetWorkSpace#fetch(String)}
 * would have returned it (a portable value too); {@link #value(Class)} is
 * the typed form.  A value that cannot be read (serialised by another
 * language) raises {@link NwsSerialisationException} from {@code value()}
 * while the lease is still held: {@link #ack()} discards it,
 * {@link #release()} or {@code close()} gives it back.
 *
 * <p>Methods are synchronized; a lease may be settled from another thread
 * than the one that took it.  Its calls go over the connection of the
 * workspace it came from, like that workspace's own calls, and raise
 * {@link NwsClosedException} once the workspace is closed.  A lease that
 * becomes unreachable unsettled and unclosed is released by a
 * {@link Cleaner}, some time later: close it instead.
 */
public final class Lease implements AutoCloseable {
    /**
     * The duration of a lease that names none: the core's
     * {@code nws::Lease::kDefaultDuration}, 5 minutes.  {@link #renew} a
     * lease for longer work.
     */
    public static final Duration DEFAULT_DURATION = Duration.ofMillis(Native.leaseDefaultMillis());

    /** Leases have a Cleaner of their own: releasing one is a round trip to the server. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final NetWorkSpace ws;
    private final String var;
    private final long handle;
    private final long id;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    // The value as retrieved (Values.retrieved's out and got), decoded on first use.
    private final long[] out = new long[2];
    private Object got;
    private NwsSerialisationException unreadable;
    private Object value;
    private boolean decoded;

    /** Takes over {@code handle}: freed (released if unsettled) if this constructor fails. */
    Lease(NetWorkSpace ws, String var, long handle) {
        this.ws = ws;
        this.var = var;
        this.handle = handle;
        this.cleanable = CLEANER.register(this, () -> Native.leaseFree(handle));
        try {
            this.id = Native.leaseId(handle);
            try {
                got = Native.leaseValue(handle, Native.utf8(ws.name()), out);
            } catch (NwsSerialisationException e) {
                unreadable = e;  // a portable value that does not decode: value() says so
            }
        } catch (RuntimeException | Error e) {
            closed = true;
            cleanable.clean();
            throw e;
        }
    }

    /**
     * The leased value, as {@link NetWorkSpace#fetch(String)} returns it.
     * Still there after the lease is settled or closed.
     *
     * @throws NwsSerialisationException if the value cannot be read here (it
     *     stays leased until settled or closed)
     */
    public synchronized Object value() { return decoded(null); }

    /**
     * The leased value as a {@code type}, as {@link NetWorkSpace#fetch(String, Class)}
     * returns it (a Java-serialised value's classes are looked up through
     * {@code type}'s class loader first); a value of another type raises
     * {@link ClassCastException} and stays leased.
     */
    public synchronized <T> T value(Class<T> type) {
        return Values.as(var, decoded(type.getClassLoader()), type);
    }

    /** The server's id of this lease. */
    public long id() { return id; }

    /** The variable the value was leased from. */
    public String variable() { return var; }

    /** The workspace the value was leased from. */
    public NetWorkSpace workspace() { return ws; }

    /**
     * Whether the lease is over: acknowledged, released, closed, or found
     * lost by a settling call.  (A lease that expired unnoticed is not
     * settled yet: the next settling call raises {@link NwsLeaseLostException}.)
     */
    public synchronized boolean isSettled() {
        if (closed) return true;
        try {
            return Native.leaseSettled(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Done with the value: it is gone for good. */
    public synchronized void ack() {
        try {
            Native.leaseAck(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Stores {@code value} in {@code var} (of the same workspace) and
     * acknowledges the lease, atomically: both happen or neither does.
     * The value is written as {@link NetWorkSpace#store(String, Object)}
     * writes it (portable if the workspace is).  If the store is refused
     * the lease is still held.
     */
    public void ackStore(String var, Object value) {
        ackStore(var, value, ws.isPortable() ? Portable.YES : Portable.NO);
    }

    /**
     * Stores {@code value} in {@code var} as a portable value or not (as
     * {@link NetWorkSpace#store(String, Object, Portable)}) and acknowledges
     * the lease, atomically.
     */
    public synchronized void ackStore(String var, Object value, Portable how) {
        if (how == null) throw new NwsInvalidArgumentException("ackStore needs Portable.YES or Portable.NO, not null", -1, null);
        try {
            long h = live();
            if (how == Portable.YES && !(value instanceof String)) {
                PortableWriter.written(value, w -> Native.leaseAckStorePortable(h, Native.utf8(var), w));
                return;
            }
            Values.Encoded e = Values.encode(value);
            Native.leaseAckStore(h, Native.utf8(var), e.descriptor(), e.bytes());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Gives the value back now: it goes to the head of its variable. */
    public synchronized void release() {
        try {
            Native.leaseRelease(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The lease now ends {@code duration} from now (1 ms to about 24 days;
     * whole milliseconds), unless settled before.
     */
    public synchronized void renew(Duration duration) {
        try {
            Native.leaseRenew(live(), millis(duration, "lease renew of variable '" + var + "' in workspace '" + ws.name() + "'"));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Releases the value unless the lease was settled, and frees the lease.
     * Idempotent; never throws: if the release fails, the lease had ended
     * already or its connection is gone, and either way the value went back
     * to its variable.  {@link #value()} still works afterwards; settling
     * calls raise {@link NwsInvalidArgumentException}.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();  // deleting an unsettled nws::Lease releases it
    }

    @Override
    public String toString() {
        return "Lease " + Long.toUnsignedString(id) + " of variable '" + var + "' in workspace '" + ws.name() + "'";
    }

    /** The handle for a settling call. */
    private long live() {
        if (closed) {
            throw new NwsInvalidArgumentException("lease " + Long.toUnsignedString(id) + " of variable '" + var
                    + "' was closed (its value released unless it had been settled before)", -1, null);
        }
        ws.live();
        return handle;
    }

    private Object decoded(ClassLoader loader) {
        if (unreadable != null) throw unreadable;
        if (!decoded) {
            value = Values.retrieved(ws.name(), var, out, got, loader);
            decoded = true;
            got = null;
        }
        return value;
    }

    /**
     * A lease duration in whole milliseconds for the core, which checks the
     * range; null is refused here.
     */
    static long millis(Duration d, String what) {
        if (d == null) {
            throw new NwsInvalidArgumentException(what + ": the lease duration is missing (null): pass a Duration", -1,
                    null);
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;  // out of range: the core says so
        }
    }
}
