package org.networkspaces.sleigh;

/**
 * One element's outcome: its value, or the failure of its task.
 *
 * @param index the element's position in its job (0-based)
 * @param rank the rank of the worker that ran it (-1: none did)
 * @param value the value (null when the task failed, or returned null)
 * @param error the failure, or null
 */
public record TaskResult<R>(long index, int rank, R value, SleighTaskException error) {
    public boolean isOk() { return error == null; }

    /** The value; throws the task's failure. */
    public R get() {
        if (error != null) throw error;
        return value;
    }
}
