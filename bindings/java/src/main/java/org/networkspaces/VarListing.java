package org.networkspaces;

import java.util.List;

/**
 * A listing of a workspace's variables as the server wrote it ({@code text},
 * the original clients' {@code listVars} string) and parsed into rows; both
 * come from one request.
 */
public record VarListing(String text, List<VarInfo> rows) {}
