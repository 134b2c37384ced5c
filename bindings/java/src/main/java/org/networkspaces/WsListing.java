package org.networkspaces;

import java.util.List;

/**
 * A listing of the server's workspaces as the server wrote it ({@code text},
 * the original clients' {@code listWss} string) and parsed into rows; both
 * come from one request.
 */
public record WsListing(String text, List<WsInfo> rows) {}
