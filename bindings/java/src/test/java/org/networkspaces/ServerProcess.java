package org.networkspaces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real nws-server on a free loopback port (--port 0; the port is read from
 * its "listening on" line).  The binary comes from the system property
 * nws.server.binary, which the pom sets to the one its CMake run built.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final Path spool;
    private final int port;

    ServerProcess() throws IOException {
        String binary = System.getProperty("nws.server.binary");
        if (binary == null || !Files.isExecutable(Path.of(binary)))
            throw new IllegalStateException("nws.server.binary does not name an executable nws-server: " + binary);
        spool = Files.createTempDirectory("nws-java-spool");
        process = new ProcessBuilder(binary, "--bind", "127.0.0.1", "--port", "0", "--spool-dir", spool.toString(),
                "--log-level", "warn")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m == null || !m.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("nws-server did not report its port: " + line);
        }
        port = Integer.parseInt(m.group(1));
    }

    int port() { return port; }

    NwsServer connect() { return new NwsServer("127.0.0.1", port); }

    NetWorkSpace workspace(String name) { return new NetWorkSpace(name, "127.0.0.1", port); }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        try (Stream<Path> files = Files.walk(spool)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
