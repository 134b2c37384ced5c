package org.networkspaces;

/**
 * How {@link NetWorkSpace#store(String, Object, Portable)} writes a value.
 *
 * <p>{@link #YES}: as a portable value (docs/values.md), which every
 * language of NetWorkSpaces reads as its own types: {@code null},
 * {@code Boolean}, {@code Long} (from {@code Integer}, {@code Short},
 * {@code Byte} too), {@code Double} (from {@code Float} too),
 * {@code byte[]}, {@code java.time.Instant}, {@code List} (or
 * {@code Object[]}), {@code Map<String, ?>}, the arrays {@code double[]},
 * {@code long[]}, {@code int[]}, {@code boolean[]}, {@code String[]},
 * {@code Instant[]} (boxed {@code Double[]}, {@code Long[]},
 * {@code Integer[]}, {@code Boolean[]} with {@code null}s for missing
 * values) and {@link Table}.  Anything else raises
 * {@link NwsSerialisationException} naming its class and what to convert it
 * to.  A {@code String} is still stored as a direct string, which every
 * reader reads already.
 *
 * <p>{@link #NO}: Java's own encoding ({@code String}, {@code byte[]}, or
 * Java serialisation, which only Java reads).
 *
 * <p>{@link NetWorkSpace#store(String, Object)} uses the workspace's
 * default, {@link NetWorkSpace#setPortable(boolean)}.  Reading needs no
 * choice: a portable value always comes back as a Java value.
 */
public enum Portable {
    YES,
    NO;

    /**
     * The portable encoding of {@code value} (docs/values.md), as bytes: what
     * a portable store stores, for a program that carries values by other
     * means (a sleigh's named tasks do).  A {@code String} is a portable
     * string here.  A value with no portable type raises
     * {@link NwsSerialisationException} as a store does.
     */
    public static byte[] encode(Object value) { return PortableWriter.encode(value); }

    /**
     * The Java value of portable bytes, as a fetch of a portable value gives
     * it; bytes that are not a portable value raise
     * {@link NwsSerialisationException} saying why.
     */
    public static Object decode(byte[] bytes) { return Native.portableDecode(bytes); }
}
