package org.networkspaces.sleigh;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.networkspaces.NwsInvalidArgumentException;
import org.networkspaces.NwsLocalServer;
import org.networkspaces.NwsServer;

/**
 * A sleigh: a pool of worker processes that run functions over many
 * elements, coordinated through one workspace of an NWS server
 * (docs/sleigh-design.md).  The core does the work (launching, chunking,
 * fault tolerance: a dead worker's tasks run again elsewhere, and every
 * result arrives exactly once); this class gives it Java's shapes.
 *
 * <pre>{@code
 * try (Sleigh s = new Sleigh(SleighOptions.defaults().workerCount(4))) {
 *     List<Integer> squares = s.eachElem(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <h2>Tasks</h2>
 * A Java master's tasks for Java workers are lambdas typed as
 * {@link SerializableFunction}, {@link SerializableBiFunction},
 * {@link SerializableCallable} or {@link SerializableRunnable}: they travel
 * Java-serialised, with what they capture, and the workers (started with
 * the master's own class path) run them.  Any worker language runs named
 * functions ({@code eachElem("module:function", args)} for Python,
 * {@code "package.Class#method"} for Java, {@code "fun"} or
 * {@code "pkg::fun"} for R, {@code "Module::function"} for Perl,
 * {@code "Module.method"} for Ruby), with arguments and results in the
 * portable encoding (docs/values.md): a Java master passes each element's
 * arguments as a List and gets back Long, Double, String, List, Map, ...
 *
 * <h2>Failures</h2>
 * A task that throws fails its element only.  The blocking calls throw
 * {@link SleighTaskException} for the failed element of lowest index, once
 * every result is in, with the other failures suppressed on it;
 * {@link #eachElemAsync} gives each element's {@link TaskResult} and
 * future.
 *
 * <h2>Threads</h2>
 * A Sleigh may be used from many threads at once: each call is a job of
 * its own.  A blocking call waits until the results are in, and raises
 * {@code NwsCancelledException} if its thread is interrupted.
 */
