package org.networkspaces;

import java.util.List;

/** One row of {@link NwsServer#listWss()}; {@code mine}: opened by this connection. */
public record WsInfo(boolean mine, String name, String owner, boolean persistent, long variables,
                     List<String> variableNames) {}
