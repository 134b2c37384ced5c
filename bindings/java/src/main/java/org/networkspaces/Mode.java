package org.networkspaces;

/** A variable's mode (PROTOCOL.md): how fetch and find pick values. */
public enum Mode {
    FIFO("fifo"), LIFO("lifo"), MULTI("multi"), SINGLE("single");

    private final String wire;

    Mode(String wire) { this.wire = wire; }

    /** The name the server uses ("fifo", ...). */
    public String wireName() { return wire; }
}