public final class Sleigh implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();
    private static final String WORKER_CLASS = "org.networkspaces.sleigh.Worker";

    private final SleighOptions options;
    private final String language;
    private final long handle;
    private final NwsLocalServer local;
    private final String wsName;
    private final String userWsName;
    private final String workerHost;
    private final int workerPort;
    private final String manualCommand;
    private final Codec javaCodec;
    private final Set<SleighExecutor> executors = ConcurrentHashMap.newKeySet();
    private SleighExecutor defaultExecutor;
    private boolean closed;

    /**
     * Starts a sleigh: connects, opens its workspaces and launches the
     * workers (it does not wait for them to join: {@link #status} does).
     */
    public Sleigh(SleighOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.language = SleighNative.str(SleighNative.languageId(SleighNative.utf8(options.language)));
        this.javaCodec = Codec.java(Thread.currentThread().getContextClassLoader());
        Launch launch = options.launch;

        byte[][] choice = SleighNative.chooseServer(options.connect, SleighNative.utf8(launch.coreKind()));
        String host = SleighNative.str(choice[0]);
        int port = choice[1] == null ? -1 : Integer.parseInt(SleighNative.str(choice[1]));
        NwsLocalServer started = null;
        if (choice[2] != null) {
            started = NwsServer.startLocal();
            host = started.host();
            port = started.port();
        }
        try {
            String[] texts = new String[SleighNative.TEXTS];
            int[] numbers = new int[SleighNative.NUMBERS];
            texts[SleighNative.T_KIND] = launch.coreKind();
            texts[SleighNative.T_WS_TEMPLATE] = options.wsNameTemplate;
            texts[SleighNative.T_USER_WS_TEMPLATE] = options.userWsNameTemplate;
            texts[SleighNative.T_WORKING_DIR] = options.workingDir;
            texts[SleighNative.T_LOG_DIR] = options.logDir;
            texts[SleighNative.T_MODULE_PATH] = options.modulePath;
            texts[SleighNative.T_LANGUAGE] = language;
            texts[SleighNative.T_LOAD] = String.join(":", options.load);
            texts[SleighNative.T_REMOTE_HOST] = "";
            numbers[SleighNative.N_WORKER_COUNT] = options.workerCount;
            numbers[SleighNative.N_INBOX_DEPTH] = options.inboxDepth;
            numbers[SleighNative.N_REMOTE_PORT] = -1;

            List<String> program = workerProgram();
            texts[SleighNative.T_MANUAL_COMMAND] = manualLine(program);

            byte[][][] prefixes = null;
            if (launch.kind != Launch.Kind.LOCAL && launch.kind != Launch.Kind.SLURM
                    && launch.kind != Launch.Kind.MANUAL) {
                String serverHost = host == null ? "localhost" : host;
                int serverPort = port < 0 ? 8765 : port;
                if (launch.kind == Launch.Kind.SSH_FORWARD) {
                    texts[SleighNative.T_REMOTE_HOST] = "localhost";
                    numbers[SleighNative.N_REMOTE_PORT] = launch.remotePort > 0 ? launch.remotePort : serverPort;
                }
                prefixes = new byte[launch.nodes.size()][][];
                for (int i = 0; i < prefixes.length; i++)
                    prefixes[i] = prefixFor(launch, launch.nodes.get(i), serverHost, serverPort,
                            numbers[SleighNative.N_REMOTE_PORT]);
            }
            byte[][] t = new byte[texts.length][];
            for (int i = 0; i < texts.length; i++) t[i] = SleighNative.utf8(texts[i]);
            long h = SleighNative.masterStart(options.connect, SleighNative.utf8(host), port, t, numbers,
                    options.stopTimeout.toNanos() / 1e9, SleighNative.utf8(launch.nodes), prefixes,
                    SleighNative.utf8(program), SleighNative.utf8(launch.slurmArgs), new byte[0][]);
            this.handle = h;
            CLEANER.register(this, () -> SleighNative.masterFree(h));
        } catch (RuntimeException | Error e) {
            if (started != null) started.close();
            throw e;
        }
        this.local = started;
        List<String> names = SleighNative.strings(SleighNative.masterNames(handle));
        this.wsName = names.get(0);
        this.userWsName = names.get(1);
        this.workerHost = names.get(2);
        this.manualCommand = names.get(3);
        this.workerPort = SleighNative.masterPort(handle);
    }

    /** The command of one worker: given, or this JVM with its class path for Java workers, or the core's default. */
    private List<String> workerProgram() {
        if (!options.workerProgram.isEmpty()) return options.workerProgram;
        if (!language.equals("java")) return List.of();
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(options.workerJvmOptions);
        String library = System.getProperty("nws.native.library");
        if (library != null && !library.isEmpty())
            argv.add("-Dnws.native.library=" + Path.of(library).toAbsolutePath());
        argv.add("-cp");
        argv.add(absoluteClassPath(System.getProperty("java.class.path")));
        argv.add(WORKER_CLASS);
        return argv;
    }

    /** The class path with every entry absolute: workers may start in another directory. */
    private static String absoluteClassPath(String cp) {
        List<String> out = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) out.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** The shell line a person runs to start one worker (manual launch); the core fills in the braces. */
    private String manualLine(List<String> program) {
        List<String> argv = program;
        if (argv.isEmpty()) {
            try {
                argv = SleighNative.strings(SleighNative.defaultWorkerProgram(SleighNative.utf8(language)));
            } catch (NwsInvalidArgumentException e) {
                argv = List.of("<the " + language + " worker program>");
            }
        }
        String p = SleighNative.str(SleighNative.envPrefix(SleighNative.utf8(language)));
        StringBuilder s = new StringBuilder("env ");
        s.append(p).append("NwsName={ws} ").append(p).append("UserNwsName={userws} ").append(p)
                .append("NwsHost={host} ").append(p).append("NwsPort={port} ").append(p).append("Language=")
                .append(language);
        for (String w : argv) s.append(' ').append(shellQuote(w));
        return s.toString();
    }

    private static String shellQuote(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=@%+,-]+")) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }

    private static byte[][] prefixFor(Launch launch, String node, String serverHost, int serverPort, int remotePort) {
        return switch (launch.kind) {
            case SSH -> SleighNative.sshPrefix(SleighNative.utf8(node), SleighNative.utf8(launch.user));
            case SSH_FORWARD -> SleighNative.sshForwardPrefix(SleighNative.utf8(node), SleighNative.utf8(launch.user),
                    remotePort, SleighNative.utf8(serverHost), serverPort, null);
            default -> {
                List<String> argv = launch.prefix.apply(node);
                if (argv == null || argv.isEmpty())
                    throw new IllegalArgumentException("the launch command prefix for " + node + " is empty");
                yield SleighNative.utf8(argv);
            }
        };
    }

    // ---- eachElem ----

    /** eachElem: {@code fn} of each element, in element order (see {@link JobOptions} for pacing). */
    public <T, R> List<R> eachElem(SerializableFunction<? super T, ? extends R> fn, Collection<? extends T> elements) {
        return eachElem(fn, elements, JobOptions.defaults());
    }

    public <T, R> List<R> eachElem(SerializableFunction<? super T, ? extends R> fn, Collection<? extends T> elements,
                                   JobOptions options) {
        return this.<R>javaJob(applyTask(fn), oneArgEach(elements), options, false).join();
    }

    /** eachElem with a fixed second argument: {@code fn(element, fixed)} for each element. */
    public <T, U, R> List<R> eachElem(SerializableBiFunction<? super T, ? super U, ? extends R> fn,
                                      Collection<? extends T> elements, U fixed) {
        return eachElem(fn, elements, fixed, JobOptions.defaults());
    }

    @SuppressWarnings("unchecked")
    public <T, U, R> List<R> eachElem(SerializableBiFunction<? super T, ? super U, ? extends R> fn,
                                      Collection<? extends T> elements, U fixed, JobOptions options) {
        Objects.requireNonNull(fn, "function");
        Task task = new Task.ApplyWith((SerializableBiFunction<Object, Object, Object>) fn);
        List<Object[]> args = new ArrayList<>(elements.size());
        for (T e : elements) args.add(new Object[] {e, fixed});
        return this.<R>javaJob(task, args, options, false).join();
    }

    /**
     * eachElem of a named function: {@code args.get(i)} is element i's list
     * of positional arguments, in the portable encoding (see the class
     * comment for the name forms); the values, in element order, as the
     * portable decoding gives them.
     */
    public List<Object> eachElem(String function, List<? extends List<?>> args) {
        return eachElem(function, args, JobOptions.defaults());
    }

    public List<Object> eachElem(String function, List<? extends List<?>> args, JobOptions options) {
        return namedJob(function, args, options, false).join();
    }

    /** A non-blocking eachElem: see {@link SleighJob}. */
    public <T, R> SleighJob<R> eachElemAsync(SerializableFunction<? super T, ? extends R> fn,
                                             Collection<? extends T> elements) {
        return eachElemAsync(fn, elements, JobOptions.defaults());
    }

    public <T, R> SleighJob<R> eachElemAsync(SerializableFunction<? super T, ? extends R> fn,
                                             Collection<? extends T> elements, JobOptions options) {
        return javaJob(applyTask(fn), oneArgEach(elements), options, true);
    }

    /** A non-blocking eachElem of a named function. */
    public SleighJob<Object> eachElemAsync(String function, List<? extends List<?>> args, JobOptions options) {
        return namedJob(function, args, options, true);
    }

    @SuppressWarnings("unchecked")
    private static Task applyTask(SerializableFunction<?, ?> fn) {
        Objects.requireNonNull(fn, "function");
        return new Task.Apply((SerializableFunction<Object, Object>) fn);
    }

    private static List<Object[]> oneArgEach(Collection<?> elements) {
        List<Object[]> args = new ArrayList<>(elements.size());
        for (Object e : elements) args.add(new Object[] {e});
        return args;
    }

    @SuppressWarnings("unchecked")
    private <R> SleighJob<R> javaJob(Task task, List<Object[]> args, JobOptions options, boolean async) {
        byte[] spec = javaSpec(task);
        List<byte[]> encoded = new ArrayList<>(args.size());
        for (Object[] a : args) encoded.add(javaCodec.args(a));
        return start(spec, encoded, b -> (R) javaCodec.value(b), options, async);
    }

    private SleighJob<Object> namedJob(String function, List<? extends List<?>> args, JobOptions options,
                                       boolean async) {
        byte[] spec = namedSpec(function);
        List<byte[]> encoded = new ArrayList<>(args.size());
        for (List<?> a : args) {
            Objects.requireNonNull(a, "an element's argument list");
            encoded.add(Codec.PORTABLE.args(a.toArray()));
        }
        return start(spec, encoded, Codec.PORTABLE::value, options, async);
    }

    private <R> SleighJob<R> start(byte[] spec, List<byte[]> args, Function<byte[], R> decode, JobOptions options,
                                   boolean async) {
        Objects.requireNonNull(options, "job options");
        MapRun run = MapRun.eachElem(this, spec, args.size(), options, 0, true);
        Progress progress = new Progress(options.progressOr(this.options.progress), args.size(), "eachElem");
        SleighJob<R> job = new SleighJob<>(run, args, decode, progress);
        return async ? job.start() : job.runHere();
    }

    /** The spec of a Java lambda, for this sleigh's workers (Java only). */
    byte[] javaSpec(Task task) {
        if (!language.equals("java"))
            throw new NwsInvalidArgumentException("a Java lambda runs on Java workers only; this sleigh's workers are "
                    + language + ": name a " + language + " function ("
                    + SleighNative.str(SleighNative.nameForm(SleighNative.utf8(language))) + ")", -1, null);
        return SleighNative.serializedFunction(JavaSerial.write(task, "the function"));
    }

    private byte[] namedSpec(String function) {
        Objects.requireNonNull(function, "function name");
        return SleighNative.namedFunction(SleighNative.utf8(language), SleighNative.utf8(function));
    }

    Codec javaCodec() { return javaCodec; }

    boolean progressDefault() { return options.progress; }

    // ---- eachWorker ----

    /**
     * Runs {@code fn} once on every worker (waiting first for the group to
     * close), each worker waiting at a barrier until all are done: the
     * values in rank order.
     */
    public <R> List<R> eachWorker(SerializableCallable<? extends R> fn) { return eachWorker(fn, null); }

    /**
     * As {@link #eachWorker(SerializableCallable)}, giving up after
     * {@code joinTimeout} (null: never) if workers are still joining.
     */
    @SuppressWarnings("unchecked")
    public <R> List<R> eachWorker(SerializableCallable<? extends R> fn, Duration joinTimeout) {
        Objects.requireNonNull(fn, "function");
        byte[] spec = javaSpec(new Task.Call((SerializableCallable<Object>) fn));
        return (List<R>) (List<?>) byRank(MapRun.eachWorker(this, spec, javaCodec.args(new Object[0]), joinTimeout),
                javaCodec::value);
    }

    /** eachWorker of a named function, with the same arguments on every worker: the values in rank order. */
    public List<Object> eachWorker(String function, List<?> args) {
        byte[] spec = namedSpec(function);
        return byRank(MapRun.eachWorker(this, spec, Codec.PORTABLE.args(args.toArray()), null), Codec.PORTABLE::value);
    }

    private static List<Object> byRank(MapRun run, Function<byte[], Object> decode) {
        List<Outcome> got = new ArrayList<>();
        for (Outcome o; (o = run.next()) != null; ) got.add(o);
        got.sort(Comparator.comparingInt(Outcome::rank));
        List<Object> values = new ArrayList<>(got.size());
        SleighTaskException first = null;
        for (Outcome o : got) {
            if (o.ok()) {
                values.add(decode.apply(o.bytes()));
                continue;
            }
            if (first == null) first = o.error();
            else first.addSuppressed(o.error());
        }
        if (first != null) throw first;
        return values;
    }

    // ---- map: streams ----

    /**
     * A lazy, ordered map over a stream: elements are read from
     * {@code source} only as results are wanted, with at most about
     * {@code loadFactor} chunks per worker in flight (2 unless the options
     * say otherwise), so an endless source works.  A failed element throws
     * its {@link SleighTaskException} where the stream reaches it.  Close
     * the stream (or consume it) to end the job.
     */
    public <T, R> Stream<R> map(Stream<? extends T> source, SerializableFunction<? super T, ? extends R> fn) {
        return map(source, fn, JobOptions.defaults());
    }

    public <T, R> Stream<R> map(Stream<? extends T> source, SerializableFunction<? super T, ? extends R> fn,
                                JobOptions options) {
        Task task = applyTask(fn);
        Iterator<? extends T> it = source.iterator();
        Iterator<byte[]> args = new Iterator<>() {
            @Override
            public boolean hasNext() { return it.hasNext(); }

            @Override
            public byte[] next() { return javaCodec.args(new Object[] {it.next()}); }
        };
        @SuppressWarnings("unchecked")
        MapIterator<R> results = new MapIterator<>(this, javaSpec(task), args, b -> (R) javaCodec.value(b), options);
        return stream(results).onClose(source::close);
    }

    public <T, R> Stream<R> map(Iterable<? extends T> source, SerializableFunction<? super T, ? extends R> fn) {
        return map(StreamSupport.stream(source.spliterator(), false), fn, JobOptions.defaults());
    }

    /** map of a named function over a stream of argument lists. */
    public Stream<Object> map(String function, Stream<? extends List<?>> args, JobOptions options) {
        byte[] spec = namedSpec(function);
        Iterator<? extends List<?>> it = args.iterator();
        Iterator<byte[]> encoded = new Iterator<>() {
            @Override
            public boolean hasNext() { return it.hasNext(); }

            @Override
            public byte[] next() { return Codec.PORTABLE.args(it.next().toArray()); }
        };
        return stream(new MapIterator<>(this, spec, encoded, Codec.PORTABLE::value, options)).onClose(args::close);
    }

    private static <R> Stream<R> stream(MapIterator<R> results) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(results::close);
    }

    // ---- executor ----

    /**
     * Runs {@code task} on a worker: its future completes with the value, or
     * with a {@link SleighTaskException}.  Tasks submitted here share the
     * sleigh's own executor.
     */
    public <R> CompletableFuture<R> submit(SerializableCallable<R> task) { return sharedExecutor().submitTask(task); }

    public CompletableFuture<Void> submit(SerializableRunnable task) { return sharedExecutor().submitTask(task); }

    /** Runs every task; returns their futures once all are complete (in the tasks' order). */
    public <R> List<CompletableFuture<R>> invokeAll(Collection<? extends SerializableCallable<R>> tasks) {
        List<CompletableFuture<R>> out = new ArrayList<>(tasks.size());
        for (SerializableCallable<R> t : tasks) out.add(submit(t));
        try {
            CompletableFuture.allOf(out.toArray(new CompletableFuture<?>[0])).get();
        } catch (ExecutionException e) {
            // each future says how it ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.networkspaces.NwsCancelledException("interrupted while waiting for sleigh tasks", -1, null);
        }
        return out;
    }

    /**
     * A new ExecutorService whose tasks run on this sleigh's workers (see
     * {@link SleighExecutor}'s rules: serialisable tasks, honest shutdown).
     * Shutting it down leaves the sleigh running; closing the sleigh shuts
     * it down.
     */
    public ExecutorService executor() {
        SleighExecutor e = new SleighExecutor(this, javaSpec(new Task.Submitted()));
        executors.add(e);
        return e;
    }

    private synchronized SleighExecutor sharedExecutor() {
        if (closed) throw new NwsInvalidArgumentException("the sleigh is closed", -1, null);
        if (defaultExecutor == null) defaultExecutor = (SleighExecutor) executor();
        return defaultExecutor;
    }

    // ---- the sleigh ----

    /**
     * The worker group: how many joined, and whether it is closed.  Waits up
     * to {@code timeout} for it to close; with {@code closeGroup} closes it
     * then with the workers that joined.
     */
    public SleighStatus status(boolean closeGroup, Duration timeout) {
        try {
            int[] s = SleighNative.masterStatus(handle, closeGroup, timeout.toNanos() / 1e9);
            return new SleighStatus(s[0], s[1] != 0);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** What each joined worker said about itself, in rank order. */
    public List<WorkerInfo> workerInfo() {
        try {
            List<WorkerInfo> out = new ArrayList<>();
            for (String r : SleighNative.strings(SleighNative.masterWorkerInfo(handle))) out.add(WorkerInfo.parse(r));
            return out;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public int workersAlive() {
        try {
            return SleighNative.masterWorkersAlive(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Workers launched (0 for a manual launch). */
    public int launched() {
        try {
            return SleighNative.masterLaunched(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The workers' language ("java", "python", ...). */
    public String language() { return language; }

    /** The sleigh workspace's name. */
    public String wsName() { return wsName; }

    /** The user workspace's name (for the program's own values; the sleigh does not use it). */
    public String userWsName() { return userWsName; }

    /** The server the workers connect to. */
    public String workerHost() { return workerHost; }

    public int workerPort() { return workerPort; }

    /** For a manual launch: the shell command that starts one worker. */
    public String manualCommand() { return manualCommand; }

    /** The server started inside this master (when none was named and none answered), or null. */
    public NwsLocalServer localServer() { return local; }

    /**
     * Stops the sleigh (idempotent): shuts down its executors, tells the
     * workers to go, waits for them (up to the stop timeout, then kills
     * them), deletes the sleigh workspace and stops the server started
     * inside this master, if any.  Tasks without a result fail with
     * "stopped".
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        for (SleighExecutor e : executors) e.shutdown();
        try {
            SleighNative.masterStop(handle);
        } finally {
            Reference.reachabilityFence(this);
            if (local != null) local.close();
        }
    }

    public synchronized boolean isClosed() { return closed; }

    long live() { return handle; }

    @Override
    public String toString() {
        return "Sleigh[" + wsName + ", " + language + " workers, " + options.launch + (closed ? ", closed" : "") + "]";
    }
}
