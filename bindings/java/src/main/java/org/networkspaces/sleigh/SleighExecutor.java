package org.networkspaces.sleigh;

import java.io.Serializable;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.networkspaces.NwsException;

/**
 * A sleigh as an ExecutorService ({@link Sleigh#executor()}): every task
 * runs on one of the sleigh's Java workers.  Tasks must be serialisable
 * (a {@link SerializableCallable} or {@link SerializableRunnable} lambda,
 * or a Serializable class on the workers' class path); any other is
 * refused with {@link RejectedExecutionException}.
 *
 * <p>All of one executor's tasks form one long job of one-element chunks,
 * each element carrying its task, so a thousand submissions store one
 * function; a thread of its own ("nws-sleigh-executor-N") takes the results
 * as they arrive and completes the futures.  The futures are
 * CompletableFutures; a task's exception completes its future with a
 * {@link SleighTaskException} (which {@code get()} wraps in an
 * ExecutionException).
 *
 * <p>Shutting down is honest about what a sleigh can do: {@link #shutdown()}
 * accepts no more tasks and lets the submitted ones finish;
 * {@link #shutdownNow()} also cancels the futures of the tasks without a
 * result (the workers may still run them, as nothing withdraws a task a
 * worker holds) and returns an empty list, as every task was handed to the
 * sleigh when submitted.  Closing the sleigh shuts its executors down; tasks
 * still open then fail with "stopped".
 */
final class SleighExecutor implements ExecutorService {
    private static int threads;

    private final Sleigh sleigh;
    private final long handle;
    private final Map<Long, CompletableFuture<Object>> open = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private long nextIndex;
    private boolean shut;
    private Thread pump;

    SleighExecutor(Sleigh sleigh, byte[] spec) {
        this.sleigh = sleigh;
        long h = SleighNative.jobNew(sleigh.live(), spec);
        this.handle = h;
        Sleigh.CLEANER.register(this, () -> SleighNative.jobFree(h));
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submitTask(Object task) {
        if (!(task instanceof Serializable))
            throw new RejectedExecutionException("a sleigh's task must be Serializable (a SerializableCallable or"
                    + " SerializableRunnable lambda, or a Serializable class on the workers' class path), not a "
                    + task.getClass().getName());
        SerializableCallable<Object> callable = task instanceof SerializableCallable<?> c
                ? (SerializableCallable<Object>) c
                : asCallable(task);
        byte[] bytes = TaskBytes.args(new Object[] {callable});
        CompletableFuture<Object> f = new CompletableFuture<>();
        synchronized (lock) {
            if (shut) throw new RejectedExecutionException("the sleigh's executor is shut down");
            long index = nextIndex++;
            open.put(index, f);
            try {
                SleighNative.jobAdd(handle, index, bytes);
            } catch (NwsException e) {
                open.remove(index);
                throw new RejectedExecutionException("the sleigh cannot take the task: " + e.getMessage(), e);
            } finally {
                Reference.reachabilityFence(this);
            }
            if (pump == null) startPump();
        }
        return (CompletableFuture<T>) f;
    }

    /** Runnables and plain Callables that are Serializable, as the one callable type workers run. */
    @SuppressWarnings("unchecked")
    private static SerializableCallable<Object> asCallable(Object task) {
        if (task instanceof SerializableRunnable r) return () -> { r.run(); return null; };
        if (task instanceof Callable<?> c) {
            Callable<Object> cc = (Callable<Object>) c;
            return (SerializableCallable<Object>) (Serializable & SerializableCallable<Object>) cc::call;
        }
        Runnable r = (Runnable) task;
        return () -> { r.run(); return null; };
    }

    private void startPump() {
        synchronized (SleighExecutor.class) {
            pump = new Thread(this::pumpResults, "nws-sleigh-executor-" + (++threads));
        }
        pump.setDaemon(true);
        pump.start();
    }

    /** Takes the results as they arrive until the job is closed and every one was taken. */
    private void pumpResults() {
        long[] out = new long[3];
        try {
            for (byte[] b; (b = SleighNative.jobNext(handle, out)) != null; ) {
                CompletableFuture<Object> f = open.remove(out[0]);
                if (f == null) continue;  // cancelled by shutdownNow
                Outcome o = new Outcome(out[0], out[1] != 0, b, (int) out[2]);
                if (!o.ok()) {
                    f.completeExceptionally(o.error());
                    continue;
                }
                try {
                    f.complete(sleigh.javaCodec().value(b));
                } catch (RuntimeException e) {
                    f.completeExceptionally(new SleighTaskException(o.index(), o.rank(),
                            "the result cannot be read here: " + e.getMessage()));
                }
            }
        } catch (RuntimeException e) {
            for (CompletableFuture<Object> f : open.values()) f.completeExceptionally(e);
            open.clear();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    // ---- ExecutorService ----

    @Override
    public void execute(Runnable command) { submitTask(command); }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) { return submitTask(task); }

    @Override
    public CompletableFuture<?> submit(Runnable task) { return submitTask(task); }

    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        CompletableFuture<Object> f = submitTask(task);
        return f.thenApply(ignored -> result);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> out = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) out.add(submitTask(t));
        for (Future<T> f : out) awaitQuietly(f);
        return out;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> out = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) out.add(submitTask(t));
        for (Future<T> f : out) {
            long left = end - System.nanoTime();
            try {
                if (left <= 0) throw new TimeoutException();
                f.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException e) {
                // its future says so
            } catch (TimeoutException e) {
                for (Future<T> g : out) if (!g.isDone()) g.cancel(false);
                break;
            }
        }
        return out;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("unreachable: no time limit", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("invokeAny of no tasks");
        List<CompletableFuture<T>> fs = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) fs.add(submitTask(t));
        // The first success, else (all failed) the last failure.
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (CompletableFuture<T> f : fs) {
            f.whenComplete((v, e) -> {
                if (e == null) first.complete(v);
                else if (failed.incrementAndGet() == fs.size()) first.completeExceptionally(e);
            });
        }
        try {
            return unit.toNanos(timeout) == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            for (CompletableFuture<T> f : fs) if (!f.isDone()) f.cancel(false);
        }
    }

    private static void awaitQuietly(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException | CancellationException e) {
            // its future says so
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            if (shut) return;
            shut = true;
            try {
                SleighNative.jobClose(handle);  // the pump ends once every result is in
            } finally {
                Reference.reachabilityFence(this);
            }
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (Long index : List.copyOf(open.keySet())) {
            CompletableFuture<Object> f = open.remove(index);
            if (f != null) f.cancel(false);
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shut;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shut && (pump == null || !pump.isAlive());
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Thread p;
        synchronized (lock) {
            if (!shut) return false;  // as ExecutorService: termination follows a shutdown
            p = pump;
        }
        if (p == null) return true;
        long millis = unit.toMillis(timeout);
        p.join(Math.max(millis, 1));
        return !p.isAlive();
    }
}
