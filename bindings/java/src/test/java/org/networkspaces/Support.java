package org.networkspaces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers shared by the tests: unique names, polling with a deadline, and
 * nws-server processes (the program the build made) with extra flags.
 */
final class Support {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Support() {}

    static String unique(String prefix) { return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(); }

    /** Polls `condition` until it holds; fails after 10 s. */
    static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    static Optional<VarInfo> var(NetWorkSpace observer, String name) {
        return observer.listVars().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Waits until the server shows `fetchers` blocked fetchers on `var`. */
    static void waitFetchers(NetWorkSpace observer, String var, long fetchers) throws InterruptedException {
        waitUntil(() -> var(observer, var).map(v -> v.fetchers() == fetchers).orElse(fetchers == 0),
                fetchers + " fetcher(s) on " + var);
    }

    /** A system property pom.xml sets for the tests. */
    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null) throw new IllegalStateException("the system property " + name + " is not set (see pom.xml)");
        return v;
    }

    /** The nws-server program built with libnwsjni.so (build-java/nws-core/nws-server). */
    static String serverBinary() { return property("nws.server.binary"); }

    /** Runs a program to its end (10 s at most) with {@code input} on its stdin; its stdout, or a failure with its stderr. */
    static String run(List<String> argv, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        // Read both streams whole (stderr on a thread of its own, so neither pipe fills).
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> err.append(readAll(p.getErrorStream())));
        errReader.start();
        String out = readAll(p.getInputStream());
        errReader.join();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(argv + " did not end");
        }
        if (p.exitValue() != 0) fail(argv + " failed with status " + p.exitValue() + ": " + err);
        return out;
    }

    private static String readAll(InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * The test certificates (scripts/make-test-certs.sh) made in {@code dir}:
     * ca.pem, server.pem/.key, expired, wronghost, other-ca, untrusted,
     * client, rogue-client.
     */
    static Path makeCerts(Path dir) throws IOException, InterruptedException {
        run(List.of("bash", property("nws.test.certs"), dir.toString()), "");
        for (String f : List.of("ca.pem", "server.pem", "server.key", "client.pem", "client.key")) {
            if (!Files.isRegularFile(dir.resolve(f))) fail("make-test-certs.sh made no " + f + " in " + dir);
        }
        return dir;
    }

    /** The users-file secret of {@code password} (nws-server --hash-password). */
    static String hashPassword(String password) throws IOException, InterruptedException {
        String secret = run(List.of(serverBinary(), "--hash-password"), password + "\n").trim();
        if (!secret.startsWith("SCRAM-SHA-256$")) fail("nws-server --hash-password printed " + secret);
        return secret;
    }

    private static final Pattern BANNER = Pattern.compile("nws-server listening on (\\S+):(\\d+)");

    /**
     * An nws-server process on 127.0.0.1 and a free port, with no web port,
     * started with {@code flags} as well; {@link #close()} stops it.  Its
     * first line says where it listens; what it logs goes to {@code log}.
     */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String host;
        final int port;
        final Path log;

        ServerProcess(Path log, String... flags) throws IOException {
            List<String> argv = new ArrayList<>(List.of(serverBinary(), "--bind", "127.0.0.1", "--port", "0",
                    "--no-web", "--log-level", "warn"));
            argv.addAll(List.of(flags));
            this.log = log;
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // readLine returns at once (null) if the program dies.
            String line = out.readLine();
            Matcher m = line == null ? null : BANNER.matcher(line);
            if (m == null || !m.matches()) {
                process.destroyForcibly();
                fail("nws-server " + argv + " did not start (it said " + line + "; its log: "
                        + Files.readString(log) + ")");
            }
            host = m.group(1);
            port = Integer.parseInt(m.group(2));
            // Anything more it prints is read and dropped, so the pipe never fills.
            Thread drain = new Thread(() -> readAll(process.getInputStream()), "nws-server-stdout");
            drain.setDaemon(true);
            drain.start();
        }

        /** Options naming this server (host and port), to add TLS and credentials to. */
        ConnectOptions options() { return new ConnectOptions().host(host).port(port); }

        /** What the server logged so far (for failure messages). */
        String logText() throws IOException { return Files.readString(log); }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("nws-server did not stop on SIGTERM");
            }
        }
    }

    /** An nws-server process with {@code flags}, logging to a new file in {@code dir}. */
    static ServerProcess startServer(Path dir, String... flags) throws IOException {
        return new ServerProcess(Files.createTempFile(dir, "nws-server-", ".log"), flags);
    }
}
