package org.networkspaces.sleigh;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.networkspaces.ConnectOptions;

/**
 * How to start a {@link Sleigh}.  Immutable: each method returns a copy with
 * that option set, so a common base can be shared.
 *
 * <pre>{@code
 * SleighOptions o = SleighOptions.defaults().server("127.0.0.1", 8765).workerCount(4);
 * try (Sleigh s = new Sleigh(o)) { ... }
 * }</pre>
 *
 * <table>
 * <caption>The options</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@link #connect(ConnectOptions)}, {@link #server(String, int)}</td><td>none given</td>
 *     <td>the server, TLS and credentials; with no host and port given: {@code JavaSleighNwsHost}/{@code
 *     JavaSleighNwsPort} (a master inside a worker), {@code $NWS_HOST}/{@code $NWS_PORT}, else
 *     localhost:8765, and a local sleigh starts a server of its own inside the master when none answers
 *     there</td></tr>
 * <tr><td>{@link #workerCount(int)}</td><td>0</td><td>0: one per core (local), one per node (ssh),
 *     {@code $SLURM_NTASKS} (SLURM)</td></tr>
 * <tr><td>{@link #launch(Launch)}</td><td>{@link Launch#local()}</td><td>how workers start</td></tr>
 * <tr><td>{@link #language(String)}</td><td>java</td><td>the workers' language: java, python, r, perl or
 *     ruby; other languages run named functions only</td></tr>
 * <tr><td>{@link #load(List)}</td><td>none</td><td>what workers load before their first task: R packages or
 *     files, Python modules, Perl modules, Ruby files; for Java workers, jars or class directories added to
 *     their class path, or class names initialised</td></tr>
 * <tr><td>{@link #modulePath(String)}</td><td>none</td><td>the workers' extra search path (Python sys.path,
 *     R library paths, Perl @INC, Ruby $LOAD_PATH; Java: a class path)</td></tr>
 * <tr><td>{@link #workingDir(String)}, {@link #logDir(String)}</td><td>none</td><td>the workers' directory
 *     (none: the master's for local workers) and where their output goes (none: the master's stderr
 *     for local workers, dropped for others)</td></tr>
 * <tr><td>{@link #workerProgram(List)}</td><td>none</td><td>the command that starts a worker: for Java
 *     workers, the master's own {@code java} with its class path (so lambdas' classes are there), with
 *     {@link #workerJvmOptions(List)}; for other languages, the core's default for the language</td></tr>
 * <tr><td>{@link #inboxDepth(int)}</td><td>2</td><td>chunks queued per worker</td></tr>
 * <tr><td>{@link #stopTimeout(Duration)}</td><td>10 s</td><td>how long {@link Sleigh#close()} waits for
 *     the workers before killing them</td></tr>
 * <tr><td>{@link #progress(boolean)}</td><td>false</td><td>a one-line progress display on stderr for every
 *     job</td></tr>
 * </table>
 */
public final class SleighOptions {
    private static final SleighOptions DEFAULTS = new SleighOptions();

    ConnectOptions connect = new ConnectOptions();
    int workerCount;
    Launch launch = Launch.local();
    String language = "java";
    List<String> load = List.of();
    String modulePath = "";
    String workingDir = "";
    String logDir = "";
    List<String> workerProgram = List.of();
    List<String> workerJvmOptions = List.of();
    int inboxDepth = 2;
    Duration stopTimeout = Duration.ofSeconds(10);
    boolean progress;
    String wsNameTemplate = "sleigh_ride_%04d";
    String userWsNameTemplate = "sleigh_user_%04d";

    private SleighOptions() {}

    /** Nothing given: see the table above. */
    public static SleighOptions defaults() { return DEFAULTS; }

    private SleighOptions copy() {
        SleighOptions c = new SleighOptions();
        c.connect = connect;
        c.workerCount = workerCount;
        c.launch = launch;
        c.language = language;
        c.load = load;
        c.modulePath = modulePath;
        c.workingDir = workingDir;
        c.logDir = logDir;
        c.workerProgram = workerProgram;
        c.workerJvmOptions = workerJvmOptions;
        c.inboxDepth = inboxDepth;
        c.stopTimeout = stopTimeout;
        c.progress = progress;
        c.wsNameTemplate = wsNameTemplate;
        c.userWsNameTemplate = userWsNameTemplate;
        return c;
    }

