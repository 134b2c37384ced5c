package org.networkspaces.sleigh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.networkspaces.NwsSerialisationException;

/**
 * The bytes of a Java lambda's arguments and results between a Java master
 * and its Java workers.  Java serialisation costs microseconds and a class
 * descriptor per value, which would dominate small tasks; so the common
 * values (null, Long, Integer, Double, Boolean, String) travel as a tag and
 * their bits, and anything else as a tag and its Java serialisation.
 *
 * <pre>
 * arguments: u8 count, then count values
 * value:     'N' | 'L' i64 | 'I' i32 | 'D' f64 | 'Z' u8 | 'S' u32 n, UTF-8 | 'J' u32 n, Java serialisation
 * </pre>
 * (big-endian, as ByteBuffer writes by default).
 */
final class TaskBytes {
    private TaskBytes() {}

    static byte[] args(Object[] args) {
        if (args.length > 255) throw new IllegalArgumentException("a task takes at most 255 arguments");
        byte[][] parts = new byte[args.length][];
        int size = 1;
        for (int i = 0; i < args.length; i++) size += (parts[i] = value(args[i], "a task's argument")).length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) args.length);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static Object[] readArgs(byte[] bytes, ClassLoader loader) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Object[] out = new Object[b.get() & 0xff];
        for (int i = 0; i < out.length; i++) out[i] = read(b, loader, "a task's argument");
        if (b.hasRemaining()) throw malformed("a task's arguments");
        return out;
    }

    static byte[] value(Object v, String what) {
        if (v == null) return new byte[] {'N'};
        if (v instanceof Long l) return ByteBuffer.allocate(9).put((byte) 'L').putLong(l).array();
        if (v instanceof Integer i) return ByteBuffer.allocate(5).put((byte) 'I').putInt(i).array();
        if (v instanceof Double d) return ByteBuffer.allocate(9).put((byte) 'D').putDouble(d).array();
        if (v instanceof Boolean z) return new byte[] {'Z', (byte) (z ? 1 : 0)};
        if (v instanceof String s) return tagged('S', s.getBytes(StandardCharsets.UTF_8));
        return tagged('J', JavaSerial.write(v, what));
    }

    static Object readValue(byte[] bytes, ClassLoader loader, String what) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Object v = read(b, loader, what);
        if (b.hasRemaining()) throw malformed(what);
        return v;
    }

    private static byte[] tagged(char tag, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) tag).putInt(payload.length).put(payload).array();
    }

    private static Object read(ByteBuffer b, ClassLoader loader, String what) {
        try {
            return switch (b.get()) {
                case 'N' -> null;
                case 'L' -> b.getLong();
                case 'I' -> b.getInt();
                case 'D' -> b.getDouble();
                case 'Z' -> b.get() != 0;
                case 'S' -> new String(payload(b), StandardCharsets.UTF_8);
                case 'J' -> JavaSerial.read(payload(b), loader, what);
                default -> throw malformed(what);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw malformed(what);
        }
    }

    private static byte[] payload(ByteBuffer b) {
        byte[] p = new byte[b.getInt()];
        b.get(p);
        return p;
    }

    private static NwsSerialisationException malformed(String what) {
        return new NwsSerialisationException("cannot read " + what + ": the bytes are not a Java sleigh's", -1, null);
    }
}
