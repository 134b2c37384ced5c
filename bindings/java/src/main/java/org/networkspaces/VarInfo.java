package org.networkspaces;

/** One row of {@link NetWorkSpace#listVars()}. */
public record VarInfo(String name, long values, long fetchers, long finders, String mode) {}
