package org.networkspaces.sleigh;

import java.io.Serializable;

/**
 * What a Java master's lambda becomes on the way to its workers: the
 * function of a job (Java-serialised inside the core's function spec),
 * called on a worker with each element's arguments (a Java-serialised
 * {@code Object[]}).  The implementations live in this jar, which every
 * Java worker has, and wrap the user's serialisable lambda.
 */
interface Task extends Serializable {
    Object run(Object[] args) throws Exception;

    /** eachElem: the function of one element. */
    record Apply(SerializableFunction<Object, Object> function) implements Task {
        @Override
        public Object run(Object[] args) { return function.apply(args[0]); }
    }

    /** eachElem with a fixed second argument. */
    record ApplyWith(SerializableBiFunction<Object, Object, Object> function) implements Task {
        @Override
        public Object run(Object[] args) { return function.apply(args[0], args[1]); }
    }

    /** eachWorker: the same call on every worker. */
    record Call(SerializableCallable<Object> callable) implements Task {
        @Override
        public Object run(Object[] args) throws Exception { return callable.call(); }
    }

    /**
     * The executor's one function: each element carries its own task (a
     * callable), so every submitted task shares one job and one function.
     */
    record Submitted() implements Task {
        @Override
        public Object run(Object[] args) throws Exception {
            return ((SerializableCallable<?>) args[0]).call();
        }
    }
}
