package org.networkspaces.sleigh;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task for Java workers (see {@link SerializableFunction}): what
 * {@link Sleigh#submit(SerializableCallable)} and
 * {@link Sleigh#eachWorker(SerializableCallable)} run.
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {}
