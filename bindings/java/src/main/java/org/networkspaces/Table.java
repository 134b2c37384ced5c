package org.networkspaces;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table: named columns of equal length, in order, the portable value
 * every language reads as its table (a pandas {@code DataFrame}, an R
 * {@code data.frame}, {@code NWS::Table} in Perl and Ruby).
 *
 * <p>A column is an array: {@code double[]}, {@code long[]}, {@code int[]},
 * {@code boolean[]}, {@code String[]} or {@code Instant[]}, or a boxed
 * {@code Double[]}, {@code Long[]}, {@code Integer[]} or {@code Boolean[]}
 * whose {@code null}s are missing values.  A table read from NetWorkSpaces
 * has the same types: primitive arrays, or the boxed ones for a column with
 * missing values.  The table holds the arrays it is given (no copy).
 *
 * <pre>{@code
 * Table t = new Table().put("x", new double[] {1.5, 2.5}).put("n", new int[] {1, 2});
 * ws.store("t", t, Portable.YES);
 * }</pre>
 *
 * <p>Two tables are equal when they have the same names in the same order
 * and equal columns (compared element by element, as
 * {@link Arrays#deepEquals}).
 */
public final class Table {
    private static final Set<Class<?>> COLUMN_TYPES = Set.of(double[].class, long[].class, int[].class,
            boolean[].class, String[].class, Instant[].class, Double[].class, Long[].class, Integer[].class,
            Boolean[].class);

    private final LinkedHashMap<String, Object> columns = new LinkedHashMap<>();

    public Table() {}

    /**
     * Adds the column {@code name} at the end, or replaces the column of
     * that name in its place.  Returns this table.
     *
     * @throws IllegalArgumentException if {@code column} is not one of the
     *     column types, or its length differs from the other columns'
     */
    public Table put(String name, Object column) {
        if (name == null) throw new IllegalArgumentException("a column name cannot be null");
        if (column == null || !COLUMN_TYPES.contains(column.getClass())) {
            throw new IllegalArgumentException("column '" + name + "' is a "
                    + (column == null ? "null" : column.getClass().getSimpleName()) + ": a column is a double[], long[],"
                    + " int[], boolean[], String[] or Instant[] (Double[], Long[], Integer[] or Boolean[] with nulls"
                    + " for missing values)");
        }
        int length = Array.getLength(column);
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            if (!e.getKey().equals(name) && Array.getLength(e.getValue()) != length) {
                throw new IllegalArgumentException("column '" + name + "' has " + length + " rows, column '"
                        + e.getKey() + "' " + Array.getLength(e.getValue()) + ": columns must be of equal length");
            }
        }
        columns.put(name, column);
        return this;
    }

    /** The column {@code name}, or null. */
    public Object get(String name) { return columns.get(name); }

    /** The column names, in order. */
    public List<String> names() { return List.copyOf(columns.keySet()); }

    /** The columns by name, in order (a read-only view). */
    public Map<String, Object> columns() { return Collections.unmodifiableMap(columns); }

    public int columnCount() { return columns.size(); }

    /** The length of every column (0 without columns). */
    public int rowCount() {
        return columns.isEmpty() ? 0 : Array.getLength(columns.values().iterator().next());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && names().equals(t.names())
                && Arrays.deepEquals(columns.values().toArray(), t.columns.values().toArray());
    }

    @Override
    public int hashCode() { return names().hashCode() * 31 + Arrays.deepHashCode(columns.values().toArray()); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Table{");
        String sep = "";
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            String column = Arrays.deepToString(new Object[] {e.getValue()});  // "[[1.5, 2.5]]"
            s.append(sep).append(e.getKey()).append('=').append(column, 1, column.length() - 1);
            sep = ", ";
        }
        return s.append('}').toString();
    }
}
