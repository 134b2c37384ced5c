package org.networkspaces.sleigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.networkspaces.NwsInvalidArgumentException;

/**
 * A Java master with Python workers, running the matrix's
 * {@code nws_matrix:combine} (tests/interop/sleigh/python) by name.  Runs
 * when $NWS_SLEIGH_PYTHON names a Python with the nws package (pom.xml's
 * python-workers profile); the matrix (tests/interop/sleigh/run.sh) covers
 * every pair either way.
 */
@Tag("python-workers")
class SleighPythonTest {
    @Test
    void aJavaMasterRunsAPythonFunctionByName() throws Exception {
        Path dir = Path.of(System.getProperty("nws.interop.sleigh"), "python");
        try (SleighSupport.Server server = new SleighSupport.Server()) {
            String ws;
            List<Long> pids;
            try (Sleigh s = new Sleigh(server.options().workerCount(2).language("python").modulePath(dir.toString()))) {
                assertEquals(new SleighStatus(2, true), s.status(false, Duration.ofSeconds(60)));
                ws = s.wsName();
                pids = s.workerInfo().stream().map(WorkerInfo::pid).toList();
                assertTrue(s.workerInfo().get(0).language().startsWith("Python"), s.workerInfo().get(0).language());
                List<List<?>> args = new ArrayList<>();
                for (long i = 0; i < 10; i++) args.add(List.of(i, i + 0.5, "e" + i, List.of("a", "b", "c")));
                List<Object> got = s.eachElem("nws_matrix:combine", args);
                for (int i = 0; i < 10; i++) {
                    assertEquals(Map.of("i", i + 1L, "x", (i + 0.5) * 2, "label", "e" + i + "@python", "n", 3L,
                            "lang", "python"), got.get(i));
                }
                NwsInvalidArgumentException lambda = assertThrows(NwsInvalidArgumentException.class,
                        () -> s.eachElem(x -> x, List.of(1)));
                assertTrue(lambda.getMessage().contains("module:function"), lambda.getMessage());
                assertThrows(NwsInvalidArgumentException.class, () -> s.eachElem("nws_matrix.combine", args));
            }
            SleighSupport.waitGone(ws, pids);
        }
    }
}
