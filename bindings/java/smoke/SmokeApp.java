// The jar smoke test's program (scripts/test-java.sh): compiled and run in an
// empty directory with only nws.jar beside it, `java -cp nws.jar:app.jar SmokeApp PORT`.
import org.networkspaces.NativeLoader;
import org.networkspaces.NetWorkSpace;

import java.util.List;

public class SmokeApp {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        try (NetWorkSpace ws = new NetWorkSpace("smoke", "127.0.0.1", port)) {
            ws.store("greeting", "hello \uD83D\uDE00");
            ws.store("list", (java.io.Serializable) List.of(1, 2, 3));
            String s = ws.fetchString("greeting");
            Object l = ws.fetch("list");
            if (!s.equals("hello \uD83D\uDE00") || !l.equals(List.of(1, 2, 3))) {
                System.err.println("smoke: wrong values: " + s + " " + l);
                System.exit(1);
            }
        }
        // Which file the process really mapped, and where the jar's copy is.
        String mapped = "(none)";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && (line.endsWith("libnwsjni.so") || line.endsWith("other-copy.so"))) {
                    mapped = line.substring(slash);
                    break;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("smoke: ok, mapped " + mapped + " (jar resource "
                + NativeLoader.class.getResource("/native/linux-x86_64/libnwsjni.so") + ")");
    }
}
