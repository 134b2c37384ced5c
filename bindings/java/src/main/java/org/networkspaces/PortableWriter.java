package org.networkspaces;

import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Java values as portable values (docs/values.md's Java column): walks the
 * value and drives the core's Writer through {@link Native}, one call per
 * item and one per packed array (which crosses JNI with one copy).  The
 * Writer owns the format; this class only decides what each Java value is,
 * and refuses, naming the class and what to convert it to, what has no
 * portable type.
 */
final class PortableWriter {
    private static final long NANOS = 1_000_000_000L;

    private PortableWriter() {}

    /** Stores {@code value} in {@code var} as Java's portable value. */
    static void store(NetWorkSpace ws, String var, Object value) {
        long handle = ws.live();
        try {
            written(value, w -> Native.wsStorePortable(handle, Native.utf8(var), w));
        } finally {
            Reference.reachabilityFence(ws);
        }
    }

    /** The portable bytes of {@code value}. */
    static byte[] encode(Object value) {
        byte[][] out = new byte[1][];
        written(value, w -> out[0] = Native.pwFinish(w));
        return out[0];
    }

    /**
     * Writes {@code value} into a new Writer and hands that to {@code finish}
     * (which stores the finished bytes: a store, or a lease's ackStore);
     * nothing reaches {@code finish} if the value has no portable form.
     */
    static void written(Object value, LongConsumer finish) {
        long w = Native.pwNew();
        try {
            write(w, value);
            finish.accept(w);
        } catch (Unsupported u) {
            throw new NwsSerialisationException(u.getMessage(), -1, null);
        } finally {
            Native.pwFree(w);
        }
    }

    private static void write(long w, Object v) {
        if (v == null) Native.pwNull(w);
        else if (v instanceof Boolean b) Native.pwBoolean(w, b);
        else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)
            Native.pwInteger(w, ((Number) v).longValue());
        else if (v instanceof Double || v instanceof Float) Native.pwReal(w, ((Number) v).doubleValue());
        else if (v instanceof String s) Native.pwString(w, Native.utf8(s));
        else if (v instanceof byte[] b) Native.pwBytes(w, b);
        else if (v instanceof Instant t) Native.pwTimestamp(w, nanoseconds(t));
        else if (v instanceof List<?> l) list(w, l);
        else if (v instanceof Map<?, ?> m) map(w, m);
        else if (v instanceof Table t) table(w, t);
        else if (vector(w, v)) {
            // written: a packed array or a String[] (checked before Object[], which they are too)
        } else if (v instanceof Object[] a) list(w, Arrays.asList(a));
        else throw Unsupported.of(v);
    }

    private static void list(long w, List<?> items) {
        Native.pwList(w, items.size());
        int i = 0;
        for (Object item : items) {
            try {
                write(w, item);
            } catch (Unsupported u) {
                throw u.at("[" + i + "]");
            }
            i++;
        }
    }

    private static void map(long w, Map<?, ?> m) {
        Native.pwMap(w, m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) throw Unsupported.key(e.getKey());
            Native.pwKey(w, Native.utf8(key));
            try {
                write(w, e.getValue());
            } catch (Unsupported u) {
                throw u.at("[\"" + key + "\"]");
            }
        }
    }

    private static void table(long w, Table t) {
        Native.pwTable(w, t.columnCount(), t.rowCount());
        for (Map.Entry<String, Object> c : t.columns().entrySet()) {
            Native.pwKey(w, Native.utf8(c.getKey()));
            vector(w, c.getValue());  // Table holds only vector types
        }
    }

    /** Writes a packed array or a String[]; false if {@code v} is none. */
    private static boolean vector(long w, Object v) {
        if (v instanceof double[] a) Native.pwDoubles(w, a, null);
        else if (v instanceof long[] a) Native.pwLongs(w, a, false, null);
        else if (v instanceof int[] a) Native.pwInts(w, a, null);
        else if (v instanceof boolean[] a) Native.pwBooleans(w, a, null);
        else if (v instanceof String[] a) strings(w, a);
        else if (v instanceof Instant[] a) {
            long[] ns = new long[a.length];
            for (int i = 0; i < a.length; i++) ns[i] = a[i] == null ? 0 : nanoseconds(a[i]);
            Native.pwLongs(w, ns, true, missing(a));
        } else if (v instanceof Double[] a) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i] == null ? 0 : a[i];
            Native.pwDoubles(w, d, missing(a));
        } else if (v instanceof Long[] a) {
            long[] d = new long[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i] == null ? 0 : a[i];
            Native.pwLongs(w, d, false, missing(a));
        } else if (v instanceof Integer[] a) {
            int[] d = new int[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i] == null ? 0 : a[i];
            Native.pwInts(w, d, missing(a));
        } else if (v instanceof Boolean[] a) {
            boolean[] d = new boolean[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i] != null && a[i];
            Native.pwBooleans(w, d, missing(a));
        } else return false;
        return true;
    }

    /** A null element of a String[] is a missing string. */
    private static void strings(long w, String[] a) {
        Native.pwStringVector(w, a.length);
        for (String s : a) {
            if (s == null) Native.pwNull(w);
            else Native.pwString(w, Native.utf8(s));
        }
    }

    /** The bitmap of a boxed array's nulls (docs/values.md), or null when it has none. */
    private static byte[] missing(Object[] a) {
        byte[] bits = null;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != null) continue;
            if (bits == null) bits = new byte[(a.length + 7) / 8];
            bits[i >>> 3] |= (byte) (1 << (i & 7));
        }
        return bits;
    }

    private static long nanoseconds(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS), t.getNano());
        } catch (ArithmeticException e) {
            throw new Unsupported("the Instant " + t, "a time between 1677-09-21 and 2262-04-11: timestamps are"
                    + " nanoseconds since 1970 in 64 bits");
        }
    }

    /** What has no portable type, with where it is (unwinding adds the path) and what to convert it to. */
    private static final class Unsupported extends RuntimeException {
        private final String what;
        private final String advice;
        private String path = "";

        Unsupported(String what, String advice) {
            super(null, null, false, false);
            this.what = what;
            this.advice = advice;
        }

        static Unsupported of(Object v) {
            return new Unsupported("a " + v.getClass().getName(), advice(v));
        }

        static Unsupported key(Object key) {
            return new Unsupported("a Map with a " + (key == null ? "null" : key.getClass().getName()) + " key",
                    "a Map<String, ?>: portable maps have String keys");
        }

        Unsupported at(String step) {
            path = step + path;
            return this;
        }

        @Override
        public String getMessage() {
            return "cannot store " + what + " as a portable value" + (path.isEmpty() ? "" : " (at value" + path + ")")
                    + ": convert it to " + advice;
        }

        private static String advice(Object v) {
            if (v instanceof Collection<?>) return "a List";
            if (v instanceof Character || v instanceof Enum<?> || v instanceof char[]) return "a String";
            if (v instanceof BigInteger || v instanceof BigDecimal || v instanceof Number) return "a Long or a Double";
            if (v instanceof Date || v instanceof TemporalAccessor) return "an Instant";
            if (v instanceof Optional<?>) return "its value or null";
            if (v instanceof float[]) return "a double[]";
            if (v instanceof short[]) return "an int[]";
            return "one of null, Boolean, Long, Double, String, byte[], Instant, List, Map<String, ?>, double[],"
                    + " long[], int[], boolean[], String[], Instant[] (Double[], Long[], Integer[], Boolean[] with"
                    + " nulls for missing values) or Table";
        }
    }
}
