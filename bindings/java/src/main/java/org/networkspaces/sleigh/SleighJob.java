package org.networkspaces.sleigh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.networkspaces.NwsCancelledException;

/**
 * A non-blocking eachElem ({@link Sleigh#eachElemAsync}): the job runs while
 * the program goes on, and its results are there to take, wait for or
 * compose.
 *
 * <ul>
 * <li>{@link #remaining()}, {@link #isDone()}: how far it is;
 * <li>{@link #join()}: the values in element order, or the failure of the
 *     lowest index ({@link SleighTaskException}, the others suppressed);
 * <li>{@link #results()}: every element's {@link TaskResult}, failed or not;
 * <li>{@link #future()}: a CompletableFuture of the values, for composition;
 *     {@link #futures()}: one per element, each completed as soon as its
 *     result arrives (results are taken in arrival order).
 * </ul>
 *
 * <p>A thread of its own ("nws-sleigh-job-N") feeds the elements (waiting
 * for room under the load factor) and takes the results.  If the job itself
 * cannot go on (the sleigh was closed, the connection lost), every element
 * without a result fails with that exception.
 */
public final class SleighJob<R> {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final MapRun run;
    private final List<byte[]> args;
    private final Function<byte[], R> decode;
    private final Progress progress;
    private final List<CompletableFuture<R>> futures;
    private final List<TaskResult<R>> results;
    private final CompletableFuture<List<R>> all = new CompletableFuture<>();
    private final AtomicLong remaining;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile RuntimeException broken;

    SleighJob(MapRun run, List<byte[]> args, Function<byte[], R> decode, Progress progress) {
        this.run = run;
        this.args = args;
        this.decode = decode;
        this.progress = progress;
        int n = args.size();
        List<CompletableFuture<R>> f = new ArrayList<>(n);
        for (int i = 0; i < n; i++) f.add(new CompletableFuture<>());
        this.futures = Collections.unmodifiableList(f);
        this.results = new ArrayList<>(Collections.nCopies(n, null));
        this.remaining = new AtomicLong(n);
    }

    /** Runs the job on a thread of its own. */
    SleighJob<R> start() {
        Thread t = new Thread(this::drive, "nws-sleigh-job-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Runs the job on the calling thread; an exception that stops the job is thrown here. */
    SleighJob<R> runHere() {
        drive();
        if (broken != null) throw broken;
        return this;
    }

    private void drive() {
        try {
            for (byte[] a : args) {
                // Under a load factor: results are taken (and their futures completed) while there is no room.
                while (!run.hasRoom()) {
                    Outcome o = run.next();
                    if (o == null) break;  // nothing in flight after all
                    deliver(o);
                }
                run.add(a);
            }
            run.close();
            for (Outcome o; (o = run.next()) != null; ) {
                deliver(o);
                // The rest of its chunk (and whatever else arrived) in one call.
                run.drain().forEach(this::deliver);
            }
            progress.finish();
        } catch (RuntimeException | Error e) {
            RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            broken = r;
            finished.countDown();
            for (CompletableFuture<R> f : futures) f.completeExceptionally(r);
            all.completeExceptionally(r);
            return;
        }
        // Done before the futures complete, so that whoever a future wakes sees isDone().
        finished.countDown();
        settle();
    }

    private void deliver(Outcome o) {
        int i = (int) o.index();
        TaskResult<R> r;
        if (o.ok()) {
            TaskResult<R> decoded;
            try {
                decoded = new TaskResult<>(o.index(), o.rank(), decode.apply(o.bytes()), null);
            } catch (RuntimeException e) {
                decoded = new TaskResult<>(o.index(), o.rank(), null,
                        new SleighTaskException(o.index(), o.rank(), "the result cannot be read here: " + e.getMessage()));
            }
            r = decoded;
        } else {
            r = new TaskResult<>(o.index(), o.rank(), null, o.error());
        }
        synchronized (results) {
            results.set(i, r);
        }
        remaining.decrementAndGet();
        progress.step();
        if (r.isOk()) futures.get(i).complete(r.value());
        else futures.get(i).completeExceptionally(r.error());
    }

    private void settle() {
        List<R> values = new ArrayList<>(results.size());
        SleighTaskException first = null;
        synchronized (results) {
            for (TaskResult<R> r : results) {
                if (r.isOk()) {
                    values.add(r.value());
                } else if (first == null) {
                    first = r.error();
                } else {
                    first.addSuppressed(r.error());
                }
            }
        }
        if (first != null) all.completeExceptionally(first);
        else all.complete(Collections.unmodifiableList(values));
    }

    /** The number of elements. */
    public int size() { return futures.size(); }

    /** Elements without a result yet. */
    public long remaining() { return remaining.get(); }

    public boolean isDone() { return finished.getCount() == 0; }

    /**
     * The values in element order, once every result is in.  Throws the
     * failure of the lowest index (the others suppressed on it), or what
     * stopped the job.  Interrupting the waiting thread raises
     * {@code NwsCancelledException} (the job goes on).
     */
    public List<R> join() {
        try {
            return all.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NwsCancelledException("interrupted while waiting for a sleigh job", -1, null);
        }
    }

    /** Every element's outcome in element order, once every result is in (failures included, nothing thrown for them). */
    public List<TaskResult<R>> results() {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NwsCancelledException("interrupted while waiting for a sleigh job", -1, null);
        }
        if (broken != null) throw broken;
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** The values in element order, or the failure {@link #join()} would throw. */
    public CompletableFuture<List<R>> future() { return all.copy(); }

    /** One future per element, in element order; each completes when its result arrives. */
    public List<CompletableFuture<R>> futures() {
        List<CompletableFuture<R>> out = new ArrayList<>(futures.size());
        for (CompletableFuture<R> f : futures) out.add(f.copy());
        return Collections.unmodifiableList(out);
    }
}
