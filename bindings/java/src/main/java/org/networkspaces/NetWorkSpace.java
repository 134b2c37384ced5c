package org.networkspaces;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A workspace: store values in variables and fetch or find them.
 *
 * <p>Values: {@code String} is stored as a direct string, {@code byte[]} as
 * a direct binary string, any other {@code Serializable} by Java
 * serialisation.  Reading a value serialised by another language raises
 * {@link NwsSerialisationException} naming that language.  A portable value
 * ({@link Portable}; per store, or for every store with
 * {@link #setPortable(boolean)}) is read by every language, and one written
 * by any language reads as Java values ({@code Long}, {@code double[]},
 * {@link Table}, ...).  A portable value may be {@code null}: then
 * {@code fetchTry}/{@code findTry} give an empty {@code Optional}, as when
 * there is no value.
 *
 * <p>Arguments are checked by the core's rules before anything is sent: a
 * null variable or workspace name, an unknown mode or a negative timeout
 * raises {@link NwsInvalidArgumentException}.
 *
 * <p>Blocking calls ({@code fetch}, {@code find}, {@code lease}, {@link NwsIterator#nextBlocking})
 * wait for ever ({@code timeout} null) or for the given {@code Duration}
 * ({@link NwsTimeoutException} when it passes).  {@link Thread#interrupt()}
 * makes them return within one slice of the core's wait (50 ms) with
 * {@link NwsCancelledException}; the interrupt status stays set.  The
 * request is withdrawn from the server, so a value stored afterwards goes to
 * the next fetcher.  If the value had already been sent when the interrupt
 * came, the call returns it (the value is not lost) and the interrupt status
 * is still set (nor is the interrupt).
 *
 * <p>Threads: a {@code NetWorkSpace} may be used from several threads; calls
 * are serialised on its connection (one request at a time), so each is
 * correct, but a thread blocked in {@code fetch}/{@code find} delays every
 * other call on the same connection until it returns.  Threads that block
 * should each use their own connection ({@code new NetWorkSpace(...)} or
 * their own {@link NwsServer}).
 *
 * <p>Ownership: a workspace opened (not used) by a connection is owned by
 * it; unless it is persistent, it vanishes with its values when that
 * connection closes (see {@link NwsServer#openWs(String, boolean)}).
 *
 * <p>{@link #close()} is idempotent; a call after it raises
 * {@link NwsClosedException}.  A {@code NetWorkSpace} built by its
 * constructor owns its connection and closes it; one from
 * {@link NwsServer#openWs} only becomes unusable, the server stays open.
 */
public final class NetWorkSpace implements AutoCloseable {
    private static final int FETCH = 0, FETCH_TRY = 1, FIND = 2, FIND_TRY = 3;

    private final NwsServer server;
    private final boolean ownsServer;
    private final long handle;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean portable;

    /** Connects to host:port (host null: the default host) and opens (creating it if need be) {@code name}. */
    public NetWorkSpace(String name, String host, int port) { this(name, new NwsServer(host, port)); }

    /** Connects to the default server ({@code $NWS_HOST}:{@code $NWS_PORT}, else localhost:8765) and opens {@code name}. */
    public NetWorkSpace(String name) { this(name, new NwsServer()); }

    /**
     * Connects as {@code options} say (host, port, TLS, credentials: see
     * {@link ConnectOptions}) and opens (creating it if need be) {@code name}.
     */
    public NetWorkSpace(String name, ConnectOptions options) { this(name, new NwsServer(options)); }

    private NetWorkSpace(String name, NwsServer own) {
        long h;
        try {
            h = Native.serverOpenWs(own.live(), Native.utf8(name), false, true, false);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
        this.server = own;
        this.ownsServer = true;
        this.handle = h;
        this.name = name;
        Native.CLEANER.register(this, () -> Native.wsFree(h));
    }

    NetWorkSpace(NwsServer server, long handle, String name, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        this.handle = handle;
        this.name = name;
        Native.CLEANER.register(this, () -> Native.wsFree(handle));
    }

    public String name() { return name; }
    public NwsServer server() { return server; }

    /**
     * Stores a value in {@code var}: portable if this workspace is
     * ({@link #setPortable(boolean)}), else a String, byte[] or Serializable
     * in Java's own encoding.
     */
    public void store(String var, Object value) { store(var, value, portable ? Portable.YES : Portable.NO); }

    /**
     * Stores a value in {@code var}, as a portable value or not (see
     * {@link Portable}).  A String is a direct string either way.
     */
    public void store(String var, Object value, Portable how) {
        if (how == null) throw new NwsInvalidArgumentException("store needs Portable.YES or Portable.NO, not null", -1, null);
        if (how == Portable.YES && !(value instanceof String)) {
            PortableWriter.store(this, var, value);
            return;
        }
        Values.Encoded e = Values.encode(value);
        try {
            Native.wsStore(live(), Native.utf8(var), e.descriptor(), e.bytes());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Whether {@link #store(String, Object)} writes portable values (off at first). */
    public void setPortable(boolean portable) { this.portable = portable; }

    public boolean isPortable() { return portable; }

    /** Removes and returns a value of {@code var}, waiting for one. */
    public Object fetch(String var) { return retrieve(FETCH, var, null, null); }
    /** Removes and returns a value, waiting at most {@code timeout} (null: for ever). */
    public Object fetch(String var, Duration timeout) { return retrieve(FETCH, var, timeout, null); }
    /** Returns a value of {@code var} without removing it, waiting for one. */
    public Object find(String var) { return retrieve(FIND, var, null, null); }
    /** Returns a value without removing it, waiting at most {@code timeout} (null: for ever). */
    public Object find(String var, Duration timeout) { return retrieve(FIND, var, timeout, null); }

    /** Removes and returns a value if there is one now. */
    public Optional<Object> fetchTry(String var) { return Optional.ofNullable(retrieve(FETCH_TRY, var, null, null)); }
    /** Returns a value without removing it if there is one now. */
    public Optional<Object> findTry(String var) { return Optional.ofNullable(retrieve(FIND_TRY, var, null, null)); }

    /**
     * A typed fetch.  If the value is not a {@code type}, it has still been
     * removed, and a {@link ClassCastException} says what it was.  A
     * Java-serialised value's classes are looked up through {@code type}'s
     * class loader first.
     */
    public <T> T fetch(String var, Class<T> type) { return fetch(var, type, null); }
    public <T> T fetch(String var, Class<T> type, Duration timeout) {
        return Values.as(var, retrieve(FETCH, var, timeout, type.getClassLoader()), type);
    }
    public <T> T find(String var, Class<T> type) { return find(var, type, null); }
    public <T> T find(String var, Class<T> type, Duration timeout) {
        return Values.as(var, retrieve(FIND, var, timeout, type.getClassLoader()), type);
    }

    public String fetchString(String var) { return fetch(var, String.class); }
    public String fetchString(String var, Duration timeout) { return fetch(var, String.class, timeout); }
    public byte[] fetchBytes(String var) { return fetch(var, byte[].class); }
    public byte[] fetchBytes(String var, Duration timeout) { return fetch(var, byte[].class, timeout); }
    public String findString(String var) { return find(var, String.class); }
    public byte[] findBytes(String var) { return find(var, byte[].class); }

    /** Declares {@code var}'s mode; {@link NwsDeclarationFailedException} if it already has another. */
    public void declare(String var, Mode mode) { declare(var, mode == null ? null : mode.wireName()); }

    /**
     * Declares {@code var}'s mode by its name ("fifo", "lifo", "multi",
     * "single"); another name raises {@link NwsInvalidArgumentException}
     * before anything is sent.
     */
    public void declare(String var, String mode) {
        try {
            Native.wsDeclare(live(), Native.utf8(var), Native.utf8(mode));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public void deleteVar(String var) {
        try {
            Native.wsDeleteVar(live(), Native.utf8(var));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The variables of this workspace. */
    public List<VarInfo> listVars() { return varListing().rows(); }

    /** The variables of this workspace: the server's text and its rows, from one request. */
    public VarListing varListing() {
        try {
            return (VarListing) Native.wsListVars(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Every workspace on the server (as {@link NwsServer#listWss()}). */
    public List<WsInfo> listWss() {
        live();
        return server.listWss();
    }

    /** Iterates over {@code var}'s values, removing each (see {@link NwsIterator}). */
    public NwsIterator ifetch(String var) { return iterator(var, true); }
    /** Iterates over {@code var}'s values without removing them (see {@link NwsIterator}). */
    public NwsIterator ifind(String var) { return iterator(var, false); }

    private NwsIterator iterator(String var, boolean consuming) {
        try {
            return new NwsIterator(this, var, Native.wsIterator(live(), Native.utf8(var), consuming));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Leased fetch: removes a value of {@code var}, waiting for one, and
     * holds it under a lease of {@link Lease#DEFAULT_DURATION} (5 minutes)
     * until it is acknowledged.  See {@link Lease}:
     * <pre>{@code
     * try (Lease l = ws.lease("task")) {
     *     work(l.value());
     *     l.ack();           // without it, close() gives the value back
     * }
     * }</pre>
     * {@link NwsUnsupportedException} on a server without leases (the original).
     */
    public Lease lease(String var) { return lease(var, Lease.DEFAULT_DURATION, null); }

    /** Leased fetch for {@code duration} (1 ms to about 24 days), waiting for a value. */
    public Lease lease(String var, Duration duration) { return lease(var, duration, null); }

    /**
     * Leased fetch for {@code duration}, waiting at most {@code timeout}
     * (null: for ever) for a value, as {@link #fetch(String, Duration)}
     * waits.  Interrupted after its value arrived, it gives the value back
     * to its variable and raises {@link NwsCancelledException} (the
     * interrupt status stays set).
     */
    public Lease lease(String var, Duration duration, Duration timeout) {
        return leased(var, duration, true, timeout);
    }

    /** Leased fetch of a value of {@code var} if there is one now, for {@link Lease#DEFAULT_DURATION}. */
    public Optional<Lease> leaseTry(String var) { return leaseTry(var, Lease.DEFAULT_DURATION); }

    /** Leased fetch of a value of {@code var} if there is one now, for {@code duration}. */
    public Optional<Lease> leaseTry(String var, Duration duration) {
        return Optional.ofNullable(leased(var, duration, false, null));
    }

    private Lease leased(String var, Duration duration, boolean block, Duration timeout) {
        long ms = Lease.millis(duration, (block ? "lease fetch" : "lease fetchTry") + " of variable '" + var
                + "' in workspace '" + name + "'");
        try {
            long h = Native.wsLease(live(), Native.utf8(var), ms, block, timeout != null,
                    timeout == null ? 0 : Native.seconds(timeout));
            return h == 0 ? null : new Lease(this, var, h);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public boolean isClosed() { return closed.get() || server.isClosed(); }

    /** Idempotent.  Closes the connection too if this object opened it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (ownsServer) server.close();
    }

    /**
     * The handle for a call.  This object's own close() is the binding's
     * (the connection may stay open); a closed connection is the core's to
     * report, with its own message.
     */
    long live() {
        if (closed.get()) {
            throw new NwsClosedException("the workspace '" + name + "' has been closed"
                    + (ownsServer ? ", and with it its connection to NWS server "
                                  : "; its connection to NWS server ")
                    + server.host() + ":" + server.port() + (ownsServer ? "" : " stays open"), -1, null);
        }
        return handle;
    }

    private Object retrieve(int how, String var, Duration timeout, ClassLoader loader) {
        long[] out = new long[2];
        try {
            Object got = Native.wsRetrieve(live(), how, Native.utf8(var), timeout != null,
                    timeout == null ? 0 : Native.seconds(timeout), false, out);
            return Values.retrieved(name, var, out, got, loader);
        } finally {
            Reference.reachabilityFence(this);
        }
    }
}
