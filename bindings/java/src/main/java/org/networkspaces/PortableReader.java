package org.networkspaces;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * The Java values of portable values (docs/values.md's Java column), made
 * for the native decoder (jni_portable_reader.cpp), which walks the decoded
 * value and calls these.  Packed vectors arrive as primitive arrays already
 * filled; those with missing elements come here to be boxed, a missing
 * element becoming {@code null}.  Strings arrive as UTF-8 bytes (JNI's own
 * strings are modified UTF-8).
 */
final class PortableReader {
    private static final long NANOS = 1_000_000_000L;

    private PortableReader() {}

    static Object bool(boolean v) { return v; }
    static Object integer(long v) { return v; }
    static Object real(double v) { return v; }
    static Object string(byte[] utf8) { return new String(utf8, StandardCharsets.UTF_8); }

    static Object instant(long nanoseconds) {
        return Instant.ofEpochSecond(Math.floorDiv(nanoseconds, NANOS), Math.floorMod(nanoseconds, NANOS));
    }

    static Object list(Object[] items) { return new ArrayList<>(Arrays.asList(items)); }

    static Object map(byte[][] keys, Object[] values) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) m.put((String) string(keys[i]), values[i]);
        return m;
    }

    static Object table(byte[][] names, Object[] columns) {
        Table t = new Table();
        for (int i = 0; i < names.length; i++) t.put((String) string(names[i]), columns[i]);
        return t;
    }

    /** A vector of strings; a missing element is null. */
    static Object strings(byte[][] utf8) {
        String[] out = new String[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = utf8[i] == null ? null : (String) string(utf8[i]);
        return out;
    }

    /** Timestamps (always Instant[]: there is no primitive form); missing may be null. */
    static Object instants(long[] nanoseconds, byte[] missing) {
        Instant[] out = new Instant[nanoseconds.length];
        for (int i = 0; i < out.length; i++) out[i] = isMissing(missing, i) ? null : (Instant) instant(nanoseconds[i]);
        return out;
    }

    /** A primitive array with missing elements as its boxed array with nulls. */
    static Object boxed(Object primitive, byte[] missing) {
        if (primitive instanceof double[] a) {
            Double[] out = new Double[a.length];
            for (int i = 0; i < a.length; i++) out[i] = isMissing(missing, i) ? null : a[i];
            return out;
        }
        if (primitive instanceof long[] a) {
            Long[] out = new Long[a.length];
            for (int i = 0; i < a.length; i++) out[i] = isMissing(missing, i) ? null : a[i];
            return out;
        }
        if (primitive instanceof int[] a) {
            Integer[] out = new Integer[a.length];
            for (int i = 0; i < a.length; i++) out[i] = isMissing(missing, i) ? null : a[i];
            return out;
        }
        boolean[] a = (boolean[]) primitive;
        Boolean[] out = new Boolean[a.length];
        for (int i = 0; i < a.length; i++) out[i] = isMissing(missing, i) ? null : a[i];
        return out;
    }

    /** Bit i % 8 of byte i / 8 (docs/values.md's bitmap). */
    static boolean isMissing(byte[] bitmap, int i) {
        return bitmap != null && (bitmap[i >>> 3] & (1 << (i & 7))) != 0;
    }
}
