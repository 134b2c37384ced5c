// The Java side of the interop matrix (same commands as interop.py):
//   java -cp nws.jar:. Interop PORT WS write VECDIR | read VECDIR WRITER |
//                                 block VAR EXPECTED | store VAR VALUE |
//                                 pwrite CASESFILE | pread WRITER CASESFILE
// Prints one "ok ..." or "FAIL ..." line per check.
import org.networkspaces.*;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

public class Interop {
    static final String ME = "Java";
    static final String[][] VECTORS = {
        {"ascii", "ascii.txt", "text"}, {"utf8", "utf8.txt", "text"}, {"empty", "empty.txt", "text"},
        {"binary", "binary.bin", "binary"}, {"large", "large.bin", "binary"}};

    static ArrayList<Integer> nativeValue() { return new ArrayList<>(List.of(42, 1, 2, 3)); }

    static void report(boolean ok, String what) { System.out.println((ok ? "ok " : "FAIL ") + what); }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String wsName = args[1], mode = args[2];
        try (NwsServer server = new NwsServer("127.0.0.1", port)) {
            NetWorkSpace ws = server.useWs(wsName);
            switch (mode) {
                case "write" -> {
                    for (String[] v : VECTORS) {
                        byte[] b = Files.readAllBytes(Path.of(args[3], v[1]));
                        if (v[2].equals("text")) ws.store(ME + "_" + v[0], new String(b, StandardCharsets.UTF_8));
                        else ws.store(ME + "_" + v[0], b);
                    }
                    ws.store(ME + "_native", nativeValue());
                }
                case "read" -> read(ws, args[3], args[4]);
                case "block" -> {
                    try {
                        Object got = ws.fetch(args[3], Duration.ofSeconds(20));
                        report(args[4].equals(got), ME + " blocked fetch released with '" + got + "'");
                    } catch (NwsException e) {
                        report(false, ME + " blocked fetch: " + e);
                    }
                }
                case "store" -> ws.store(args[3], args[4]);
                case "pwrite" -> Portables.write(ws, args[3]);
                case "pread" -> Portables.read(ws, args[3], args[4]);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    static void read(NetWorkSpace ws, String vecdir, String writer) throws Exception {
        Duration t = Duration.ofSeconds(10);
        for (String[] v : VECTORS) {
            byte[] want = Files.readAllBytes(Path.of(vecdir, v[1]));
            String what = ME + " reads " + writer + " " + v[0];
            try {
                Object got = ws.find(writer + "_" + v[0], t);
                boolean ok = v[2].equals("text")
                    ? got instanceof String s && Arrays.equals(s.getBytes(StandardCharsets.UTF_8), want)
                    : got instanceof byte[] b && Arrays.equals(b, want);
                report(ok, what + (ok ? "" : " (got " + (got == null ? "null" : got.getClass().getName()) + ")"));
            } catch (RuntimeException e) {
                report(false, what + ": " + e);
            }
        }
        String what = ME + " reads " + writer + " native";
        try {
            Object got = ws.find(writer + "_native", t);
            report(writer.equals(ME) && nativeValue().equals(got), what + " (got " + got + ")");
        } catch (NwsSerialisationException e) {
            boolean names = Pattern.compile("\\b" + Pattern.quote(writer) + "\\b").matcher(String.valueOf(e.getMessage())).find();
            report(!writer.equals(ME) && names, what + ": error names " + writer + ": " + e.getMessage());
        } catch (RuntimeException e) {
            report(false, what + ": " + e);
        }
    }

    /**
     * The portable cases of portable_cases.md: each built natively here,
     * stored by pwrite, and compared by pread with what WRITER stored:
     * deep equality, integer arrays by value whatever their width, doubles
     * bit for bit (NaN, -0.0 and R's NA payload count).
     */
    static final class Portables {
        static final Instant TS = Instant.parse("2026-12-06T15:54:34.123456Z");
        static final Object UNKNOWN = new Object();  // a case this program has no value for

        /** Case name -> {not written by, read error in}: the rows of the cases file's table. */
        static Map<String, List<Set<String>>> table(String casesFile) throws Exception {
            Map<String, List<Set<String>>> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of(casesFile))) {
                if (!line.startsWith("| ") || line.startsWith("| case ")) continue;
                String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
                rows.put(cells[0].trim(), List.of(names(cells[2]), names(cells[3])));
            }
            return rows;
        }

        static Set<String> names(String cell) {
            return Set.of(Arrays.stream(cell.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toArray(String[]::new));
        }

        /** The case as Java builds it, or UNKNOWN. */
        static Object build(String name) {
            Map<String, Object> map = new LinkedHashMap<>(), nested = new LinkedHashMap<>();
            map.put("alpha", 1L);
            map.put("beta", "b");
            map.put("gamma", 2.5);
            nested.put("empty_list", List.of());
            nested.put("empty_map", Map.of());
            nested.put("inner", List.of(1L, List.of("x", true)));  // mixed: a list in every language
            return switch (name) {
                case "null" -> null;
                case "true" -> true;
                case "small_int" -> 42L;
                case "int" -> -1234567890123L;
                case "real" -> 3.25;
                case "string" -> "héllo, wörld ✓ 你好";
                case "bytes" -> new byte[] {0, 1, (byte) 0xfe, (byte) 0xff};
                case "list" -> Arrays.asList(1L, "two", 3.5, null, true);
                case "map" -> map;
                case "nested" -> nested;
                case "f64vec" -> new double[] {1.5, -2.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
                case "i64vec" -> new long[] {1, -2, 1L << 40, -(1L << 53)};
                case "i64big" -> new long[] {1L << 62, 1};
                case "i32vec" -> new int[] {1, -2, 2147483647, -2147483647};
                case "boolvec" -> new boolean[] {true, false, true};
                case "strvec" -> new String[] {"a", "β", ""};
                case "missing" -> new Integer[] {1, null, 3};
                case "timestamp" -> TS;
                case "tsvec" -> new Instant[] {Instant.EPOCH, TS};
                case "table" -> new Table().put("x", new double[] {1.5, 2.5, 3.5}).put("n", new int[] {1, 2, 3})
                        .put("s", new String[] {"a", "b", "c"}).put("b", new boolean[] {true, false, true});
                default -> UNKNOWN;
            };
        }

        static void write(NetWorkSpace ws, String casesFile) throws Exception {
            for (Map.Entry<String, List<Set<String>>> c : table(casesFile).entrySet()) {
                if (c.getValue().get(0).contains(ME)) continue;
                Object value = build(c.getKey());
                if (value == UNKNOWN) throw new IllegalStateException("no Java value for case " + c.getKey());
                ws.store(ME + "_p_" + c.getKey(), value, Portable.YES);
            }
        }

        static void read(NetWorkSpace ws, String writer, String casesFile) throws Exception {
            for (Map.Entry<String, List<Set<String>>> c : table(casesFile).entrySet()) {
                String name = c.getKey(), var = writer + "_p_" + name;
                String what = ME + " reads " + writer + "'s portable " + name;
                try {
                    if (c.getValue().get(0).contains(writer)) {
                        Optional<Object> got = ws.findTry(var);
                        report(got.isEmpty(), what + ": " + writer + " has no such value, nothing stored"
                                + got.map(g -> " (found " + show(g) + ")").orElse(""));
                    } else if (c.getValue().get(1).contains(ME)) {
                        try {
                            report(false, what + ": expected an error, read " + show(ws.find(var, Duration.ofSeconds(10))));
                        } catch (NwsSerialisationException e) {
                            report(true, what + ": refused (" + e.getMessage() + ")");
                        }
                    } else {
                        Object want = build(name);
                        if (want == UNKNOWN) {
                            report(false, what + ": no Java value for this case");
                            continue;
                        }
                        Object got = ws.find(var, Duration.ofSeconds(10));
                        report(same(want, got), what + " (got " + show(got) + ")");
                    }
                } catch (RuntimeException e) {
                    report(false, what + ": " + e);
                }
            }
        }

        static boolean same(Object want, Object got) {
            if (want == null || got == null) return want == got;
            if (want instanceof Double w) return got instanceof Double g && Double.doubleToRawLongBits(w) == Double.doubleToRawLongBits(g);
            if (want instanceof Long w) return w.equals(got);  // every integer reads as a Long
            if (integers(want)) return integers(got) && Arrays.equals(longs(want), longs(got));
            if (want instanceof double[] || want instanceof Double[]) {
                if (!(got instanceof double[] || got instanceof Double[]) || Array.getLength(got) != Array.getLength(want)) return false;
                for (int i = 0; i < Array.getLength(want); i++) if (!same(Array.get(want, i), Array.get(got, i))) return false;
                return true;
            }
            if (want instanceof boolean[] w) return got instanceof boolean[] g && Arrays.equals(w, g);
            if (want instanceof byte[] w) return got instanceof byte[] g && Arrays.equals(w, g);
            if (want instanceof Object[] w) return got.getClass() == w.getClass() && Arrays.equals(w, (Object[]) got);
            if (want instanceof List<?> w) {
                if (!(got instanceof List<?> g) || g.size() != w.size()) return false;
                for (int i = 0; i < w.size(); i++) if (!same(w.get(i), g.get(i))) return false;
                return true;
            }
            if (want instanceof Map<?, ?> w) {
                if (!(got instanceof Map<?, ?> g) || !new ArrayList<>(g.keySet()).equals(new ArrayList<>(w.keySet()))) return false;
                for (Object k : w.keySet()) if (!same(w.get(k), g.get(k))) return false;
                return true;
            }
            if (want instanceof Table w) {
                if (!(got instanceof Table g) || !g.names().equals(w.names())) return false;
                for (String n : w.names()) if (!same(w.get(n), g.get(n))) return false;
                return true;
            }
            return got.getClass() == want.getClass() && want.equals(got);
        }

        /** Integer arrays, of any width, with or without missing elements. */
        static boolean integers(Object v) {
            return v instanceof int[] || v instanceof long[] || v instanceof Integer[] || v instanceof Long[];
        }

        /** An integer array as Longs (nulls for missing). */
        static Long[] longs(Object v) {
            Long[] out = new Long[Array.getLength(v)];
            for (int i = 0; i < out.length; i++) {
                Object e = Array.get(v, i);
                out[i] = e == null ? null : ((Number) e).longValue();
            }
            return out;
        }

        static String show(Object v) {
            if (v == null) return "null";
            String s = String.valueOf(v);
            if (v.getClass().isArray()) {
                s = Arrays.deepToString(new Object[] {v});  // "[[1, 2]]": any array, primitive or not
                s = s.substring(1, s.length() - 1);
            }
            return v.getClass().getSimpleName() + " " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
        }
    }
}
