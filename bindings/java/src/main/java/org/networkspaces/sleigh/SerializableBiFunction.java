package org.networkspaces.sleigh;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A two-argument function for Java workers (see {@link SerializableFunction}):
 * {@link Sleigh#eachElem(SerializableBiFunction, java.util.Collection, Object)}
 * calls it with each element and one fixed argument.
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {}
