package org.networkspaces;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;

/**
 * One connection to an NWS server, and the server-level verbs.
 *
 * <p>The server a program names none of ({@link #NwsServer()}, or a null
 * host) is the default one: {@code $NWS_HOST} and {@code $NWS_PORT} when
 * they are set, else localhost:8765.  {@link #startLocal()} starts a server
 * inside this process instead, so the jar alone is a working system.
 * {@link #NwsServer(ConnectOptions)} takes every connect option: TLS and
 * credentials as well (docs/security.md).
 *
 * <p>Thread safety: calls from several threads are safe; the connection
 * carries one request at a time, so a thread blocked in
 * {@link NetWorkSpace#fetch} on a workspace of this connection holds it up
 * for the others until it returns.  Give each thread that blocks its own
 * {@code NwsServer}.
 *
 * <p>{@link #close()} is idempotent; any call after it raises
 * {@link NwsClosedException}, also on the workspaces opened through it.
 */
public final class NwsServer implements AutoCloseable {
    /** The host used when none is given and {@code $NWS_HOST} is not set. */
    public static final String DEFAULT_HOST = "localhost";
    /** The port used when none is given and {@code $NWS_PORT} is not set. */
    public static final int DEFAULT_PORT = 8765;

    final long handle;

    /** Connects to the default server ({@code $NWS_HOST}:{@code $NWS_PORT}, else localhost:8765). */
    public NwsServer() { this(new ConnectOptions().connect()); }

    /** Connects to {@code host} (null: the default host) and {@code port} (1..65535). */
    public NwsServer(String host, int port) { this(new ConnectOptions().host(host).port(port).connect()); }

    /**
     * As {@link #NwsServer(String, int)}, giving up after {@code connectTimeout}
     * (null: the default, 10 s) with {@link NwsConnectionException}.
     */
    public NwsServer(String host, int port, Duration connectTimeout) {
        this(new ConnectOptions().host(host).port(port).connectTimeout(connectTimeout).connect());
    }

    /**
     * Connects as {@code options} say: host, port, connect timeout, TLS and
     * credentials (see {@link ConnectOptions}).  A server that refuses the
     * TLS connection raises {@link NwsTlsException}; one that refuses the
     * credentials (or wants some) {@link NwsAuthenticationException}.
     */
    public NwsServer(ConnectOptions options) { this(checked(options).connect()); }

    static ConnectOptions checked(ConnectOptions options) {
        if (options == null)
            throw new NwsInvalidArgumentException("the connect options are missing (null): pass a ConnectOptions", -1, null);
        return options;
    }

    private NwsServer(long h) {
        this.handle = h;
        Native.CLEANER.register(this, () -> Native.serverFree(h));
    }

    /**
     * Starts an NWS server inside this process on a free loopback port (see
     * {@link NwsLocalServer}): nothing but this jar is needed.
     */
    public static NwsLocalServer startLocal() { return NwsLocalServer.start(null, false, 0); }

    /**
     * Starts an NWS server inside this process listening on {@code bind}
     * (null: 127.0.0.1; "0.0.0.0": every interface) and {@code port}
     * (0..65535, 0: a free port).
     */
    public static NwsLocalServer startLocal(String bind, int port) { return NwsLocalServer.start(bind, true, port); }

    /** The version of NetWorkSpaces (the core's, which this jar carries). */
    public static String version() { return Native.str(Native.version()); }

    /** The host this connection went to (the default resolved). */
    public String host() {
        try {
            return Native.str(Native.serverHost(handle));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The port this connection went to (the default resolved). */
    public int port() {
        try {
            return Native.serverPort(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Opens (creating it if need be) and claims ownership of a workspace,
     * non-persistent: it vanishes when this connection closes.
     */
    public NetWorkSpace openWs(String name) { return openWs(name, false); }

    /** Opens (creating it if need be) a workspace; a persistent one outlives this connection. */
    public NetWorkSpace openWs(String name, boolean persistent) {
        try {
            return new NetWorkSpace(this, Native.serverOpenWs(handle, Native.utf8(name), persistent, true, false),
                    name, false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Uses a workspace (creating it if need be) without claiming ownership. */
    public NetWorkSpace useWs(String name) {
        try {
            return new NetWorkSpace(this, Native.serverOpenWs(handle, Native.utf8(name), false, true, true),
                    name, false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Creates a uniquely named workspace and returns its name. */
    public String mktempWs() { return mktempWs("__ws__%d"); }

    /** Creates a uniquely named workspace from {@code template} ({@code %d}: a number) and returns its name. */
    public String mktempWs(String template) {
        try {
            return Native.str(Native.serverMktempWs(handle, Native.utf8(template)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public void deleteWs(String name) {
        try {
            Native.serverDeleteWs(handle, Native.utf8(name));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Every workspace on the server. */
    public List<WsInfo> listWss() { return wsListing().rows(); }

    /** Every workspace on the server: the server's text and its rows. */
    public WsListing wsListing() {
        try {
            return (WsListing) Native.serverListWss(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The variables of the workspace {@code ws}, which this connection has opened or used. */
    public List<VarInfo> listVars(String ws) { return varListing(ws).rows(); }

    /** The variables of the workspace {@code ws}: the server's text and its rows. */
    public VarListing varListing(String ws) {
        try {
            return (VarListing) Native.serverListVars(handle, Native.utf8(ws));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public boolean isClosed() {
        try {
            return Native.serverClosed(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Closes the connection (idempotent); its non-persistent workspaces vanish. */
    @Override
    public void close() {
        try {
            Native.serverClose(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The handle for a call; a closed connection is refused by the core itself. */
    long live() { return handle; }
}
