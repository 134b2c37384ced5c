package org.networkspaces;

import java.lang.ref.Reference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An NWS server running inside this process (the core's embedded server):
 * its event loop on a thread of its own, listening on a free loopback port
 * unless told otherwise.  Start one with {@link NwsServer#startLocal()}.
 *
 * <p>It serves any client, in this process or another, for as long as it
 * runs: until {@link #close()} (or {@link #stop()}, the same), or until the
 * JVM exits.  It does not stop when this object becomes unreachable.
 * Stopping closes every connection to it, drops every workspace and frees
 * the port.  It logs nothing and leaves the JVM's signal handling alone.
 *
 * <pre>{@code
 * try (NwsLocalServer local = NwsServer.startLocal();
 *      NwsServer server = local.connect()) {
 *     server.openWs("demo").store("x", "hello");
 * }
 * }</pre>
 */
public final class NwsLocalServer implements AutoCloseable {
    // Running servers are reachable from here until stopped, and stopped when
    // the JVM exits (their spool directories are removed then).
    private static final Set<NwsLocalServer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (NwsLocalServer s : RUNNING) s.stop();
        }, "nws-local-servers-stop"));
    }

    private final long handle;
    private final String host;
    private final int port;

    private NwsLocalServer(long handle) {
        this.handle = handle;
        this.host = Native.str(Native.localConnectHost(handle));
        this.port = Native.localPort(handle);
        Native.CLEANER.register(this, () -> Native.localFree(handle));
    }

    static NwsLocalServer start(String bind, boolean hasPort, int port) {
        NwsLocalServer s = new NwsLocalServer(Native.localStart(Native.utf8(bind), hasPort, port));
        RUNNING.add(s);
        return s;
    }

    /** The host clients connect to (the loopback address when it listens on every interface). */
    public String host() { return host; }

    /** The port it listens on (the one picked, when a free port was asked for). */
    public int port() { return port; }

    /** A new connection to this server. */
    public NwsServer connect() { return new NwsServer(host, port); }

    public boolean isRunning() {
        try {
            return Native.localRunning(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Stops the server (idempotent): closes every connection, drops every
     * workspace, frees the port; returns once the server's thread has ended.
     */
    public void stop() {
        try {
            Native.localStop(handle);
        } finally {
            RUNNING.remove(this);
            Reference.reachabilityFence(this);
        }
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() { stop(); }

    @Override
    public String toString() { return "NwsLocalServer[" + host + ":" + port + "]"; }
}
