package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** How values are encoded: strings, binary, Java serialisation, other languages, size, Unicode. */
class ValuesTest {
    static TestServer server;
    NwsServer srv;
    NetWorkSpace ws;

    // Characters outside the BMP (surrogate pairs in Java), which JNI's
    // modified UTF-8 would mangle, plus NUL, which it encodes as two bytes.
    static final String UNICODE = "héllo \u0000 世界 \uD83D\uDE00 \uD800\uDF48 𝄞 end";

    record Point(int x, int y) implements Serializable {}

    @BeforeAll
    static void start() throws Exception { server = new TestServer(); }

    @AfterAll
    static void stop() throws Exception { server.close(); }

    @BeforeEach
    void open() {
        srv = server.connect();
        ws = srv.openWs(Support.unique("values"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    private long descriptorOf(String var) {
        long[] d = new long[2];
        Native.wsRetrieve(ws.live(), 3, Native.utf8(var), false, 0, true, d);
        return d[0];
    }

    private byte[] rawBytesOf(String var) {
        return (byte[]) Native.wsRetrieve(ws.live(), 3, Native.utf8(var), false, 0, true, new long[2]);
    }

    @Test
    void aStringIsADirectStringInUtf8() {
        ws.store("s", UNICODE);
        assertEquals(Values.JAVA_STRING, descriptorOf("s"));
        assertArrayEquals(UNICODE.getBytes(StandardCharsets.UTF_8), rawBytesOf("s"));
        assertEquals(UNICODE, ws.fetchString("s"));
    }

    @Test
    void unicodeNamesRoundTrip() {
        String var = "var \uD83D\uDE00 𝄞";
        ws.store(var, "x");
        assertEquals(var, ws.listVars().get(0).name());
        String wsName = Support.unique("ws \uD83D\uDE80");
        srv.openWs(wsName).store(var, UNICODE);
        assertTrue(srv.listWss().stream().anyMatch(w -> w.name().equals(wsName) && w.variableNames().equals(List.of(var))));
        assertEquals(UNICODE, srv.useWs(wsName).fetch(var));
    }

    @Test
    void bytesAreADirectBinaryStringWithEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        ws.store("b", all);
        assertEquals(Values.JAVA_BYTES, descriptorOf("b"));
        assertArrayEquals(all, rawBytesOf("b"));
        assertArrayEquals(all, ws.fetchBytes("b"));
        ws.store("empty", new byte[0]);
        assertArrayEquals(new byte[0], ws.fetchBytes("empty"));
    }

    @Test
    void serializableObjectsUseJavaSerialisation() {
        Map<String, Object> m = new HashMap<>();
        m.put("point", new Point(3, 4));
        m.put("list", List.of(1, 2, 3));
        ws.store("m", (Serializable) m);
        assertEquals(Values.JAVA_OBJECT, descriptorOf("m"));
        assertEquals(7, (descriptorOf("m") >>> 24) & 0xff);
        assertEquals(m, ws.fetch("m"));
        ws.store("p", new Point(1, 2));
        assertEquals(new Point(1, 2), ws.fetch("p", Point.class));
    }

    @Test
    void aTypedFetchLooksUpClassesThroughTheTypesLoader() throws Exception {
        // The same class defined by a loader this jar cannot see (as in an
        // application server, or the source launcher).
        URL classes = Point.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> point = isolated.loadClass(Point.class.getName());
            assertNotSame(Point.class, point);
            var ctor = point.getDeclaredConstructor(int.class, int.class);
            ctor.setAccessible(true);
            Object p = ctor.newInstance(5, 6);
            ws.store("isolated", p);
            Object back = ws.fetch("isolated", point);
            assertSame(point, back.getClass());
            assertEquals(p, back);
        }
    }

    @Test
    void aNonSerializableObjectIsRefused() {
        NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.store("o", new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertThrows(NwsInvalidArgumentException.class, () -> ws.store("o", null));
        assertTrue(ws.listVars().isEmpty(), "nothing was stored");
    }

    @Test
    void aValueSerialisedByAnotherLanguageNamesThatLanguage() {
        long pythonPickle = 1L << 24;  // Python's language id, not a direct string
        Native.wsStore(ws.live(), Native.utf8("py"), pythonPickle, new byte[] {(byte) 0x80, 4, 'K', 1, '.'});
        NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.fetch("py"));
        // The core's message (nws::unreadable_value_message), which names the
        // variable, the workspace and the writer's language.
        assertEquals(Native.str(Native.unreadableValueMessage(Native.utf8(ws.name()), Native.utf8("py"), pythonPickle,
                null)), e.getMessage());
        for (String part : new String[] {"'py'", "'" + ws.name() + "'", "Python (language id 1)", "Java"})
            assertTrue(e.getMessage().contains(part), e.getMessage());
        assertEquals(Errc.SERIALISATION, e.code());
    }

    @Test
    void directStringsFromOtherLanguagesAreRead() {
        long pythonText = (1L << 24) | 1;
        long rBinary = (3L << 24) | 3;
        Native.wsStore(ws.live(), Native.utf8("t"), pythonText, UNICODE.getBytes(StandardCharsets.UTF_8));
        Native.wsStore(ws.live(), Native.utf8("b"), rBinary, new byte[] {0, -1});
        assertEquals(UNICODE, ws.fetch("t"));
        assertArrayEquals(new byte[] {0, -1}, (byte[]) ws.fetch("b"));
    }

    @Test
    void a64MiBValueRoundTrips() {
        byte[] big = new byte[64 << 20];
        new Random(42).nextBytes(big);
        ws.store("big", big);
        assertEquals(64L << 20, 0L + ws.findBytes("big").length);
        byte[] back = ws.fetchBytes("big");
        assertTrue(Arrays.equals(big, back), "64 MiB came back byte-exact");
    }
}
