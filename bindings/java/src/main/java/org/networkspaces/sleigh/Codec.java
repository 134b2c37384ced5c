package org.networkspaces.sleigh;

import java.util.Arrays;

import org.networkspaces.Portable;

/**
 * How a job's arguments and values become bytes: Java's own (TaskBytes) for
 * a Java master's lambdas on Java workers, the portable encoding for named
 * functions (which any language's workers can read and answer).
 */
interface Codec {
    byte[] args(Object[] args);

    Object value(byte[] bytes);

    /** Java's own (TaskBytes); values resolve their classes through {@code loader}. */
    static Codec java(ClassLoader loader) {
        return new Codec() {
            @Override
            public byte[] args(Object[] args) { return TaskBytes.args(args); }

            @Override
            public Object value(byte[] bytes) { return TaskBytes.readValue(bytes, loader, "a task's result"); }
        };
    }

    /** The portable encoding: each element's arguments as a list. */
    Codec PORTABLE = new Codec() {
        @Override
        public byte[] args(Object[] args) { return Portable.encode(Arrays.asList(args)); }

        @Override
        public Object value(byte[] bytes) { return Portable.decode(bytes); }
    };
}
