package org.networkspaces;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection to an NWS server, and the server-level verbs.
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
    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 8765;

    final long handle;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Connects to localhost:8765. */
    public NwsServer() { this(DEFAULT_HOST, DEFAULT_PORT); }

    public NwsServer(String host, int port) { this(host, port, Duration.ofSeconds(10)); }

    public NwsServer(String host, int port, Duration connectTimeout) {
        this.host = host;
        long ms = connectTimeout == null ? 0 : Math.max(1, connectTimeout.toMillis());
        long h = Native.serverConnect(Native.utf8(host), port, ms);
        this.handle = h;
        Native.CLEANER.register(this, () -> Native.serverFree(h));
    }

    public String host() { return host; }

    public int port() {
        try {
            return Native.serverPort(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Opens (creating it if need be) and claims ownership of a workspace, non-persistent. */
    public NetWorkSpace openWs(String name) { return openWs(name, false); }

    /** Opens (creating it if need be) a workspace; a persistent one outlives this connection. */
    public NetWorkSpace openWs(String name, boolean persistent) {
        try {
            return new NetWorkSpace(this, Native.serverOpenWs(live(), Native.utf8(name), persistent, true, false),
                    name, false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Uses a workspace (creating it if need be) without claiming ownership. */
    public NetWorkSpace useWs(String name) {
        try {
            return new NetWorkSpace(this, Native.serverOpenWs(live(), Native.utf8(name), false, true, true),
                    name, false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Creates a uniquely named workspace and returns its name. */
    public String mktempWs() { return mktempWs("__ws__%d"); }

    public String mktempWs(String template) {
        try {
            return Native.str(Native.serverMktempWs(live(), Native.utf8(template)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public void deleteWs(String name) {
        try {
            Native.serverDeleteWs(live(), Native.utf8(name));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Every workspace on the server. */
    public List<WsInfo> listWss() {
        try {
            Object[] rows = Native.serverListWss(live(), new byte[0]);
            List<WsInfo> out = new ArrayList<>(rows.length);
            for (Object r : rows) out.add((WsInfo) r);
            return List.copyOf(out);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public boolean isClosed() { return closed.get(); }

    /** Closes the connection (idempotent). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            Native.serverClose(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    long live() {
        if (closed.get()) throw new NwsClosedException("the connection to NWS server " + host + " has been closed", -1, null);
        return handle;
    }
}
