package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/**
 * Fault tolerance against a real server: a worker SIGKILLed in the middle
 * of a job, whose tasks the others then run, so that every element has
 * exactly one result; and a stopped sleigh leaves no process behind.
 */
class SleighFaultTest {
    private static final int ELEMENTS = 120;

    @Test
    void aKilledWorkersTasksRunElsewhereAndEveryResultArrivesOnce() throws Exception {
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            String ws;
            List<Long> pids;
            try (Sleigh s = new Sleigh(server.options().workerCount(3))) {
                assertEquals(new SleighStatus(3, true), s.status(false, Duration.ofSeconds(60)));
                ws = s.wsName();
                pids = s.workerInfo().stream().map(WorkerInfo::pid).toList();
                long victim = s.workerInfo().get(1).pid();

                // Named slow tasks, one per chunk: every worker holds some when one dies.
                List<List<?>> args = new ArrayList<>();
                for (long i = 0; i < ELEMENTS; i++) args.add(List.of(i));
                SleighJob<Object> job = s.eachElemAsync("org.networkspaces.sleigh.TestTasks#slowly", args,
                        JobOptions.defaults().chunkSize(1));
                SleighSupport.waitUntil(() -> job.remaining() < ELEMENTS - 10, Duration.ofSeconds(60),
                        "the first results");
                assertTrue(job.remaining() > 20, "the job ended before the kill: " + job.remaining() + " left");
                ProcessHandle.of(victim).orElseThrow().destroyForcibly();  // SIGKILL

                List<TaskResult<Object>> results = job.results();
                assertEquals(ELEMENTS, results.size());
                for (int i = 0; i < ELEMENTS; i++) {
                    TaskResult<Object> r = results.get(i);
                    assertEquals(i, r.index());
                    assertTrue(r.isOk(), () -> "element " + r.index() + ": " + r.error().workerTrace());
                    assertEquals((long) i + 1, r.value());
                }
                SleighSupport.waitUntil(() -> s.workersAlive() == 2, Duration.ofSeconds(10), "the master to see the death");
                SleighSupport.waitUntil(() -> !SleighSupport.alive(victim), Duration.ofSeconds(10), "the killed worker to go");

                // The sleigh goes on with the two.
                assertEquals(LongStream.range(1, 31).boxed().toList(),
                        s.eachElem(x -> x + 1, LongStream.range(0, 30).boxed().toList()));
                assertEquals(List.of(0, 2), s.eachWorker(Worker::rank));
            }
            SleighSupport.waitGone(ws, pids);
        }
    }

    @Test
    void closingWithTasksInFlightFailsThemAndLeavesNoProcess() throws Exception {
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            Sleigh s = new Sleigh(server.options().workerCount(2).stopTimeout(Duration.ofSeconds(5)));
            assertEquals(new SleighStatus(2, true), s.status(false, Duration.ofSeconds(60)));
            String ws = s.wsName();
            List<Long> pids = s.workerInfo().stream().map(WorkerInfo::pid).toList();
            SleighJob<Long> job = s.eachElemAsync(x -> TestTasks.pause(x, 100), LongStream.range(0, 200).boxed().toList(),
                    JobOptions.defaults().chunkSize(1));
            SleighSupport.waitUntil(() -> job.remaining() < 196, Duration.ofSeconds(60), "the first results");
            s.close();
            SleighSupport.waitGone(ws, pids);
            List<TaskResult<Long>> results = job.results();
            long failed = results.stream().filter(r -> !r.isOk()).count();
            assertTrue(failed > 0, "every task finished before the stop");
            for (TaskResult<Long> r : results) {
                if (r.isOk()) assertEquals(r.index(), r.value());
                else assertTrue(r.error().workerTrace().contains("stopped"), r.error().workerTrace());
            }
        }
    }
}
