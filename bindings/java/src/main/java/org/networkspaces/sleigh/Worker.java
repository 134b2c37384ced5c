package org.networkspaces.sleigh;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.networkspaces.NativeLoader;
import org.networkspaces.Portable;

/**
 * A sleigh's Java worker: {@code java -cp <nws.jar and the task classes>
 * org.networkspaces.sleigh.Worker}, started by a sleigh with the
 * {@code JavaSleigh*} environment (SLEIGH.md §3.1).  The core joins the
 * sleigh and keeps the sentinel; this loop runs one call at a time:
 *
 * <ul>
 * <li>a named function {@code package.Class#method} (from a master of any
 *     language): resolved once through the worker's class loader, called
 *     with the portable arguments converted to its parameters, its value
 *     returned in the portable encoding;
 * <li>a Java master's lambda: deserialised once per function, called with
 *     the Java-serialised arguments, its value Java-serialised.
 * </ul>
 *
 * <p>An exception goes back as its class, message and first stack frames.
 * The worker's class path is its JVM's plus the jars and class directories
 * of {@code JavaSleighModulePath} and {@code JavaSleighLoad}; a Load entry
 * that is neither names a class to initialise before the first task.
 * Task code can ask {@link #rank()} and {@link #workerCount()}.
 */
public final class Worker {
    private static final int TRACE_FRAMES = 12;

    private static volatile int rank = -1;
    private static volatile int workerCount = -1;
    private static volatile String userWorkspace;

    private Worker() {}

    /** This worker's rank in its sleigh (0-based), or -1 outside a worker. */
    public static int rank() { return rank; }

    /** The number of workers in this worker's sleigh, or -1 outside a worker. */
    public static int workerCount() { return workerCount; }

    /** The sleigh's user workspace (for task code to share values through), or null outside a worker. */
    public static String userWorkspace() { return userWorkspace; }

    public static void main(String[] args) {
        long h;
        try {
            NativeLoader.load();
            // The sleigh's stop kills this process: no shutdown hook would remove the copy.
            NativeLoader.deleteExtractedCopy();
            h = SleighNative.workerStart(SleighNative.utf8("Java " + Runtime.version()));
        } catch (RuntimeException e) {
            System.err.println("sleigh worker: " + e.getMessage());
            System.exit(1);
            return;
        }
        int[] r = SleighNative.workerRank(h);
        rank = r[0];
        workerCount = r[1];
        List<String> settings = SleighNative.strings(SleighNative.workerSettings(h));
        userWorkspace = settings.get(2);
        new Loop(h, settings.get(0), settings.get(1)).run();
        System.exit(0);
    }

    /** The calls, one at a time, with the functions resolved once each. */
    private static final class Loop {
        private final long handle;
        private final ClassLoader loader;
        private final String loadError;
        private final Map<String, Object> functions = new HashMap<>();

        Loop(long handle, String load, String modulePath) {
            this.handle = handle;
            List<URL> urls = new ArrayList<>();
            List<String> classes = new ArrayList<>();
            String error = null;
            for (String p : split(modulePath, File.pathSeparator)) error = addPath(urls, p, error);
            for (String item : split(load, ":")) {
                if (item.endsWith(".jar") || new File(item).isDirectory()) error = addPath(urls, item, error);
                else classes.add(item);
            }
            ClassLoader parent = Worker.class.getClassLoader();
            loader = urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(new URL[0]), parent);
            Thread.currentThread().setContextClassLoader(loader);
            for (String c : classes) {
                try {
                    Class.forName(c, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    if (error == null) error = "loading " + c + " (JavaSleighLoad): " + describe(e);
                }
            }
            // A Load that failed fails every task with its reason, rather than the worker
            // vanishing: the master then sees why on every element.
            loadError = error;
        }

        private static String addPath(List<URL> urls, String path, String error) {
            File f = new File(path);
            if (!f.exists()) return error != null ? error : "loading " + path + ": no such file or directory";
            try {
                urls.add(f.toURI().toURL());
            } catch (MalformedURLException e) {
                return error != null ? error : "loading " + path + ": " + e.getMessage();
            }
            return error;
        }

        private static List<String> split(String s, String sep) {
            List<String> out = new ArrayList<>();
            if (s == null || s.isEmpty()) return out;
            for (String part : s.split(java.util.regex.Pattern.quote(sep))) if (!part.isEmpty()) out.add(part);
            return out;
        }

        void run() {
            long[] meta = new long[2];
            byte[][] id = new byte[1][];
            byte[] lastId = null;
            Object last = null;
            for (byte[] args; (args = SleighNative.workerNext(handle, meta, id)) != null; ) {
                byte[] value;
                try {
                    if (loadError != null) throw new IllegalStateException(loadError);
                    // Consecutive calls mostly share their function: skip the map then.
                    if (lastId == null || !Arrays.equals(lastId, id[0])) {
                        last = function(new String(id[0], StandardCharsets.ISO_8859_1));
                        lastId = id[0];
                    }
                    value = call(last, args);
                } catch (Throwable t) {
                    if (t instanceof VirtualMachineError v && !(t instanceof StackOverflowError)) throw v;
                    SleighNative.workerReplyError(handle, SleighNative.utf8(describe(t)));
                    continue;
                }
                SleighNative.workerReply(handle, value);
            }
        }

        /** The function of {@code functionId}, resolved or deserialised on its first call. */
        private Object function(String functionId) throws Exception {
            Object f = functions.get(functionId);
            if (f == null) {
                byte[][] spec = SleighNative.workerFunction(handle);
                f = spec[0] != null ? NamedFunction.resolve(SleighNative.str(spec[0]), loader)
                                    : JavaSerial.read(spec[1], loader, "the task's function");
                if (!(f instanceof NamedFunction) && !(f instanceof Task))
                    throw new IllegalArgumentException("the task's function is a " + f.getClass().getName()
                            + ", not a sleigh task");
                functions.put(functionId, f);
            }
            return f;
        }

        private byte[] call(Object f, byte[] args) throws Exception {
            if (f instanceof NamedFunction named) {
                Object decoded = Portable.decode(args);
                if (!(decoded instanceof List<?> list))
                    throw new IllegalArgumentException("a named function's arguments are a list, not " + decoded);
                return Portable.encode(named.call(list));
            }
            Object[] a = TaskBytes.readArgs(args, loader);
            return TaskBytes.value(((Task) f).run(a), "the task's result");
        }
    }

    /** "Class: message" and the first frames, with the causes: what the master shows. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c != t) s.append("\nCaused by: ");
            s.append(c);
            StackTraceElement[] frames = c.getStackTrace();
            int shown = 0;
            for (StackTraceElement f : frames) {
                // The worker's own frames below the task say nothing about it.
                if (f.getClassName().startsWith("org.networkspaces.sleigh.Worker")
                        || f.getClassName().startsWith("jdk.internal.reflect.")
                        || f.getClassName().startsWith("java.lang.reflect.Method")) break;
                if (shown++ == TRACE_FRAMES) {
                    s.append("\n\t...");
                    break;
                }
                s.append("\n\tat ").append(f);
            }
        }
        return s.toString();
    }
}
