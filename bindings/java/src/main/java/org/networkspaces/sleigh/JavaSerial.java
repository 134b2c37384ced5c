package org.networkspaces.sleigh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

import org.networkspaces.NwsSerialisationException;

/**
 * Java serialisation of a sleigh's lambdas, arguments and results: the
 * bytes a Java master and its Java workers exchange inside the core's
 * portable envelopes.  Classes resolve through the given loader first (a
 * worker's, with its Load jars; a master's context loader), so that the
 * program's classes are found wherever they were loaded from.
 */
final class JavaSerial {
    private JavaSerial() {}

    static byte[] write(Object value, String what) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new NwsSerialisationException("cannot send " + what + " to the workers: " + e.getMessage()
                    + " is not Serializable (a lambda must be typed as a Serializable* interface of"
                    + " org.networkspaces.sleigh, and what it captures must be serialisable)", -1, null);
        } catch (IOException e) {
            throw new NwsSerialisationException("cannot serialise " + what + ": " + e, -1, null);
        }
        return buf.toByteArray();
    }

    static Object read(byte[] bytes, ClassLoader loader, String what) {
        try (ObjectInputStream in = new LoaderStream(bytes, loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new NwsSerialisationException("cannot deserialise " + what + ": " + e, -1, null);
        }
    }

    private static final class LoaderStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderStream(byte[] bytes, ClassLoader loader) throws IOException {
            super(new ByteArrayInputStream(bytes));
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // primitives and the like: the default rule below
                }
            }
            return super.resolveClass(desc);
        }
    }
}
