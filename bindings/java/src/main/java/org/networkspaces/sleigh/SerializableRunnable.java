package org.networkspaces.sleigh;

import java.io.Serializable;

/**
 * A task without a result for Java workers (see {@link SerializableFunction}),
 * for {@link Sleigh#submit(SerializableRunnable)}.  It may throw: the
 * exception fails the task's future.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    void run() throws Exception;
}
