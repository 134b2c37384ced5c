package org.networkspaces;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Java values as NWS values: a descriptor (PROTOCOL.md §8) and bytes.
 * {@code String}: a direct string (UTF-8); {@code byte[]}: a direct binary
 * string; any other {@link Serializable}: Java serialisation, Java's
 * language id (7).  Direct strings from any language read back as String or
 * byte[]; a serialised value written by another language cannot be read and
 * raises {@link SerialisationException} naming that language.
 */
final class Values {
    static final int JAVA = 7;
    static final long DIRECT = 0x1;
    static final long BINARY = 0x2;
    static final long JAVA_OBJECT = (long) JAVA << 24;
    static final long JAVA_STRING = JAVA_OBJECT | DIRECT;
    static final long JAVA_BYTES = JAVA_OBJECT | DIRECT | BINARY;

    private Values() {}

    record Encoded(long descriptor, byte[] bytes) {}

    static Encoded encode(Object value) {
        if (value == null) throw new NwsInvalidArgumentException("cannot store null", -1, null);
        if (value instanceof String s) return new Encoded(JAVA_STRING, s.getBytes(StandardCharsets.UTF_8));
        if (value instanceof byte[] b) return new Encoded(JAVA_BYTES, b);
        if (!(value instanceof Serializable)) {
            throw new SerialisationException("cannot store a " + value.getClass().getName()
                    + ": only String, byte[] and Serializable values can be stored", -1, null);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerialisationException("cannot serialise a " + value.getClass().getName() + ": "
                    + e.getMessage() + " is not Serializable", -1, null);
        } catch (IOException e) {
            throw new SerialisationException("cannot serialise a " + value.getClass().getName() + ": " + e, -1, null);
        }
        return new Encoded(JAVA_OBJECT, buf.toByteArray());
    }

    static Object decode(String var, long descriptor, byte[] bytes) {
        if ((descriptor & DIRECT) != 0) {
            return (descriptor & BINARY) != 0 ? bytes : new String(bytes, StandardCharsets.UTF_8);
        }
        int language = (int) ((descriptor >>> 24) & 0xff);
        if (language != JAVA) {
            throw new SerialisationException("the value of '" + var + "' was serialised by "
                    + Native.str(Native.languageName(language)) + " (language id " + language
                    + "); Java can read only Java-serialised values and direct (text or binary) strings", -1, null);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new SerialisationException("cannot deserialise the value of '" + var + "': " + e, -1, null);
        }
    }

    static <T> T as(String var, Object value, Class<T> type) {
        if (type.isInstance(value)) return type.cast(value);
        throw new ClassCastException("the value of '" + var + "' is a " + value.getClass().getName()
                + ", not a " + type.getName());
    }
}
