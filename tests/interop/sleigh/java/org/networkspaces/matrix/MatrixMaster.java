package org.networkspaces.matrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.networkspaces.sleigh.JobOptions;
import org.networkspaces.sleigh.Sleigh;
import org.networkspaces.sleigh.SleighOptions;
import org.networkspaces.sleigh.SleighStatus;
import org.networkspaces.sleigh.TaskResult;

/**
 * The cross-language sleigh matrix's Java master:
 *
 * <pre>
 * java -cp nws.jar:classes org.networkspaces.matrix.MatrixMaster WORKER_LANG [LOAD]
 * </pre>
 *
 * opens a sleigh on the server in $NWS_HOST/$NWS_PORT, 2 local workers of
 * WORKER_LANG (loading LOAD first when given), runs that language's matrix
 * function over 20 elements (i, i + 0.5, "e" + i, ["a", "b", "c"]), checks
 * every result and that both workers ran some, stops the sleigh, and prints
 * "ok java -> WORKER_LANG: 20 results" (exit 0) or "FAIL reason" (exit 1).
 */
public final class MatrixMaster {
    private static final Map<String, String> FUNCTIONS = Map.of(
            "python", "nws_matrix:combine",
            "r", "combine",
            "java", "org.networkspaces.matrix.Matrix#combine",
            "perl", "NwsMatrix::combine",
            "ruby", "NwsMatrix.combine");
    private static final int COUNT = 20;

    private MatrixMaster() {}

    static final class Failure extends Exception {
        Failure(String reason) { super(reason, null, false, false); }
    }

    public static void main(String[] args) {
        try {
            if (args.length < 1 || !FUNCTIONS.containsKey(args[0].toLowerCase()))
                throw new Failure("usage: MatrixMaster WORKER_LANG [LOAD]");
            String lang = args[0].toLowerCase();
            run(lang, args.length > 1 && !args[1].isEmpty() ? List.of(args[1]) : List.of());
            System.out.println("ok java -> " + lang + ": " + COUNT + " results");
        } catch (Failure f) {
            System.out.println("FAIL " + f.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            System.out.println("FAIL " + e);
            System.exit(1);
        }
    }

    private static void run(String lang, List<String> load) throws Failure {
        String name = FUNCTIONS.get(lang);
        SleighOptions o = SleighOptions.defaults().workerCount(2).language(lang).load(load);
        try (Sleigh s = new Sleigh(o)) {
            SleighStatus st = s.status(false, Duration.ofSeconds(120));
            if (!st.closed() || st.workers() != 2)
                throw new Failure(st.workers() + " of 2 " + lang + " workers joined in 120 s");
            // Once on each worker first: both are then ready, so both get elements.
            List<Object> ready = s.eachWorker(name, element(0));
            if (ready.size() != 2) throw new Failure("eachWorker gave " + ready.size() + " results, not 2");
            for (Object r : ready) check(r, 0, lang, "eachWorker: ");

            List<List<?>> elements = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) elements.add(element(i));
            List<TaskResult<Object>> results =
                    s.eachElemAsync(name, elements, JobOptions.defaults().chunkSize(1)).results();
            TreeSet<Integer> ranks = new TreeSet<>();
            for (int i = 0; i < COUNT; i++) {
                TaskResult<Object> r = results.get(i);
                if (r.index() != i) throw new Failure("result " + i + " is element " + r.index() + "'s");
                if (!r.isOk()) throw new Failure("element " + i + ": " + r.error().workerTrace());
                check(r.value(), i, lang, "");
                ranks.add(r.rank());
            }
            if (!ranks.equals(new TreeSet<>(List.of(0, 1))))
                throw new Failure("only the workers " + ranks + " ran elements, not both");
        }
    }

    /** Element i's arguments: an integer (Long), a real, a string, a list of 3 strings. */
    private static List<?> element(long i) { return List.of(i, i + 0.5, "e" + i, List.of("a", "b", "c")); }

    private static void check(Object r, long i, String lang, String where) throws Failure {
        String at = where + "element " + i + ": ";
        if (!(r instanceof Map<?, ?> m)) throw new Failure(at + "not a map: " + r);
        if (!(m.get("i") instanceof Long v) || v != i + 1)
            throw new Failure(at + "i is " + describe(m.get("i")) + ", not the Long " + (i + 1));
        double x = (i + 0.5) * 2;
        if (!(m.get("x") instanceof Double d) || d != x)
            throw new Failure(at + "x is " + describe(m.get("x")) + ", not the Double " + x);
        if (!("e" + i + "@" + lang).equals(m.get("label"))) throw new Failure(at + "label is " + describe(m.get("label")));
        if (!(m.get("n") instanceof Long n) || n != 3) throw new Failure(at + "n is " + describe(m.get("n")) + ", not 3");
        if (!lang.equals(m.get("lang"))) throw new Failure(at + "lang is " + describe(m.get("lang")));
    }

    private static String describe(Object v) { return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")"; }
}
