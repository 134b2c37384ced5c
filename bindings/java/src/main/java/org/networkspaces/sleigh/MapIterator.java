package org.networkspaces.sleigh;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The results of {@link Sleigh#map}, in element order, pulled by the
 * stream's consumer: each request reads elements from the source while the
 * load factor allows (chunks in flight, and chunks whose results the
 * consumer has not taken, per worker), then takes the next result; so the
 * source is read at most that far ahead of the consumer.  The job starts
 * with the first request, so a stream never consumed sends nothing.
 */
final class MapIterator<R> implements Iterator<R> {
    /** Chunks in flight per worker when the options give no load factor. */
    static final double DEFAULT_LOAD_FACTOR = 2;

    private final Sleigh sleigh;
    private final byte[] spec;
    private final Iterator<byte[]> args;
    private final Function<byte[], R> decode;
    private final JobOptions options;
    private final Progress progress;
    private final ArrayDeque<Outcome> ready = new ArrayDeque<>();
    private MapRun run;
    private boolean sourceDone;
    private boolean finished;

    MapIterator(Sleigh sleigh, byte[] spec, Iterator<byte[]> args, Function<byte[], R> decode, JobOptions options) {
        this.sleigh = sleigh;
        this.spec = spec;
        this.args = args;
        this.decode = decode;
        this.options = options;
        this.progress = new Progress(options.progressOr(sleigh.progressDefault()), -1, "map");
    }

    @Override
    public boolean hasNext() {
        fill();
        return !ready.isEmpty();
    }

    @Override
    public R next() {
        fill();
        Outcome o = ready.poll();
        if (o == null) throw new NoSuchElementException("the sleigh's map has no more results");
        progress.step();
        if (!o.ok()) throw o.error();
        return decode.apply(o.bytes());
    }

    private void fill() {
        if (!ready.isEmpty() || finished) return;
        if (run == null) run = MapRun.eachElem(sleigh, spec, -1, options, DEFAULT_LOAD_FACTOR, false);
        while (ready.isEmpty()) {
            if (!sourceDone && !args.hasNext()) endSource();
            if (!sourceDone && run.hasRoom()) {
                run.add(args.next());
                continue;
            }
            // No room (or no more input): the next result, in order.
            Outcome o = run.next();
            if (o == null) {
                finished = true;
                progress.finish();
                return;
            }
            ready.add(o);
        }
    }

    private void endSource() {
        if (sourceDone) return;
        sourceDone = true;
        run.close();
    }

    /** The stream was closed: no more elements go out (what is in flight still runs). */
    void close() {
        finished = true;
        if (run != null) endSource();
    }
}
