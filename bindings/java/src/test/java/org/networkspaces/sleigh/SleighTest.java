package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.networkspaces.NwsInvalidArgumentException;
import org.networkspaces.NwsSerialisationException;

/**
 * The Java sleigh against a real nws-server with two local Java workers:
 * lambdas and named functions, failures, eachWorker, the non-blocking,
 * executor and stream faces, status, and nothing left running after close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SleighTest {
    private SleighSupport.Server server;
    private Sleigh sleigh;
    private List<Long> workerPids;

    @BeforeAll
    void start() throws Exception {
        server = new SleighSupport.Server();
        sleigh = new Sleigh(server.options().workerCount(2));
        assertEquals(new SleighStatus(2, true), sleigh.status(false, Duration.ofSeconds(60)));
        workerPids = sleigh.workerInfo().stream().map(WorkerInfo::pid).toList();
    }

    @AfterAll
    void stop() throws Exception {
        String ws = sleigh.wsName();
        sleigh.close();
        sleigh.close();  // idempotent
        assertTrue(sleigh.isClosed());
        SleighSupport.waitGone(ws, workerPids);
        server.close();
    }

    private static List<Integer> range(int n) { return IntStream.range(0, n).boxed().toList(); }

    @Test
    void eachElemRunsALambdaOnEveryElementInOrder() {
        List<Integer> got = sleigh.eachElem(x -> x * 3 + 1, range(25));
        assertEquals(range(25).stream().map(x -> x * 3 + 1).toList(), got);
    }

    @Test
    void aLambdaTakesWhatItCapturesAlong() {
        String prefix = "item-";
        long offset = 1000;
        List<String> got = sleigh.eachElem(x -> prefix + (x + offset), range(5));
        assertEquals(List.of("item-1000", "item-1001", "item-1002", "item-1003", "item-1004"), got);
    }

    @Test
    void aBiFunctionGetsTheFixedArgument() {
        List<Integer> got = sleigh.eachElem((Integer x, Integer k) -> x * k, range(6), 7);
        assertEquals(List.of(0, 7, 14, 21, 28, 35), got);
    }

    @Test
    void anEmptyCollectionGivesAnEmptyList() {
        assertEquals(List.of(), sleigh.eachElem(x -> x, List.<Integer>of()));
    }

    @Test
    void aNamedStaticMethodRunsWithPortableArguments() {
        List<List<?>> args = LongStream.range(0, 30).mapToObj(i -> List.<Object>of(i)).collect(Collectors.toList());
        List<Object> got = sleigh.eachElem("org.networkspaces.sleigh.TestTasks#square", args);
        assertEquals(LongStream.range(0, 30).mapToObj(i -> (Object) (i * i)).toList(), got);
        // The overload whose parameters fit; an integer goes to an int parameter.
        assertEquals(List.of("string x", "double 2.5"),
                sleigh.eachElem("org.networkspaces.sleigh.TestTasks#describe", List.of(List.of("x"), List.of(2.5))));
        assertEquals(List.of(7.5), sleigh.eachElem("org.networkspaces.sleigh.TestTasks#scale", List.of(List.of(2.5, 3L))));
        assertEquals(List.of(6L),
                sleigh.eachElem("org.networkspaces.sleigh.TestTasks#total", List.of(List.of(List.of(1L, 2L, 3L)))));
    }

    @Test
    void aTaskThatThrowsFailsItsElementOnly() {
        SleighJob<Integer> job = sleigh.eachElemAsync(x -> {
            if (x % 7 == 3) throw new IllegalStateException("boom " + x);
            return x + 1;
        }, range(20));
        List<TaskResult<Integer>> results = job.results();
        for (TaskResult<Integer> r : results) {
            assertEquals(results.indexOf(r), (int) r.index());
            if (r.index() % 7 == 3) {
                assertFalse(r.isOk());
                SleighTaskException e = r.error();
                assertEquals(r.index(), e.index());
                assertTrue(e.rank() == 0 || e.rank() == 1, "rank " + e.rank());
                assertTrue(e.workerTrace().startsWith("java.lang.IllegalStateException: boom " + r.index()), e.workerTrace());
                assertTrue(e.workerTrace().contains("\n\tat org.networkspaces.sleigh.SleighTest"), e.workerTrace());
                assertThrows(SleighTaskException.class, r::get);
            } else {
                assertEquals((int) r.index() + 1, r.get());
            }
        }
        // The blocking face throws the lowest index's failure, the others suppressed on it.
        SleighTaskException e = assertThrows(SleighTaskException.class, job::join);
        assertEquals(3, e.index());
        assertEquals(List.of(10L, 17L), List.of(e.getSuppressed()).stream().map(s -> ((SleighTaskException) s).index()).toList());
        assertTrue(e.getMessage().startsWith("task 3 on worker "), e.getMessage());
        SleighTaskException thrown = assertThrows(SleighTaskException.class, () -> sleigh.eachElem(x -> 10 / x, range(3)));
        assertEquals(0, thrown.index());
        assertTrue(thrown.workerTrace().startsWith("java.lang.ArithmeticException: / by zero"), thrown.workerTrace());
    }

    @Test
    void eachWorkerRunsOnceOnEveryWorker() {
        List<Integer> ranks = sleigh.eachWorker(Worker::rank);
        assertEquals(List.of(0, 1), ranks);
        assertEquals(List.of(2, 2), sleigh.eachWorker(Worker::workerCount));
        List<Object> named = sleigh.eachWorker("org.networkspaces.sleigh.TestTasks#whoAmI", List.of());
        assertEquals(List.of(Map.of("rank", 0L, "count", 2L), Map.of("rank", 1L, "count", 2L)), named);
        // Outside a worker there is no rank.
        assertEquals(-1, Worker.rank());
    }

    @Test
    void anAsyncJobRunsWhileTheMasterGoesOn() throws Exception {
        SleighJob<Integer> job = sleigh.eachElemAsync(x -> x * 2, range(50));
        assertEquals(50, job.size());
        CompletableFuture<Integer> sum = job.future().thenApply(l -> l.stream().mapToInt(Integer::intValue).sum());
        CompletableFuture<String> third = job.futures().get(3).thenApply(v -> "third is " + v);
        assertEquals(2 * 49 * 50 / 2, sum.get(60, TimeUnit.SECONDS));
        assertEquals("third is 6", third.get(60, TimeUnit.SECONDS));
        assertEquals(range(50).stream().map(x -> x * 2).toList(), job.join());
        assertEquals(0, job.remaining());
        assertTrue(job.isDone());
    }

    @Test
    void submitAndInvokeAllGiveCompletableFutures() throws Exception {
        CompletableFuture<String> hello = sleigh.submit(() -> "hello from " + Worker.rank());
        assertTrue(hello.get(60, TimeUnit.SECONDS).matches("hello from [01]"));
        CompletableFuture<Void> nothing = sleigh.submit((SerializableRunnable) () -> { });
        assertNull(nothing.get(60, TimeUnit.SECONDS));

        List<SerializableCallable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int k = i;
            tasks.add(() -> k * k);
        }
        List<CompletableFuture<Integer>> done = sleigh.invokeAll(tasks);
        assertTrue(done.stream().allMatch(CompletableFuture::isDone));
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), done.stream().map(CompletableFuture::join).toList());

        CompletableFuture<Integer> failing = sleigh.submit(() -> Integer.parseInt("not a number"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(60, TimeUnit.SECONDS));
        SleighTaskException cause = assertInstanceOf(SleighTaskException.class, e.getCause());
        assertTrue(cause.workerTrace().startsWith("java.lang.NumberFormatException"), cause.workerTrace());
    }

    @Test
    void theExecutorIsAnExecutorServiceWithAnHonestShutdown() throws Exception {
        ExecutorService ex = sleigh.executor();
        Future<Integer> f = ex.submit((SerializableCallable<Integer>) () -> 6 * 7);
        assertEquals(42, f.get(60, TimeUnit.SECONDS));
        List<Callable<Integer>> tasks = List.of((SerializableCallable<Integer>) () -> 1, (SerializableCallable<Integer>) () -> 2);
        assertEquals(List.of(1, 2), ex.invokeAll(tasks).stream().map(x -> {
            try {
                return x.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList());
        int any = ex.invokeAny(List.of((SerializableCallable<Integer>) () -> { throw new IllegalStateException("no"); },
                (SerializableCallable<Integer>) () -> 5));
        assertEquals(5, any);

        Callable<Integer> notSerializable = () -> 1;
        RejectedExecutionException r = assertThrows(RejectedExecutionException.class, () -> ex.submit(notSerializable));
        assertTrue(r.getMessage().contains("Serializable"), r.getMessage());

        assertFalse(ex.isShutdown());
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> ex.submit((SerializableCallable<Integer>) () -> 1));
        // The sleigh itself goes on.
        assertEquals(List.of(1), sleigh.eachElem(x -> x + 1, List.of(0)));
    }

    @Test
    void mapIsALazyOrderedStream() {
        AtomicInteger read = new AtomicInteger();
        Stream<Integer> endless = Stream.iterate(0, i -> i + 1).peek(i -> read.incrementAndGet());
        JobOptions paced = JobOptions.defaults().chunkSize(5).loadFactor(1);
        List<Integer> squares;
        try (Stream<Integer> results = sleigh.map(endless, x -> x * x, paced)) {
            squares = results.limit(10).toList();
        }
        assertEquals(IntStream.range(0, 10).map(x -> x * x).boxed().toList(), squares);
        // Read ahead only under the load factor: the 10 taken, a chunk being filled, and
        // at most one chunk per worker in flight.
        assertTrue(read.get() <= 10 + 5 + 2 * 5 + 5, "read " + read.get() + " elements of an endless stream");

        List<Object> named = sleigh.map("org.networkspaces.sleigh.TestTasks#square",
                LongStream.range(0, 100).mapToObj(i -> List.<Object>of(i)), JobOptions.defaults()).toList();
        assertEquals(LongStream.range(0, 100).mapToObj(i -> (Object) (i * i)).toList(), named);

        Stream<Integer> failing = sleigh.map(List.of(1, 0, 2), x -> 6 / x);
        SleighTaskException e = assertThrows(SleighTaskException.class, failing::toList);
        assertEquals(1, e.index());
    }

    @Test
    void statusAndWorkerInfoDescribeTheGroup() {
        assertEquals(new SleighStatus(2, true), sleigh.status(true, Duration.ZERO));
        assertEquals(2, sleigh.workersAlive());
        assertEquals(2, sleigh.launched());
        assertEquals("java", sleigh.language());
        List<WorkerInfo> info = sleigh.workerInfo();
        assertEquals(List.of(0, 1), info.stream().map(WorkerInfo::rank).toList());
        Set<Integer> ids = new HashSet<>();
        for (WorkerInfo w : info) {
            assertTrue(w.language().startsWith("Java "), w.language());
            assertTrue(SleighSupport.alive(w.pid()), "worker " + w.rank() + " pid " + w.pid());
            assertTrue(w.name().endsWith("@" + w.rank()), w.name());
            ids.add(w.id());
            assertEquals(Long.toString(w.pid()), w.fields().get("pid"));
        }
        assertEquals(Set.of(0, 1), ids);
        assertTrue(sleigh.wsName().startsWith("sleigh_ride_"), sleigh.wsName());
        assertTrue(sleigh.userWsName().startsWith("sleigh_user_"), sleigh.userWsName());
    }

    @Test
    void badNamesAndWrongTypesSayWhatIsWrong() {
        NwsInvalidArgumentException form = assertThrows(NwsInvalidArgumentException.class,
                () -> sleigh.eachElem("TestTasks.square", List.of(List.of(1L))));
        assertTrue(form.getMessage().contains("package.Class#method"), form.getMessage());

        SleighTaskException missing = assertThrows(SleighTaskException.class,
                () -> sleigh.eachElem("org.nowhere.Missing#f", List.of(List.of(1L))));
        assertTrue(missing.workerTrace().contains("the class org.nowhere.Missing"), missing.workerTrace());

        SleighTaskException noMethod = assertThrows(SleighTaskException.class,
                () -> sleigh.eachElem("org.networkspaces.sleigh.TestTasks#nothing", List.of(List.of(1L))));
        assertTrue(noMethod.workerTrace().contains("has no public static method nothing"), noMethod.workerTrace());

        SleighTaskException types = assertThrows(SleighTaskException.class,
                () -> sleigh.eachElem("org.networkspaces.sleigh.TestTasks#square", List.of(List.of("seven"))));
        assertTrue(types.workerTrace().contains("takes 1 argument of types (String)"), types.workerTrace());
        assertTrue(types.workerTrace().contains("TestTasks.square(long)"), types.workerTrace());

        SleighTaskException arity = assertThrows(SleighTaskException.class,
                () -> sleigh.eachElem("org.networkspaces.sleigh.TestTasks#square", List.of(List.of(1L, 2L))));
        assertTrue(arity.workerTrace().contains("takes 2 arguments"), arity.workerTrace());

        Object lock = new Object();  // not serialisable, captured
        NwsSerialisationException capture = assertThrows(NwsSerialisationException.class,
                () -> sleigh.eachElem(x -> lock.hashCode() + x, range(2)));
        assertTrue(capture.getMessage().contains("is not Serializable"), capture.getMessage());

        NwsSerialisationException portable = assertThrows(NwsSerialisationException.class,
                () -> sleigh.eachElem("org.networkspaces.sleigh.TestTasks#square", List.of(List.of(new Object()))));
        assertTrue(portable.getMessage().contains("portable"), portable.getMessage());

        assertThrows(NwsInvalidArgumentException.class,
                () -> new Sleigh(server.options().language("cobol").workerCount(1)));
    }

    @Test
    void theProgressDisplayCountsTheResults() {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            sleigh.eachElem(x -> x, range(30), JobOptions.defaults().progress(true));
        } finally {
            System.setErr(saved);
        }
        String shown = buf.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("\reachElem: 30/30 done 100%"), shown);
        assertTrue(shown.endsWith("\n"), shown);
    }
}
