package org.networkspaces.sleigh;

import java.nio.charset.StandardCharsets;

/** One element's outcome as the core gives it: the value's bytes, or the error's text. */
record Outcome(long index, boolean ok, byte[] bytes, int rank) {
    SleighTaskException error() { return new SleighTaskException(index, rank, new String(bytes, StandardCharsets.UTF_8)); }
}
