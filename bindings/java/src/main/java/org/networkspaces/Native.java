package org.networkspaces;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JNI entry points (native/*.cpp) and the callbacks the library makes.
 *
 * <p>Handles are pointers to C++ objects.  They are freed by {@link #CLEANER}
 * once the Java object holding them is unreachable, never by {@code close()}:
 * a call running in another thread may still be using them, and after
 * {@code close()} the C++ client raises "closed" rather than crashing.
 * Strings travel as UTF-8 {@code byte[]} (see jni_util.hpp).
 */
final class Native {
    static final Cleaner CLEANER = Cleaner.create();

    static {
        NativeLoader.load();
    }

    private Native() {}

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
    static String str(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

    // ---- called from C++ ----

    /** The exception for an nws::Error (code = nws::Errc's ordinal). */
    static Throwable error(int code, byte[] message, int status, byte[] reason) {
        Errc errc = code >= 0 && code < Errc.values().length ? Errc.values()[code] : Errc.OPERATION_FAILED;
        String r = str(reason);
        return NwsException.of(errc, str(message), status, r == null || r.isEmpty() ? null : r);
    }

    /** The cancel check of blocking calls, polled every slice on the calling thread. */
    static boolean interrupted() { return Thread.currentThread().isInterrupted(); }

    static Object varInfo(byte[] name, long values, long fetchers, long finders, byte[] mode) {
        return new VarInfo(str(name), values, fetchers, finders, str(mode));
    }

    static Object wsInfo(boolean mine, byte[] name, byte[] owner, boolean persistent, long variables, byte[][] names) {
        List<String> vars = new ArrayList<>(names.length);
        for (byte[] n : names) vars.add(str(n));
        return new WsInfo(mine, str(name), str(owner), persistent, variables, List.copyOf(vars));
    }

    // ---- implemented in C++ ----

    static native byte[] languageName(int id);

    static native long serverConnect(byte[] host, int port, long connectTimeoutMs);
    static native long serverOpenWs(long server, byte[] name, boolean persistent, boolean create, boolean use);
    static native byte[] serverMktempWs(long server, byte[] template);
    static native void serverDeleteWs(long server, byte[] name);
    static native Object[] serverListWss(long server, byte[] name);
    static native int serverPort(long server);
    static native void serverClose(long server);
    static native void serverFree(long server);

    static native void wsStore(long ws, byte[] var, long descriptor, byte[] value);
    static native byte[] wsRetrieve(long ws, int how, byte[] var, long timeoutNanos, long[] descriptorOut);
    static native void wsDeclare(long ws, byte[] var, byte[] mode);
    static native void wsDeleteVar(long ws, byte[] var);
    static native Object[] wsListVars(long ws);
    static native long wsIterator(long ws, byte[] var, boolean consuming);
    static native void wsClose(long ws);
    static native void wsFree(long ws);

    static native byte[] iterNext(long it, boolean block, long timeoutNanos, long[] descriptorOut);
    static native void iterFree(long it);
}
