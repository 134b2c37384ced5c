package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.networkspaces.NetWorkSpace;
import org.networkspaces.NwsServer;
import org.networkspaces.WsInfo;

/**
 * The manual launch: the master stores the command of one worker in runMe
 * and waits; "a person" (this test) runs it twice in a shell, then deletes
 * deleteMeWhenAllWorkersStarted, and the sleigh works with those two.
 */
class SleighManualLaunchTest {
    @Test
    void workersStartedByHandWithTheRunMeCommandJoin() throws Exception {
        String prefix = "manualtest_" + ProcessHandle.current().pid() + "_";
        try (SleighSupport.Server server = new SleighSupport.Server();
             NwsServer person = new NwsServer(server.host, server.port)) {
            CompletableFuture<Sleigh> starting = CompletableFuture.supplyAsync(() -> new Sleigh(
                    server.options().launch(Launch.manual()).wsNameTemplate(prefix + "%d")));
            String[] ws = new String[1];
            SleighSupport.waitUntil(() -> {
                Optional<String> found =
                        person.listWss().stream().map(WsInfo::name).filter(n -> n.startsWith(prefix)).findFirst();
                found.ifPresent(n -> ws[0] = n);
                return found.isPresent();
            }, Duration.ofSeconds(30), "the sleigh workspace");
            NetWorkSpace w = person.useWs(ws[0]);
            String command = w.find("runMe", String.class, Duration.ofSeconds(30));
            assertTrue(command.contains("JavaSleighNwsName=" + ws[0] + " "), command);
            assertTrue(command.endsWith(" org.networkspaces.sleigh.Worker"), command);

            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(new ProcessBuilder("bash", "-c", command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            SleighSupport.waitUntil(() -> w.findTry("nodeList").map(v -> ((String) v).split(" ").length == 2).orElse(false),
                    Duration.ofSeconds(60), "both workers to join");
            w.deleteVar("deleteMeWhenAllWorkersStarted");

            List<Long> pids;
            try (Sleigh s = starting.get(60, TimeUnit.SECONDS)) {
                assertEquals(command, s.manualCommand());
                assertEquals(0, s.launched());
                assertEquals(new SleighStatus(2, true), s.status(false, Duration.ofSeconds(10)));
                assertEquals(List.of(1, 2, 3), s.eachElem(x -> x + 1, List.of(0, 1, 2)));
                pids = s.workerInfo().stream().map(WorkerInfo::pid).toList();
            }
            for (Process p : workers) assertTrue(p.waitFor(15, TimeUnit.SECONDS), "a manual worker is still running");
            SleighSupport.waitGone(ws[0], pids);
        }
    }
}
