package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers against real services, with Java workers: ssh (plain and
 * with a reverse tunnel) to $NWS_SLEIGH_SSH_NODE, and SLURM (sbatch from
 * outside an allocation, srun steps inside one).  scripts/test-sleigh.sh
 * starts the sshd and the one-node SLURM and runs these through
 * tests/sleigh_launchers/java.sh; they are not part of the ordinary build
 * (pom.xml leaves the "launchers" tag out).
 */
@Tag("launchers")
class SleighLaunchTest {
    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) throw new IllegalStateException(name + " is not set (scripts/test-sleigh.sh sets it)");
        return v;
    }

    /** Runs a little work on a sleigh of 2 workers on {@code node}; the workers' pids. */
    private static List<Long> work(Sleigh s, String node) {
        assertEquals(new SleighStatus(2, true), s.status(false, Duration.ofSeconds(120)));
        List<WorkerInfo> info = s.workerInfo();
        if (node != null) assertEquals(List.of(node + "@0", node + "@1"), info.stream().map(WorkerInfo::name).toList());
        List<Integer> xs = IntStream.range(0, 20).boxed().toList();
        assertEquals(xs.stream().map(x -> x * 2).toList(), s.eachElem(x -> x * 2, xs));
        assertEquals(List.of(0, 1), s.eachWorker(Worker::rank));
        return info.stream().map(WorkerInfo::pid).toList();
    }

    @Test
    void sshStartsJavaWorkersThroughSshd() throws Exception {
        String node = required("NWS_SLEIGH_SSH_NODE");
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            String ws;
            List<Long> pids;
            try (Sleigh s = new Sleigh(server.options().launch(Launch.ssh(List.of(node, node))))) {
                ws = s.wsName();
                pids = work(s, node);
            }
            SleighSupport.waitGone(ws, pids);
        }
    }

    @Test
    void sshForwardReachesTheServerThroughAReverseTunnel() throws Exception {
        String node = required("NWS_SLEIGH_SSH_NODE");
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            int tunnel;  // picked while the server listens, so never the server's own port
            try (ServerSocket free = new ServerSocket(0)) {
                tunnel = free.getLocalPort();  // nothing listens there but the tunnel's remote end
            }
            String ws;
            List<Long> pids;
            try (Sleigh s = new Sleigh(server.options().launch(Launch.sshForward(List.of(node, node), null, tunnel)))) {
                ws = s.wsName();
                pids = work(s, node);
                String env = Files.readString(Path.of("/proc/" + pids.get(0) + "/environ"), StandardCharsets.ISO_8859_1);
                assertTrue(env.contains("JavaSleighNwsPort=" + tunnel + "\0"), "the worker was not told the tunnel's port");
                assertFalse(env.contains("JavaSleighNwsPort=" + server.port + "\0"));
            }
            SleighSupport.waitGone(ws, pids);
        }
    }

    @Test
    void sbatchFromOutsideAnAllocation(@TempDir Path logs) throws Exception {
        required("SLURM_CONF");
        if (System.getenv("SLURM_JOB_ID") != null) throw new IllegalStateException("run outside a SLURM allocation");
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            String ws;
            List<Long> pids;
            try (Sleigh s = new Sleigh(server.options().launch(Launch.slurm()).workerCount(2).logDir(logs.toString()))) {
                ws = s.wsName();
                pids = work(s, null);
                assertEquals(List.of(0, 1), s.workerInfo().stream().map(WorkerInfo::id).sorted().toList());
            }
            SleighSupport.waitGone(ws, pids);
            Process q = new ProcessBuilder("squeue", "--noheader", "--name", ws).redirectErrorStream(true).start();
            String queued = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(q.waitFor(30, TimeUnit.SECONDS));
            assertEquals("", queued);
            List<String> files = new ArrayList<>();
            try (var l = Files.list(logs)) {
                l.forEach(p -> files.add(p.getFileName().toString()));
            }
            assertEquals(List.of(ws + ".txt", ws + "_0000.txt", ws + "_0001.txt"), files.stream().sorted().toList());
        }
    }

    @Test
    void srunStepsInsideAnAllocation() throws IOException, InterruptedException {
        required("SLURM_CONF");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("salloc", "--ntasks=2", java, "-cp", System.getProperty("java.class.path"),
                SlurmMaster.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "salloc did not end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("status 2 true\n"), out);
        assertTrue(out.contains("sum " + IntStream.range(0, 100).map(x -> x * x).sum() + "\n"), out);
        assertTrue(out.contains("ranks [0, 1]\n"), out);
    }
}
