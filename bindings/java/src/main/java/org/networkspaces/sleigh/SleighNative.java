package org.networkspaces.sleigh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.networkspaces.NativeLoader;

/**
 * The sleigh's JNI entry points (native/jni_sleigh_*.cpp): the core's master,
 * portable jobs and worker.  Texts cross as UTF-8 {@code byte[]}, as in
 * {@code org.networkspaces.Native}; handles are pointers to C++ objects,
 * freed from a Cleaner once nothing in Java refers to them.  Errors arrive
 * as the binding's {@code NwsException} subclasses.
 */
final class SleighNative {
    static {
        NativeLoader.load();
    }

    private SleighNative() {}

    static byte[] utf8(String s) { return s == null ? null : s.getBytes(StandardCharsets.UTF_8); }
    static String str(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

    static byte[][] utf8(List<String> items) {
        byte[][] out = new byte[items.size()][];
        for (int i = 0; i < out.length; i++) out[i] = utf8(items.get(i));
        return out;
    }

    static List<String> strings(byte[][] items) {
        List<String> out = new ArrayList<>(items.length);
        for (byte[] b : items) out.add(str(b));
        return out;
    }

    // masterStart's texts and numbers, in jni_sleigh_master.cpp's order.
    static final int T_KIND = 0, T_WS_TEMPLATE = 1, T_USER_WS_TEMPLATE = 2, T_WORKING_DIR = 3, T_LOG_DIR = 4,
            T_MODULE_PATH = 5, T_LANGUAGE = 6, T_LOAD = 7, T_REMOTE_HOST = 8, T_MANUAL_COMMAND = 9, TEXTS = 10;
    static final int N_WORKER_COUNT = 0, N_INBOX_DEPTH = 1, N_REMOTE_PORT = 2, NUMBERS = 3;

    // ---- the master ----
    static native byte[][] chooseServer(Object connectOptions, byte[] kind);
    static native long masterStart(Object connectOptions, byte[] host, int port, byte[][] texts, int[] numbers,
                                   double stopWait, byte[][] nodeList, byte[][][] prefixes, byte[][] workerProgram,
                                   byte[][] slurmArgs, byte[][] extraEnv);
    static native void masterStop(long master);
    static native void masterFree(long master);
    static native boolean masterStopped(long master);
    /** {ws name, user ws name, host workers connect to, manual command}. */
    static native byte[][] masterNames(long master);
    static native int masterPort(long master);
    static native int masterLaunched(long master);
    static native int masterWorkersAlive(long master);
    /** {workers, closed (1/0)}. */
    static native int[] masterStatus(long master, boolean closeGroup, double timeoutSeconds);
    static native byte[][] masterWorkerInfo(long master);

    // ---- the core's rules ----
    static native byte[] languageId(byte[] name);
    static native byte[] namedFunction(byte[] language, byte[] name);
    static native byte[] serializedFunction(byte[] bytes);
    static native byte[] nameForm(byte[] language);
    static native byte[][] defaultWorkerProgram(byte[] language);
    static native byte[] envPrefix(byte[] language);
    static native byte[][] sshPrefix(byte[] node, byte[] user);
    static native byte[][] sshForwardPrefix(byte[] node, byte[] user, int remotePort, byte[] nwsHost, int nwsPort,
                                            byte[] remoteHost);

    // ---- portable jobs (out: {index, ok, rank}) ----
    static native long mapNew(long master, byte[] spec, long total, long chunkSize, double loadFactor,
                              boolean arrival);
    static native long mapEachWorker(long master, byte[] spec, byte[] args, boolean hasTimeout, double seconds);
    static native void mapAdd(long job, byte[] args);
    static native void mapClose(long job);
    static native byte[] mapNext(long job, boolean hasTimeout, double seconds, long[] out);
    /** The outcomes that have arrived; out[0] gets their long[] {index, ok, rank, ...}. */
    static native byte[][] mapDrain(long job, Object[] out);
    /** Whether another chunk may start under the load factor (in flight and arrived-not-taken chunks count). */
    static native boolean mapHasRoom(long job);
    static native void mapFree(long job);

    static native long jobNew(long master, byte[] spec);
    static native void jobAdd(long job, long index, byte[] args);
    static native void jobClose(long job);
    static native byte[] jobNext(long job, long[] out);
    static native void jobFree(long job);

    // ---- the worker ----
    static native long workerStart(byte[] description);
    /** {rank, worker count}. */
    static native int[] workerRank(long worker);
    /** {Load, ModulePath, user workspace, host, port}. */
    static native byte[][] workerSettings(long worker);
    /** The next call's arguments (meta: index, barrier; id[0]: the function's id), null at the end. */
    static native byte[] workerNext(long worker, long[] meta, byte[][] id);
    /** The current call's function: {name, null} or {null, serialised bytes}. */
    static native byte[][] workerFunction(long worker);
    static native void workerReply(long worker, byte[] value);
    static native void workerReplyError(long worker, byte[] message);
}