    /** The server and how to connect (TLS, credentials); the workers connect the same way. */
    public SleighOptions connect(ConnectOptions options) {
        SleighOptions c = copy();
        c.connect = Objects.requireNonNull(options, "connect options");
        return c;
    }

    /** The server at {@code host}:{@code port}, keeping the other connect options. */
    public SleighOptions server(String host, int port) { return connect(connect.host(host).port(port)); }

    public SleighOptions workerCount(int workers) {
        if (workers < 0) throw new IllegalArgumentException("workerCount must be 0 (the launch's default) or more");
        SleighOptions c = copy();
        c.workerCount = workers;
        return c;
    }

    public SleighOptions launch(Launch launch) {
        SleighOptions c = copy();
        c.launch = Objects.requireNonNull(launch, "launch");
        return c;
    }

    /** The workers' language ("java", "python", "r", "perl", "ruby"; checked when the sleigh starts). */
    public SleighOptions language(String language) {
        SleighOptions c = copy();
        c.language = Objects.requireNonNull(language, "language");
        return c;
    }

    public SleighOptions load(List<String> items) {
        for (String s : items) {
            if (s == null || s.isEmpty() || s.indexOf(':') >= 0)
                throw new IllegalArgumentException("a load item is empty or holds ':' (the list's separator): " + items);
        }
        SleighOptions c = copy();
        c.load = List.copyOf(items);
        return c;
    }

    public SleighOptions load(String... items) { return load(List.of(items)); }

    public SleighOptions modulePath(String path) {
        SleighOptions c = copy();
        c.modulePath = Objects.requireNonNull(path, "modulePath");
        return c;
    }

    public SleighOptions workingDir(String dir) {
        SleighOptions c = copy();
        c.workingDir = Objects.requireNonNull(dir, "workingDir");
        return c;
    }

    public SleighOptions logDir(String dir) {
        SleighOptions c = copy();
        c.logDir = Objects.requireNonNull(dir, "logDir");
        return c;
    }

    /** The command that starts one worker (empty: the default described above). */
    public SleighOptions workerProgram(List<String> argv) {
        SleighOptions c = copy();
        c.workerProgram = List.copyOf(argv);
        return c;
    }

    /** Options for the JVMs of the sleigh's own Java workers ({@code -Xmx1g}, {@code -D...}). */
    public SleighOptions workerJvmOptions(List<String> options) {
        SleighOptions c = copy();
        c.workerJvmOptions = List.copyOf(options);
        return c;
    }

    public SleighOptions inboxDepth(int chunks) {
        if (chunks < 1) throw new IllegalArgumentException("inboxDepth must be at least 1");
        SleighOptions c = copy();
        c.inboxDepth = chunks;
        return c;
    }

    public SleighOptions stopTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) throw new IllegalArgumentException("stopTimeout must be 0 or more");
        SleighOptions c = copy();
        c.stopTimeout = timeout;
        return c;
    }

    public SleighOptions progress(boolean on) {
        SleighOptions c = copy();
        c.progress = on;
        return c;
    }

    /** The sleigh workspace's name template ({@code %d}: a number the server picks). */
    public SleighOptions wsNameTemplate(String template) {
        SleighOptions c = copy();
        c.wsNameTemplate = Objects.requireNonNull(template, "wsNameTemplate");
        return c;
    }

    public SleighOptions userWsNameTemplate(String template) {
        SleighOptions c = copy();
        c.userWsNameTemplate = Objects.requireNonNull(template, "userWsNameTemplate");
        return c;
    }

    @Override
    public String toString() {
        return "SleighOptions[" + connect + ", workerCount=" + workerCount + ", " + launch + ", language=" + language
                + (load.isEmpty() ? "" : ", load=" + load) + (modulePath.isEmpty() ? "" : ", modulePath=" + modulePath)
                + (workingDir.isEmpty() ? "" : ", workingDir=" + workingDir)
                + (logDir.isEmpty() ? "" : ", logDir=" + logDir) + ", inboxDepth=" + inboxDepth + ", stopTimeout="
                + stopTimeout + ", progress=" + progress + "]";
    }
}
