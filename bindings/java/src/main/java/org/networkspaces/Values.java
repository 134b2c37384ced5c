package org.networkspaces;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Java values as NWS values: a descriptor (docs/PROTOCOL.md §8) and bytes.
 * {@code String}: a direct string (UTF-8); {@code byte[]}: a direct binary
 * string; any other {@link Serializable}: Java serialisation, Java's
 * language id.  Direct strings from any language read back as String or
 * byte[]; a serialised value written by another language cannot be read and
 * raises {@link NwsSerialisationException} with the core's message, which
 * names that language.  The bits and ids are the generated {@link Tables}.
 * Portable values are another path: {@link PortableWriter} writes them and
 * the native retrieve decodes them ({@link PortableReader}).
 */
final class Values {
    static final long JAVA_OBJECT = (long) Tables.LANGUAGE_JAVA << Tables.LANGUAGE_SHIFT;
    static final long JAVA_STRING = JAVA_OBJECT | Tables.DIRECT_STRING;
    static final long JAVA_BYTES = JAVA_OBJECT | Tables.DIRECT_STRING | Tables.BINARY;

    private Values() {}

    record Encoded(long descriptor, byte[] bytes) {}

    static Encoded encode(Object value) {
        if (value == null) throw new NwsInvalidArgumentException("cannot store null", -1, null);
        if (value instanceof String s) return new Encoded(JAVA_STRING, s.getBytes(StandardCharsets.UTF_8));
        if (value instanceof byte[] b) return new Encoded(JAVA_BYTES, b);
        if (!(value instanceof Serializable)) {
            throw new NwsSerialisationException("cannot store a " + value.getClass().getName()
                    + ": only String, byte[] and Serializable values can be stored", -1, null);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new NwsSerialisationException("cannot serialise a " + value.getClass().getName() + ": "
                    + e.getMessage() + " is not Serializable", -1, null);
        } catch (IOException e) {
            throw new NwsSerialisationException("cannot serialise a " + value.getClass().getName() + ": " + e, -1, null);
        }
        return new Encoded(JAVA_OBJECT, buf.toByteArray());
    }

    /** What a retrieve returned (Native.wsRetrieve's out[1]; fetched_to_java in jni_util.cpp). */
    static final int NOTHING = 0, BYTES = 1, DECODED = 2;

    /**
     * The value of a retrieve: {@code out} is its {descriptor, NOTHING/BYTES/DECODED}.
     * Nothing gives null; a portable value was decoded already (a null
     * value is null too); bytes are decoded here.
     */
    static Object retrieved(String ws, String var, long[] out, Object got, ClassLoader loader) {
        return switch ((int) out[1]) {
            case NOTHING -> null;
            case DECODED -> got;
            default -> decode(ws, var, out[0], (byte[]) got, loader);
        };
    }

    /** {@code loader}, when given, is tried first for the classes of a Java-serialised value. */
    static Object decode(String ws, String var, long descriptor, byte[] bytes, ClassLoader loader) {
        if ((descriptor & Tables.DIRECT_STRING) != 0) {
            return (descriptor & Tables.BINARY) != 0 ? bytes : new String(bytes, StandardCharsets.UTF_8);
        }
        int language = (int) ((descriptor >>> Tables.LANGUAGE_SHIFT) & Tables.LANGUAGE_MASK);
        if (language != Tables.LANGUAGE_JAVA) throw unreadable(ws, var, descriptor, null);
        try (ObjectInputStream in = new LoaderObjectInputStream(bytes, loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw unreadable(ws, var, descriptor, "cannot deserialise it: " + e);
        }
    }

    /**
     * Resolves classes through the loader of the type the program asked for
     * (a typed fetch), then the thread's context class loader, then the
     * default (the nearest loader on the stack: this jar's).  The program's
     * classes may live in a loader this jar's classes cannot see: an
     * application server's, or the source launcher's.
     */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader[] loaders;

        LoaderObjectInputStream(byte[] bytes, ClassLoader hint) throws IOException {
            super(new ByteArrayInputStream(bytes));
            loaders = new ClassLoader[] {hint, Thread.currentThread().getContextClassLoader()};
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            for (ClassLoader l : loaders) {
                if (l == null) continue;
                try {
                    return Class.forName(desc.getName(), false, l);
                } catch (ClassNotFoundException e) {
                    // not in this one: try the next
                }
            }
            return super.resolveClass(desc);
        }
    }

    private static NwsSerialisationException unreadable(String ws, String var, long descriptor, String why) {
        String message = Native.str(Native.unreadableValueMessage(Native.utf8(ws), Native.utf8(var), descriptor,
                Native.utf8(why)));
        return new NwsSerialisationException(message, -1, null);
    }

    /** A typed read; a portable null is a null of any type. */
    static <T> T as(String var, Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) return type.cast(value);
        throw new ClassCastException("the value of '" + var + "' is a " + value.getClass().getName()
                + ", not a " + type.getName());
    }
}
