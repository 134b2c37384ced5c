package org.networkspaces.matrix;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cross-language sleigh matrix's function on Java workers, named
 * {@code org.networkspaces.matrix.Matrix#combine}: workers find it on their
 * class path ($NWS_SLEIGH_CLASSPATH).  combine(i, x, label, tags): i an
 * integer, x a real, label a string, tags 3 strings (a List, or a String[]
 * when the master's language sends a vector of strings); returns what every
 * master checks.
 */
public final class Matrix {
    static final String LANG = "java";

    private Matrix() {}

    public static Map<String, Object> combine(long i, double x, String label, Object tags) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("i", i + 1);
        out.put("x", x * 2);
        out.put("label", label + "@" + LANG);
        out.put("n", (long) count(tags));
        out.put("lang", LANG);
        return out;
    }

    private static int count(Object tags) {
        if (tags instanceof Collection<?> c) return c.size();
        if (tags != null && tags.getClass().isArray()) return Array.getLength(tags);
        throw new IllegalArgumentException("tags is a " + (tags == null ? "null" : tags.getClass().getName())
                + ", not a list of strings");
    }
}
