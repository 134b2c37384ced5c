package org.networkspaces;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The generated constants (Tables, Mode) against the tables the native
 * library was built with: the languages, the descriptor bits, the modes and
 * the version.
 */
class TablesTest {
    static List<String[]> rows(Object[] table) {
        List<String[]> out = new ArrayList<>();
        for (Object o : table) {
            byte[][] r = (byte[][]) o;
            String[] row = new String[r.length];
            for (int i = 0; i < r.length; i++) row[i] = Native.str(r[i]);
            out.add(row);
        }
        return out;
    }

    static Object constant(String name) throws Exception {
        Field f = Tables.class.getField(name);
        assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), name);
        return f.get(null);
    }

    @Test
    void everyLanguageHasItsConstantAndName() throws Exception {
        Set<String> expected = new HashSet<>();
        for (String[] l : rows(Native.languages())) {  // id, number, display, nws::language_name
            String name = "LANGUAGE_" + l[0].toUpperCase();
            int number = Integer.parseInt(l[1]);
            expected.add(name);
            assertEquals(number, constant(name), name);
            assertEquals(l[3], Tables.languageName(number), "the name of language " + number);
            if (!l[2].isEmpty()) assertEquals(l[2], l[3]);
        }
        assertEquals("language 200", Tables.languageName(200));
        // No language constant that the table lacks (the descriptor field's
        // LANGUAGE_SHIFT and LANGUAGE_MASK are checked below).
        for (Field f : Tables.class.getFields()) {
            if (f.getName().startsWith("LANGUAGE_") && f.getType() == int.class && !f.getName().equals("LANGUAGE_SHIFT"))
                assertTrue(expected.contains(f.getName()), f.getName() + " is in the core's table");
        }
        assertEquals(7, Tables.LANGUAGE_JAVA, "Java's id on the wire");
    }

    @Test
    void everyDescriptorBitHasItsConstant() throws Exception {
        List<String[]> bits = rows(Native.descriptorBits());  // id, value
        assertFalse(bits.isEmpty());
        for (String[] b : bits) {
            Object c = constant(b[0].toUpperCase());
            assertEquals(Long.parseLong(b[1]), ((Number) c).longValue(), b[0]);
        }
        assertEquals(Values.JAVA_STRING, (7L << 24) | 1);
        assertEquals(Values.JAVA_BYTES, (7L << 24) | 3);
    }

    @Test
    void modeIsTheCoresStandardModesInOrder() {
        List<String> standard = new ArrayList<>();
        Set<String> all = new HashSet<>();
        for (String[] m : rows(Native.modes())) {  // wire name, "standard" or ""
            all.add(m[0]);
            if (m[1].equals("standard")) standard.add(m[0]);
        }
        List<String> ours = new ArrayList<>();
        for (Mode m : Mode.values()) {
            ours.add(m.wireName());
            assertEquals(m.name().toLowerCase(), m.wireName());
        }
        assertEquals(standard, ours);
        assertTrue(all.contains("unknown"), "the native table has the internal modes too");
    }

    @Test
    void theVersionIsCoreVersionEverywhere() throws Exception {
        String core = Files.readString(Path.of(System.getProperty("nws.core.version.file")), StandardCharsets.UTF_8).trim();
        assertEquals(core, NwsServer.version(), "nws::version()");
        assertEquals(core, Tables.VERSION, "the generated Tables.VERSION");
        assertEquals(core, System.getProperty("nws.project.version"), "the pom's version (-Drevision)");
    }
}
