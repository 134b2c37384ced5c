package org.networkspaces.sleigh;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A function a sleigh's Java workers run, one element at a time: a lambda
 * or method reference typed as this is serialisable, so it travels to the
 * workers (with the values it captures, which must be serialisable too).
 * Its class, the class that wrote the lambda, must be on the workers'
 * class path: a sleigh's own Java workers get the master's.
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
