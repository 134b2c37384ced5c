package org.networkspaces;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A workspace: store values in variables and fetch or find them.
 *
 * <p>Values: {@code String} is stored as a direct string, {@code byte[]} as
 * a direct binary string, any other {@code Serializable} by Java
 * serialisation.  Reading a value serialised by another language raises
 * {@link SerialisationException} naming that language.
 *
 * <p>Blocking calls ({@code fetch}, {@code find}, {@link NwsIterator#nextBlocking})
 * wait for ever or for the given {@code Duration} ({@link NwsTimeoutException}
 * when it passes).  {@link Thread#interrupt()} makes them return within a
 * few tens of milliseconds with {@link NwsInterruptedException}; the
 * interrupt status stays set.  The request is withdrawn from the server,
 * so a value stored afterwards goes to the next fetcher.  If the value had
 * already been sent when the interrupt came, the call returns it (nothing is
 * lost) and the interrupt status is likewise still set.
 *
 * <p>Threads: a {@code NetWorkSpace} may be used from several threads; calls
 * are serialised on its connection (one request at a time), so each is
 * correct, but a thread blocked in {@code fetch}/{@code find} delays every
 * other call on the same connection until it returns.  Threads that block
 * should each use their own connection ({@code new NetWorkSpace(...)} or
 * their own {@link NwsServer}).
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

    /** Connects to host:port and opens (creating it if need be) the workspace {@code name}. */
    public NetWorkSpace(String name, String host, int port) {
        NwsServer s = new NwsServer(host, port);
        long h;
        try {
            h = Native.serverOpenWs(s.live(), Native.utf8(name), false, true, false);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        this.server = s;
        this.ownsServer = true;
        this.handle = h;
        this.name = name;
        Native.CLEANER.register(this, () -> Native.wsFree(h));
    }

    /** Connects to localhost:8765. */
    public NetWorkSpace(String name) { this(name, NwsServer.DEFAULT_HOST, NwsServer.DEFAULT_PORT); }

    NetWorkSpace(NwsServer server, long handle, String name, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        this.handle = handle;
        this.name = name;
        Native.CLEANER.register(this, () -> Native.wsFree(handle));
    }

    public String name() { return name; }
    public NwsServer server() { return server; }

    /** Stores a value (String, byte[] or Serializable) in {@code var}. */
    public void store(String var, Object value) {
        Values.Encoded e = Values.encode(value);
        try {
            Native.wsStore(live(), Native.utf8(var), e.descriptor(), e.bytes());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Removes and returns a value of {@code var}, waiting for one. */
    public Object fetch(String var) { return retrieve(FETCH, var, null); }
    /** Removes and returns a value, waiting at most {@code timeout}. */
    public Object fetch(String var, Duration timeout) { return retrieve(FETCH, var, timeout); }
    /** Returns a value of {@code var} without removing it, waiting for one. */
    public Object find(String var) { return retrieve(FIND, var, null); }
    public Object find(String var, Duration timeout) { return retrieve(FIND, var, timeout); }

    /** Removes and returns a value if there is one now. */
    public Optional<Object> fetchTry(String var) { return Optional.ofNullable(retrieve(FETCH_TRY, var, null)); }
    /** Returns a value without removing it if there is one now. */
    public Optional<Object> findTry(String var) { return Optional.ofNullable(retrieve(FIND_TRY, var, null)); }

    /**
     * A typed fetch.  If the value is not a {@code type}, it has still been
     * removed, and a {@link ClassCastException} says what it was.
     */
    public <T> T fetch(String var, Class<T> type) { return Values.as(var, fetch(var), type); }
    public <T> T fetch(String var, Class<T> type, Duration timeout) { return Values.as(var, fetch(var, timeout), type); }
    public <T> T find(String var, Class<T> type) { return Values.as(var, find(var), type); }
    public <T> T find(String var, Class<T> type, Duration timeout) { return Values.as(var, find(var, timeout), type); }

    public String fetchString(String var) { return fetch(var, String.class); }
    public String fetchString(String var, Duration timeout) { return fetch(var, String.class, timeout); }
    public byte[] fetchBytes(String var) { return fetch(var, byte[].class); }
    public byte[] fetchBytes(String var, Duration timeout) { return fetch(var, byte[].class, timeout); }
    public String findString(String var) { return find(var, String.class); }
    public byte[] findBytes(String var) { return find(var, byte[].class); }

    /** Declares {@code var}'s mode; {@link DeclarationFailedException} if it already has another. */
    public void declare(String var, Mode mode) {
        try {
            Native.wsDeclare(live(), Native.utf8(var), Native.utf8(mode.wireName()));
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
    public List<VarInfo> listVars() {
        try {
            Object[] rows = Native.wsListVars(live());
            List<VarInfo> out = new ArrayList<>(rows.length);
            for (Object r : rows) out.add((VarInfo) r);
            return List.copyOf(out);
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

    public boolean isClosed() { return closed.get() || server.isClosed(); }

    /** Idempotent.  Closes the connection too if this object opened it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (ownsServer) server.close();
    }

    long live() {
        if (closed.get()) throw new NwsClosedException("the workspace '" + name + "' has been closed", -1, null);
        server.live();
        return handle;
    }

    private Object retrieve(int how, String var, Duration timeout) {
        long ns = Timeouts.nanos(timeout);
        if (how == FETCH || how == FIND) Timeouts.checkInterrupt((how == FETCH ? "fetch '" : "find '") + var + "'");
        long[] descriptor = new long[1];
        try {
            byte[] bytes = Native.wsRetrieve(live(), how, Native.utf8(var), ns, descriptor);
            return bytes == null ? null : Values.decode(var, descriptor[0], bytes);
        } finally {
            Reference.reachabilityFence(this);
        }
    }
}
