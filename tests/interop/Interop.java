// The Java side of the interop matrix (same commands as interop.py):
//   java -cp nws.jar:. Interop PORT WS write VECDIR | read VECDIR WRITER |
//                                 block VAR EXPECTED | store VAR VALUE
// Prints one "ok ..." or "FAIL ..." line per check.
import org.networkspaces.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
}
