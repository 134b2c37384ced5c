package org.networkspaces;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JNI entry points (native/*.cpp) and the callbacks the library makes.
 *
 * <p>Handles are pointers to C++ objects.  They are freed by {@link #CLEANER}
 * once the Java object holding them is unreachable, never by {@code close()}:
 * a call running in another thread may still be using them, and after
 * {@code close()} the C++ client raises "closed" rather than crashing.
 * Strings travel as UTF-8 {@code byte[]} (see jni_util.hpp); a Java null
 * travels as a null array, which the core's argument rules refuse where a
 * value is required.
 */
final class Native {
    static final Cleaner CLEANER = Cleaner.create();

    static {
        NativeLoader.load();
    }

    private Native() {}

    /** UTF-8 bytes; null stays null (the core then says what is missing). */
    static byte[] utf8(String s) { return s == null ? null : s.getBytes(StandardCharsets.UTF_8); }
    static String str(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

    /** A timeout in seconds for the core's rule (nws::args::wait), which validates it. */
    static double seconds(Duration d) { return d.getSeconds() + d.getNano() / 1e9; }

    // ---- called from C++ ----

    /** The exception for an nws::Error: its class is the one of the kind with that code. */
    static Throwable error(int code, byte[] message, int status, byte[] reason) {
        String r = str(reason);
        return NwsException.of(Errc.ofCode(code), str(message), status, r == null || r.isEmpty() ? null : r);
    }

    /** The cancel check of blocking calls, polled every slice on the calling thread. */
    static boolean interrupted() { return Thread.currentThread().isInterrupted(); }

    /** A call returns a value that arrived as it was interrupted: the interrupt stays set for the caller. */
    static void keepInterrupt() { Thread.currentThread().interrupt(); }

    static Object varInfo(byte[] name, long values, long fetchers, long finders, byte[] mode) {
        return new VarInfo(str(name), values, fetchers, finders, str(mode));
    }

    static Object wsInfo(boolean mine, byte[] name, byte[] owner, boolean persistent, long variables, byte[][] names) {
        List<String> vars = new ArrayList<>(names.length);
        for (byte[] n : names) vars.add(str(n));
        return new WsInfo(mine, str(name), str(owner), persistent, variables, List.copyOf(vars));
    }

    static Object listing(boolean vars, byte[] text, Object[] rows) {
        if (vars) {
            List<VarInfo> out = new ArrayList<>(rows.length);
            for (Object r : rows) out.add((VarInfo) r);
            return new VarListing(str(text), List.copyOf(out));
        }
        List<WsInfo> out = new ArrayList<>(rows.length);
        for (Object r : rows) out.add((WsInfo) r);
        return new WsListing(str(text), List.copyOf(out));
    }

    // ---- implemented in C++ ----

    // The core's tables and messages (jni_tables.cpp).
    static native byte[] version();
    static native Object[] errorKinds();
    static native Object[] languages();
    static native Object[] descriptorBits();
    static native Object[] modes();
    static native byte[] unreadableValueMessage(byte[] ws, byte[] var, long descriptor, byte[] why);

    /** ConnectOptions.connect: a null byte[] (and tls false) is an option not given. */
    static native long serverConnect(byte[] host, boolean hasPort, int port, boolean hasTimeout, double timeoutSeconds,
                                     boolean tls, byte[] tlsCa, byte[] tlsCert, byte[] tlsKey, byte[] tlsServerName,
                                     byte[] user, byte[] password, byte[] token);
    static native long serverOpenWs(long server, byte[] name, boolean persistent, boolean create, boolean use);
    static native byte[] serverMktempWs(long server, byte[] template);
    static native void serverDeleteWs(long server, byte[] name);
    static native Object serverListWss(long server);
    static native Object serverListVars(long server, byte[] ws);
    static native byte[] serverHost(long server);
    static native int serverPort(long server);
    static native void serverClose(long server);
    static native boolean serverClosed(long server);
    static native void serverFree(long server);

    static native void wsStore(long ws, byte[] var, long descriptor, byte[] value);
    /** out: {descriptor, Values.NOTHING/BYTES/DECODED}; raw keeps a portable value's bytes. */
    static native Object wsRetrieve(long ws, int how, byte[] var, boolean hasTimeout, double timeoutSeconds,
                                    boolean raw, long[] out);
    static native void wsDeclare(long ws, byte[] var, byte[] mode);
    static native void wsDeleteVar(long ws, byte[] var);
    static native Object wsListVars(long ws);
    static native long wsIterator(long ws, byte[] var, boolean consuming);
    static native void wsClose(long ws);
    static native void wsFree(long ws);

    static native Object iterNext(long it, byte[] ws, boolean block, boolean hasTimeout, double timeoutSeconds,
                                  long[] out);
    static native void iterFree(long it);

    // Leased fetch (jni_lease.cpp).  wsLease returns a handle, or 0 when a
    // non-blocking lease finds no value; Lease frees it (leaseFree releases
    // an unsettled lease).
    static native long wsLease(long ws, byte[] var, long durationMillis, boolean block, boolean hasTimeout,
                               double timeoutSeconds);
    /** out: {descriptor, Values.BYTES/DECODED}, as wsRetrieve. */
    static native Object leaseValue(long lease, byte[] ws, long[] out);
    static native long leaseId(long lease);
    static native boolean leaseSettled(long lease);
    static native void leaseAck(long lease);
    static native void leaseRelease(long lease);
    static native void leaseRenew(long lease, long durationMillis);
    static native void leaseAckStore(long lease, byte[] var, long descriptor, byte[] value);
    static native void leaseAckStorePortable(long lease, byte[] var, long w);
    static native void leaseFree(long lease);
    /** The core's nws::Lease::kDefaultDuration. */
    static native long leaseDefaultMillis();

    // The portable Writer (jni_portable_writer.cpp), driven by PortableWriter
    // in the Writer's order; wsStorePortable finishes and stores its value.
    static native long pwNew();
    static native void pwFree(long w);
    static native void pwNull(long w);
    static native void pwBoolean(long w, boolean v);
    static native void pwInteger(long w, long v);
    static native void pwReal(long w, double v);
    static native void pwTimestamp(long w, long nanoseconds);
    static native void pwString(long w, byte[] utf8);
    static native void pwBytes(long w, byte[] data);
    static native void pwKey(long w, byte[] utf8);
    static native void pwList(long w, int n);
    static native void pwMap(long w, int n);
    static native void pwStringVector(long w, int n);
    static native void pwTable(long w, int columns, int rows);
    static native void pwDoubles(long w, double[] data, byte[] missing);
    static native void pwLongs(long w, long[] data, boolean timestamps, byte[] missing);
    static native void pwInts(long w, int[] data, byte[] missing);
    static native void pwBooleans(long w, boolean[] data, byte[] missing);
    static native void wsStorePortable(long ws, byte[] var, long w);
    /** The finished value's portable bytes. */
    static native byte[] pwFinish(long w);
    /** The Java value of portable bytes (decoded as a retrieve decodes them). */
    static native Object portableDecode(byte[] bytes);

    static native long localStart(byte[] bind, boolean hasPort, int port);
    static native byte[] localHost(long server);
    static native byte[] localConnectHost(long server);
    static native int localPort(long server);
    static native boolean localRunning(long server);
    static native void localStop(long server);
    static native void localFree(long server);
}
