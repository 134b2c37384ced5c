package org.networkspaces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * tests/support/race_peer.py: a scripted server that answers a blocking
 * call's cancel with the value (as a server does when the value won the
 * race) and says on its output where it is: PORT, BLOCKED, CANCELLED.
 */
final class RacePeer implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final int port;

    RacePeer() throws IOException {
        String script = System.getProperty("nws.race.peer");
        if (script == null) throw new IllegalStateException("the system property nws.race.peer is not set (see pom.xml)");
        process = new ProcessBuilder("python3", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IllegalStateException("race_peer.py did not say its port: " + line);
        }
        port = Integer.parseInt(line.substring(5).trim());
    }

    int port() { return port; }

    /** Waits for the peer to print {@code word}. */
    void expect(String word) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals(word)) return;
        }
        fail("race_peer.py ended without printing " + word);
    }

    @Override
    public void close() throws InterruptedException {
        // It ends by itself once the client has gone.
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("race_peer.py did not end after the client left");
        }
    }
}
