package org.networkspaces;

/**
 * The suite's one server fixture: an embedded server (NwsServer.startLocal)
 * on a free loopback port, for a test class.  Nothing else is needed; no
 * nws-server process, no port to parse.
 */
final class TestServer implements AutoCloseable {
    private final NwsLocalServer local = NwsServer.startLocal();

    int port() { return local.port(); }

    String host() { return local.host(); }

    NwsLocalServer local() { return local; }

    NwsServer connect() { return local.connect(); }

    NetWorkSpace workspace(String name) { return new NetWorkSpace(name, local.host(), local.port()); }

    @Override
    public void close() { local.close(); }
}
