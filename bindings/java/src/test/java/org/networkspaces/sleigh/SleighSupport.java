package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sleigh tests' helpers: a real nws-server process (the one the build
 * made, pom.xml's nws.server.binary), deadlines instead of sleeps, and the
 * process table (/proc) to see which workers are alive.
 */
final class SleighSupport {
    private SleighSupport() {}

    private static final Pattern BANNER = Pattern.compile("nws-server listening on (\\S+):(\\d+)");

    /** An nws-server on 127.0.0.1 and a free port; close() stops it. */
    static final class Server implements AutoCloseable {
        final Process process;
        final String host;
        final int port;

        Server() throws IOException {
            String binary = System.getProperty("nws.server.binary");
            if (binary == null) throw new IllegalStateException("the system property nws.server.binary is not set (see pom.xml)");
            Path log = Files.createTempFile("nws-sleigh-server-", ".log");
            List<String> argv = List.of(binary, "--bind", "127.0.0.1", "--port", "0", "--no-web", "--log-level", "warn");
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = line == null ? null : BANNER.matcher(line);
            if (m == null || !m.matches()) {
                process.destroyForcibly();
                fail("nws-server did not start (it said " + line + "; its log: " + Files.readString(log) + ")");
            }
            host = m.group(1);
            port = Integer.parseInt(m.group(2));
            Thread drain = new Thread(() -> readAll(process.getInputStream()), "nws-server-stdout");
            drain.setDaemon(true);
            drain.start();
        }

        /** Sleigh options naming this server. */
        SleighOptions options() { return SleighOptions.defaults().server(host, port); }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("nws-server did not stop on SIGTERM");
            }
        }
    }

    private static void readAll(InputStream s) {
        try (s) {
            s.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the server is gone
        }
    }

    /** Polls {@code condition} until it holds; fails after {@code limit}. */
    static void waitUntil(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out after " + limit + " waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** Whether process {@code pid} is in the process table and not a zombie. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || stat.length() < close + 3 || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The live processes whose environment holds {@code text} (a sleigh's workspace name names its workers). */
    static List<Long> processesWithEnv(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long pid = Long.parseLong(name);
                if (pid == ProcessHandle.current().pid()) continue;
                try {
                    if (contains(Files.readAllBytes(d.resolve("environ")), needle) && alive(pid)) out.add(pid);
                } catch (IOException | SecurityException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            fail("cannot list /proc: " + e);
        }
        return out;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** Waits until no process of sleigh {@code ws} (and none of {@code pids}) is left. */
    static void waitGone(String ws, List<Long> pids) throws InterruptedException {
        waitUntil(() -> pids.stream().noneMatch(SleighSupport::alive) && processesWithEnv("JavaSleighNwsName=" + ws).isEmpty()
                        && processesWithEnv("NwsName=" + ws + "\0").isEmpty(),
                Duration.ofSeconds(15), "the workers of " + ws + " to be gone");
    }
}
