// The jar smoke test's program (scripts/test-java.sh): compiled and run in an
// empty directory with only nws.jar beside it, `java -cp nws.jar:app.jar
// SmokeApp`.  It needs no nws-server: it starts the embedded one.
import org.networkspaces.NativeLoader;
import org.networkspaces.NetWorkSpace;
import org.networkspaces.NwsLocalServer;
import org.networkspaces.NwsServer;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class SmokeApp {
    public static void main(String[] args) {
        try (NwsLocalServer local = NwsServer.startLocal();
             NetWorkSpace ws = new NetWorkSpace("smoke", local.host(), local.port())) {
            ws.store("greeting", "hello \uD83D\uDE00");
            ws.store("list", (Serializable) List.of(1, 2, 3));
            String s = ws.fetchString("greeting");
            Object l = ws.fetch("list");
            if (!s.equals("hello \uD83D\uDE00") || !l.equals(List.of(1, 2, 3))) {
                System.err.println("smoke: wrong values: " + s + " " + l);
                System.exit(1);
            }
        }
        // The jar's manifest carries the version the library reports (core/VERSION).
        String jarVersion = NwsServer.class.getPackage().getImplementationVersion();
        if (!NwsServer.version().equals(jarVersion)) {
            System.err.println("smoke: the jar says version " + jarVersion + ", the library " + NwsServer.version());
            System.exit(1);
        }
        // Which file the process really mapped, and where the jar's copy is.
        String mapped = "(none)";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && (line.endsWith("libnwsjni.so") || line.endsWith("other-copy.so"))) {
                    mapped = line.substring(slash);
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("smoke: ok, version " + jarVersion + ", mapped " + mapped + " (jar resource "
                + NativeLoader.class.getResource("/native/linux-x86_64/libnwsjni.so") + ")");
    }
}
