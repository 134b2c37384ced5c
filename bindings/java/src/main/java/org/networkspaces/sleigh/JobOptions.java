package org.networkspaces.sleigh;

/**
 * How one job is cut and paced.  Immutable: each method returns a copy with
 * that option set.
 *
 * <ul>
 * <li>{@link #chunkSize(long)}: elements per task message (not given: the
 *     core's rule, four chunks per worker when the number of elements is
 *     known, else chunks grown to about 20 ms of work each);
 * <li>{@link #loadFactor(double)}: chunks in flight per worker at most, so
 *     that a long or endless input is read only as fast as the workers
 *     work (not given: no limit for eachElem, 2 for {@link Sleigh#map});
 * <li>{@link #progress(boolean)}: a one-line progress display on stderr
 *     (not given: the sleigh's {@link SleighOptions#progress(boolean)}).
 * </ul>
 */
public final class JobOptions {
    private static final JobOptions DEFAULTS = new JobOptions(0, 0, null);

    private final long chunkSize;
    private final double loadFactor;
    private final Boolean progress;

    private JobOptions(long chunkSize, double loadFactor, Boolean progress) {
        this.chunkSize = chunkSize;
        this.loadFactor = loadFactor;
        this.progress = progress;
    }

    /** Nothing given: the core's chunking, no load limit, the sleigh's progress setting. */
    public static JobOptions defaults() { return DEFAULTS; }

    public JobOptions chunkSize(long elements) {
        if (elements < 1) throw new IllegalArgumentException("chunkSize must be at least 1, not " + elements);
        return new JobOptions(elements, loadFactor, progress);
    }

    public JobOptions loadFactor(double chunksPerWorker) {
        if (!(chunksPerWorker > 0) || Double.isInfinite(chunksPerWorker))
            throw new IllegalArgumentException("loadFactor must be a positive number, not " + chunksPerWorker);
        return new JobOptions(chunkSize, chunksPerWorker, progress);
    }

    public JobOptions progress(boolean on) { return new JobOptions(chunkSize, loadFactor, on); }

    long chunkSize() { return chunkSize; }

    /** 0: not given. */
    double loadFactor() { return loadFactor; }

    boolean progressOr(boolean fallback) { return progress == null ? fallback : progress; }

    @Override
    public String toString() {
        return "JobOptions[chunkSize=" + (chunkSize == 0 ? "auto" : chunkSize) + ", loadFactor="
                + (loadFactor == 0 ? "none" : loadFactor) + ", progress=" + (progress == null ? "sleigh's" : progress)
                + "]";
    }
}
