package org.networkspaces.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.networkspaces.NwsLocalServer;
import org.networkspaces.NwsServer;
import org.networkspaces.sleigh.Sleigh;
import org.networkspaces.sleigh.SleighOptions;

/**
 * The Java sleigh's throughput on trivial tasks (x -> x + 1) on 2 local
 * Java workers, eachElem with the core's automatic chunking, best of 3
 * after a warm-up: once as a lambda (Java-serialised), once as a named
 * static method (portable arguments and results).  Prints two table rows:
 *
 *   | Java sleigh (lambdas) | 1234567 |
 *   | Java sleigh (named static method) | 234567 |
 *
 * java -cp nws.jar:classes org.networkspaces.bench.SleighBench [--tasks N] [--workers N] [--repeat N]
 * (bench/sleigh/java/run.sh compiles and runs it).  The server:
 * $NWS_HOST/$NWS_PORT when set, else one inside this process.
 */
public final class SleighBench {
    private SleighBench() {}

    /** The named task: the workers find it on the class path the master gives them (its own). */
    public static long inc(long x) { return x + 1; }

    public static void main(String[] args) {
        int tasks = 100_000, workers = 2, repeat = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--tasks" -> tasks = v;
                case "--workers" -> workers = v;
                case "--repeat" -> repeat = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String port = System.getenv("NWS_PORT");
        if (port == null || port.isEmpty()) {
            try (NwsLocalServer local = NwsServer.startLocal()) {
                run(SleighOptions.defaults().server(local.host(), local.port()), tasks, workers, repeat);
            }
        } else {
            run(SleighOptions.defaults(), tasks, workers, repeat);
        }
    }

    private static void run(SleighOptions base, int tasks, int workers, int repeat) {
        List<Long> xs = IntStream.range(0, tasks).mapToObj(i -> (long) i).toList();
        List<Long> expected = xs.stream().map(x -> x + 1).toList();
        List<List<?>> named = new ArrayList<>(tasks);
        for (long x : xs) named.add(List.of(x));
        String inc = SleighBench.class.getName() + "#inc";
        try (Sleigh s = new Sleigh(base.workerCount(workers))) {
            s.status(false, Duration.ofSeconds(60));
            // Warm up: every worker has loaded both tasks, and the JITs have seen them.
            s.eachElem(x -> x + 1, xs.subList(0, Math.min(tasks, 10_000)));
            s.eachElem(inc, named.subList(0, Math.min(tasks, 10_000)));
            double lambdas = 0, methods = 0;
            for (int r = 0; r < repeat; r++) {
                long t = System.nanoTime();
                List<Long> got = s.eachElem(x -> x + 1, xs);
                lambdas = Math.max(lambdas, tasks / ((System.nanoTime() - t) / 1e9));
                if (!got.equals(expected)) throw new IllegalStateException("wrong results from the lambdas");
                t = System.nanoTime();
                List<Object> byName = s.eachElem(inc, named);
                methods = Math.max(methods, tasks / ((System.nanoTime() - t) / 1e9));
                if (!byName.equals(expected)) throw new IllegalStateException("wrong results by name");
            }
            System.out.printf("| Java sleigh (lambdas) | %d |%n", (long) lambdas);
            System.out.printf("| Java sleigh (named static method) | %d |%n", (long) methods);
        }
    }
}
