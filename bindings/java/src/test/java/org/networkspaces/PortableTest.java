package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Portable values (docs/values.md): Java's types round-trip, missing values, tables, errors. */
class PortableTest {
    static TestServer server;
    NwsServer srv;
    NetWorkSpace ws;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void open() {
        srv = server.connect();
        ws = srv.openWs(Support.unique("portable"));
    }

    @AfterEach
    void closeAll() { srv.close(); }

    /** Stores portable, checks the descriptor and marker, and reads it back. */
    private Object roundTrip(Object value) {
        ws.store("v", value, Portable.YES);
        long[] out = new long[2];
        byte[] raw = (byte[]) Native.wsRetrieve(ws.live(), 3, Native.utf8("v"), false, 0, true, out);
        assertEquals(Tables.PORTABLE | Values.JAVA_OBJECT, out[0], "Java's portable descriptor");
        assertArrayEquals(new byte[] {(byte) 0xC1, 'N', 'P', 1}, Arrays.copyOf(raw, 4), "the marker");
        return ws.fetch("v");
    }

    @Test
    void scalarsRoundTripAsTheirJavaTypes() {
        assertNull(roundTrip(null));
        assertEquals(true, roundTrip(true));
        assertEquals(false, roundTrip(false));
        assertEquals(Long.MIN_VALUE, roundTrip(Long.MIN_VALUE));
        assertEquals(42L, roundTrip(42), "Integer reads as Long");
        assertEquals(-7L, roundTrip((short) -7));
        assertEquals(5L, roundTrip((byte) 5));
        assertEquals(3.25, roundTrip(3.25));
        assertEquals(1.5, roundTrip(1.5f), "Float reads as Double");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) roundTrip(-0.0)));
        assertTrue(((Double) roundTrip(Double.NaN)).isNaN());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}, (byte[]) roundTrip(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}));
        assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
    }

    @Test
    void instantsKeepNanosecondsBothSidesOfTheEpoch() {
        for (Instant t : new Instant[] {Instant.parse("2026-12-06T15:54:34.123456789Z"), Instant.EPOCH,
                                        Instant.parse("1900-01-01T00:00:00.000000001Z"), Instant.ofEpochSecond(-1, 999_999_999)})
            assertEquals(t, roundTrip(t));
    }

    @Test
    void aStringStaysADirectStringEvenWhenPortable() {
        ws.store("s", "héllo ✓", Portable.YES);
        long[] out = new long[2];
        Native.wsRetrieve(ws.live(), 3, Native.utf8("s"), false, 0, true, out);
        assertEquals(Values.JAVA_STRING, out[0]);
        assertEquals("héllo ✓", ws.fetch("s"));
    }

    @Test
    void listsAndMapsNestAndKeepOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("zeta", 1);
        inner.put("alpha", List.of("x", 2.5));
        inner.put("empty", Map.of());
        List<Object> value = Arrays.asList(1, "two", 3.5, null, true, inner, List.of());
        Object back = roundTrip(value);
        assertInstanceOf(ArrayList.class, back);
        List<Object> expected = Arrays.asList(1L, "two", 3.5, null, true,
                new LinkedHashMap<>(Map.of("zeta", 1L, "alpha", List.of("x", 2.5), "empty", Map.of())), List.of());
        assertEquals(expected, back);
        Map<?, ?> m = (Map<?, ?>) ((List<?>) back).get(5);
        assertInstanceOf(LinkedHashMap.class, m);
        assertEquals(List.of("zeta", "alpha", "empty"), new ArrayList<>(m.keySet()), "the writer's order");
        assertEquals(List.of(1L, "a"), roundTrip(new Object[] {1, "a"}), "Object[] writes a list");
    }

    @Test
    void packedArraysRoundTripBitForBit() {
        double[] d = {1.5, -2.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                      Double.longBitsToDouble(0x7ff00000000007a2L)};
        double[] backD = (double[]) roundTrip(d);
        for (int i = 0; i < d.length; i++)
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(backD[i]), "element " + i);
        assertArrayEquals(new long[] {1, -2, 1L << 40, Long.MIN_VALUE}, (long[]) roundTrip(new long[] {1, -2, 1L << 40, Long.MIN_VALUE}));
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE},
                (int[]) roundTrip(new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}));
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) roundTrip(new boolean[] {true, false, true}));
        assertArrayEquals(new String[] {"a", "β", "", null}, (String[]) roundTrip(new String[] {"a", "β", "", null}));
        Instant[] ts = {Instant.EPOCH, Instant.parse("2026-12-06T15:54:34.123456Z")};
        assertArrayEquals(ts, (Instant[]) roundTrip(ts));
        assertArrayEquals(new double[0], (double[]) roundTrip(new double[0]));
        assertArrayEquals(new String[0], (String[]) roundTrip(new String[0]));
    }

    @Test
    void boxedArraysWithNullsAreVectorsWithMissingValues() {
        assertArrayEquals(new Double[] {1.0, null, Double.NaN}, (Double[]) roundTrip(new Double[] {1.0, null, Double.NaN}));
        assertArrayEquals(new Long[] {null, 2L}, (Long[]) roundTrip(new Long[] {null, 2L}));
        Integer[] ints = new Integer[17];
        ints[0] = 1;
        ints[16] = 3;   // nulls across bytes of the bitmap
        assertArrayEquals(ints, (Integer[]) roundTrip(ints));
        assertArrayEquals(new Boolean[] {true, null, false}, (Boolean[]) roundTrip(new Boolean[] {true, null, false}));
        assertArrayEquals(new Instant[] {null, Instant.EPOCH}, (Instant[]) roundTrip(new Instant[] {null, Instant.EPOCH}));
        // Without a null there is nothing missing: the primitive array comes back.
        assertArrayEquals(new int[] {1, 2}, (int[]) roundTrip(new Integer[] {1, 2}));
    }

    @Test
    void tablesRoundTripWithTheirColumnOrder() {
        Table t = new Table()
            .put("x", new double[] {1.5, 2.5, 3.5})
            .put("n", new int[] {1, 2, 3})
            .put("s", new String[] {"a", null, "c"})
            .put("b", new boolean[] {true, false, true})
            .put("when", new Instant[] {Instant.EPOCH, null, Instant.EPOCH})
            .put("m", new Long[] {1L, null, 3L});
        Table back = (Table) roundTrip(t);
        assertEquals(t, back);
        assertEquals(List.of("x", "n", "s", "b", "when", "m"), back.names());
        assertEquals(3, back.rowCount());
        assertEquals(new Table(), roundTrip(new Table()));
    }

    @Test
    void aTableRefusesColumnsItCannotHold() {
        Table t = new Table().put("x", new double[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.put("y", new int[] {1}));
        assertTrue(e.getMessage().contains("equal length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.put("z", List.of(1, 2)));
        assertTrue(e.getMessage().contains("double[]"), e.getMessage());
        t.put("x", new int[] {7});   // replacing the only column may change the length
        assertEquals(1, t.rowCount());
    }

    @Test
    void unsupportedClassesAreRefusedNamingTheClassAndTheConversion() {
        record Point(int x, int y) implements Serializable {}
        Object[][] cases = {
            {new HashSet<>(Set.of(1)), "java.util.HashSet", "a List"},
            {new Point(1, 2), Point.class.getName(), "Table"},
            {new float[] {1f}, "[F", "a double[]"},
            {BigInteger.TEN, "java.math.BigInteger", "a Long or a Double"},
            {LocalDate.of(2026, 1, 1), "java.time.LocalDate", "an Instant"},
            {'c', "java.lang.Character", "a String"},
            {List.of(1, Map.of("k", new Object())), "java.lang.Object", "(at value[1][\"k\"])"},
            {Instant.parse("3000-01-01T00:00:00Z"), "3000-01-01", "2262"},
        };
        for (Object[] c : cases) {
            NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.store("bad", c[0], Portable.YES));
            assertEquals(Errc.SERIALISATION, e.code());
            for (int i = 1; i < c.length; i++)
                assertTrue(e.getMessage().contains((String) c[i]), "'" + c[i] + "' in: " + e.getMessage());
        }
        assertTrue(ws.listVars().isEmpty(), "nothing was stored");
    }

    @Test
    void mapKeysMustBeStrings() {
        Map<Object, Object> m = new HashMap<>();
        m.put(1, "one");
        NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.store("m", m, Portable.YES));
        assertTrue(e.getMessage().contains("java.lang.Integer key") && e.getMessage().contains("Map<String, ?>"), e.getMessage());
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        e = assertThrows(NwsSerialisationException.class, () -> ws.store("m", List.of(nullKey), Portable.YES));
        assertTrue(e.getMessage().contains("null key") && e.getMessage().contains("value[0]"), e.getMessage());
        assertTrue(ws.listVars().isEmpty());
    }

    @Test
    void aCycleIsRefusedByTheDepthLimit() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.store("c", cycle, Portable.YES));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void theWorkspaceDefaultAndTheOverride() {
        assertFalse(ws.isPortable());
        ws.setPortable(true);
        ws.store("list", List.of(1, 2));
        ws.store("text", "plain");
        ws.store("java", List.of(1, 2), Portable.NO);
        assertEquals(Tables.PORTABLE, descriptorOf("list") & Tables.PORTABLE);
        assertEquals(Values.JAVA_STRING, descriptorOf("text"));
        assertEquals(Values.JAVA_OBJECT, descriptorOf("java"));
        assertEquals(List.of(1L, 2L), ws.fetch("list"));
        assertEquals(List.of(1, 2), ws.fetch("java"), "Java serialisation keeps the Integers");
        assertThrows(NwsSerialisationException.class, () -> ws.store("o", new Object()), "no fallback to serialisation");
        ws.setPortable(false);
        assertThrows(NwsInvalidArgumentException.class, () -> ws.store("n", null), "null is portable only");
        assertThrows(NwsInvalidArgumentException.class, () -> ws.store("n", 1, null));
    }

    @Test
    void aNullValueIsAValue() {
        ws.store("n", null, Portable.YES);
        ws.store("n", 1, Portable.YES);
        assertNull(ws.find("n", Duration.ofSeconds(5)));
        assertNull(ws.find("n", String.class), "a typed read of null");
        List<Object> seen = new ArrayList<>();
        ws.ifind("n").forEachRemaining(seen::add);
        assertEquals(Arrays.asList(null, 1L), seen, "the iterator goes on past a null");
        assertNull(ws.fetch("n"));
        assertEquals(1L, ws.fetchTry("n").orElseThrow());
    }

    @Test
    void undecodableBytesRaiseTheSerialisationErrorNamingTheVariable() {
        long portable = Tables.PORTABLE | (1L << 24);   // "written by Python"
        Native.wsStore(ws.live(), Native.utf8("broken"), portable, new byte[] {(byte) 0xC1, 'N', 'P', 1, (byte) 0x92, 1});
        NwsSerialisationException e = assertThrows(NwsSerialisationException.class, () -> ws.find("broken"));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains(ws.name()), e.getMessage());
        e = assertThrows(NwsSerialisationException.class, () -> ws.ifind("broken").next());
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains(ws.name()), e.getMessage());
    }

    @Test
    void tenMillionDoublesRoundTrip() {
        double[] big = new double[10_000_000];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.5 - 1e6;
        ws.store("big", big, Portable.YES);
        double[] back = ws.fetch("big", double[].class);
        assertTrue(Arrays.equals(big, back), "10 million doubles came back exactly");
    }

    @Test
    void stringsCrossAsRealUtf8() {
        String s = "héllo \u0000 世界 \uD83D\uDE00 𝄞";
        assertEquals(List.of(s), roundTrip(List.of(s)));
        assertEquals(Map.of(s, s), roundTrip(Map.of(s, s)));
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), ((String) ((List<?>) roundTrip(List.of(s))).get(0)).getBytes(StandardCharsets.UTF_8));
    }

    private long descriptorOf(String var) {
        long[] out = new long[2];
        Native.wsRetrieve(ws.live(), 3, Native.utf8(var), false, 0, true, out);
        return out[0];
    }
}
