package org.networkspaces;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * How to connect to an NWS server: where, how long to try, TLS and
 * credentials (the core's {@code nws::ConnectOptions}).  Give it to
 * {@link NwsServer#NwsServer(ConnectOptions)} or
 * {@link NetWorkSpace#NetWorkSpace(String, ConnectOptions)}:
 *
 * <pre>{@code
 * ConnectOptions o = new ConnectOptions().host("nws.example.org").port(8765)
 *     .tls(true).tlsCa("/etc/nws/ca.pem")
 *     .user("producer").password(passwordChars);
 * try (NwsServer server = new NwsServer(o)) { ... }
 * }</pre>
 *
 * <p>An instance is immutable: each method returns a new one with that
 * option set, so a common base can be shared between threads and
 * connections.  An option left out is "not given": the core then applies
 * its default or the environment ({@code NWS_HOST}, {@code NWS_PORT},
 * {@code NWS_TLS=1}, {@code NWS_TLS_CA}, {@code NWS_TLS_CERT},
 * {@code NWS_TLS_KEY}, {@code NWS_USER}, {@code NWS_PASSWORD},
 * {@code NWS_TOKEN}).  Giving {@code tlsCa} or {@code tlsCert} turns TLS
 * on.  The server's certificate is always verified (against the system's
 * CAs, or {@code tlsCa}) and must name the host (or {@code tlsServerName}).
 * See docs/security.md.
 *
 * <p>A null, empty or NUL-holding value for a file, name or credential is
 * refused at once with {@link NwsInvalidArgumentException} (leave the
 * option out instead); a bad port or timeout is refused by the core's rule
 * when connecting, before anything is sent, as with
 * {@link NwsServer#NwsServer(String, int)}.  Errors when connecting:
 * {@link NwsTlsException} (the TLS connection could not be set up),
 * {@link NwsAuthenticationException} (credentials refused or missing).
 *
 * <p>{@link #toString()} never shows the password or the token.
 */
public final class ConnectOptions {
    private String host;
    private boolean hasPort;
    private int port;
    private Duration connectTimeout;
    private boolean tls;
    private String tlsCa, tlsCert, tlsKey, tlsServerName, user, token;
    private char[] password;

    /** No option given: the default server ({@code $NWS_HOST}:{@code $NWS_PORT}, else localhost:8765), plain TCP unless the environment says otherwise. */
    public ConnectOptions() {}

    private ConnectOptions copy() {
        ConnectOptions c = new ConnectOptions();
        c.host = host;
        c.hasPort = hasPort;
        c.port = port;
        c.connectTimeout = connectTimeout;
        c.tls = tls;
        c.tlsCa = tlsCa;
        c.tlsCert = tlsCert;
        c.tlsKey = tlsKey;
        c.tlsServerName = tlsServerName;
        c.user = user;
        c.token = token;
        c.password = password == null ? null : password.clone();
        return c;
    }

    /** The host to connect to (null: the default, {@code $NWS_HOST} else localhost). */
    public ConnectOptions host(String host) {
        ConnectOptions c = copy();
        c.host = host;
        return c;
    }

    /** The port (1..65535, checked when connecting; not given: {@code $NWS_PORT}, else 8765). */
    public ConnectOptions port(int port) {
        ConnectOptions c = copy();
        c.hasPort = true;
        c.port = port;
        return c;
    }

    /** How long to try to connect (null: the default, 10 s); {@link NwsConnectionException} after it. */
    public ConnectOptions connectTimeout(Duration timeout) {
        ConnectOptions c = copy();
        c.connectTimeout = timeout;
        return c;
    }

    /**
     * TLS after the handshake (true), verifying the server's certificate.
     * False means "not given": {@code NWS_TLS=1}, {@code tlsCa} or
     * {@code tlsCert} still turn it on.
     */
    public ConnectOptions tls(boolean on) {
        ConnectOptions c = copy();
        c.tls = on;
        return c;
    }

    /** PEM file of the CAs to trust instead of the system's (turns TLS on). */
    public ConnectOptions tlsCa(String path) {
        ConnectOptions c = copy();
        c.tlsCa = checked("tlsCa", path, "a path");
        return c;
    }

    /** As {@link #tlsCa(String)}. */
    public ConnectOptions tlsCa(Path path) { return tlsCa(pathString("tlsCa", path)); }

    /** PEM file of this client's certificate, for a server that requires one (turns TLS on). */
    public ConnectOptions tlsCert(String path) {
        ConnectOptions c = copy();
        c.tlsCert = checked("tlsCert", path, "a path");
        return c;
    }

    /** As {@link #tlsCert(String)}. */
    public ConnectOptions tlsCert(Path path) { return tlsCert(pathString("tlsCert", path)); }

    /** PEM file of the client certificate's private key (not given: it is in the {@code tlsCert} file). */
    public ConnectOptions tlsKey(String path) {
        ConnectOptions c = copy();
        c.tlsKey = checked("tlsKey", path, "a path");
        return c;
    }

    /** As {@link #tlsKey(String)}. */
    public ConnectOptions tlsKey(Path path) { return tlsKey(pathString("tlsKey", path)); }

    /** The name the server's certificate must carry (not given: the host). */
    public ConnectOptions tlsServerName(String name) {
        ConnectOptions c = copy();
        c.tlsServerName = checked("tlsServerName", name, "a host name");
        return c;
    }

    /** The user name; with {@link #password} the connection authenticates by SCRAM-SHA-256. */
    public ConnectOptions user(String user) {
        ConnectOptions c = copy();
        c.user = checked("user", user, "a string");
        return c;
    }

    /**
     * The user's password.  The array is copied, so the caller may clear
     * its own; the UTF-8 bytes made from it for each connect are cleared
     * after the call.
     */
    public ConnectOptions password(char[] password) {
        if (password == null) throw refused("password", "is missing (null): pass the password");
        if (password.length == 0) throw refused("password", "is empty: pass the password, or leave the option out");
        for (char ch : password) {
            if (ch == '\0') throw refused("password", "holds a NUL character");
        }
        ConnectOptions c = copy();
        c.password = password.clone();
        return c;
    }

    /** As {@link #password(char[])}. */
    public ConnectOptions password(String password) {
        if (password == null) throw refused("password", "is missing (null): pass the password");
        return password(password.toCharArray());
    }

    /** A shared token, instead of a user and password. */
    public ConnectOptions token(String token) {
        ConnectOptions c = copy();
        c.token = checked("token", token, "the token");
        return c;
    }

    private static NwsInvalidArgumentException refused(String option, String why) {
        return new NwsInvalidArgumentException("the option " + option + " " + why, -1, null);
    }

    private static String pathString(String option, Path path) {
        if (path == null) throw refused(option, "is missing (null): pass a path, or leave the option out");
        return path.toString();
    }

    private static String checked(String option, String value, String what) {
        if (value == null) throw refused(option, "is missing (null): pass " + what + ", or leave the option out");
        if (value.isEmpty()) throw refused(option, "is empty: pass " + what + ", or leave the option out");
        if (value.indexOf('\0') >= 0) throw refused(option, "holds a NUL character");
        return value;
    }

    /** The password's UTF-8 bytes (null when not given); the encoder's buffer is cleared. */
    private byte[] passwordBytes() {
        if (password == null) return null;
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[b.remaining()];
        b.get(pw);
        if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        return pw;
    }

    /** Connects: the native handle of an nws::Server. */
    long connect() {
        byte[] pw = passwordBytes();
        try {
            return Native.serverConnect(Native.utf8(host), hasPort, port, connectTimeout != null,
                    connectTimeout == null ? 0 : Native.seconds(connectTimeout), tls, Native.utf8(tlsCa),
                    Native.utf8(tlsCert), Native.utf8(tlsKey), Native.utf8(tlsServerName), Native.utf8(user), pw,
                    Native.utf8(token));
        } finally {
            if (pw != null) Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * The options as texts for the JNI library (jni_sleigh_master.cpp calls
     * this: a sleigh's master connects many times and hands TLS and
     * credentials to its workers): host, port, connect timeout in seconds,
     * TLS ("1"), CA, certificate, key, server name, user, password, token,
     * UTF-8, null when not given.  The caller clears the password's bytes.
     */
    byte[][] nativeFields() {
        byte[] pw = passwordBytes();
        return new byte[][] {Native.utf8(host), hasPort ? Native.utf8(Integer.toString(port)) : null,
                connectTimeout == null ? null : Native.utf8(Double.toString(Native.seconds(connectTimeout))),
                tls ? Native.utf8("1") : null, Native.utf8(tlsCa), Native.utf8(tlsCert), Native.utf8(tlsKey),
                Native.utf8(tlsServerName), Native.utf8(user), pw, Native.utf8(token)};
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ConnectOptions[");
        String sep = "";
        if (host != null) { s.append(sep).append("host=").append(host); sep = ", "; }
        if (hasPort) { s.append(sep).append("port=").append(port); sep = ", "; }
        if (connectTimeout != null) { s.append(sep).append("connectTimeout=").append(connectTimeout); sep = ", "; }
        if (tls) { s.append(sep).append("tls=true"); sep = ", "; }
        if (tlsCa != null) { s.append(sep).append("tlsCa=").append(tlsCa); sep = ", "; }
        if (tlsCert != null) { s.append(sep).append("tlsCert=").append(tlsCert); sep = ", "; }
        if (tlsKey != null) { s.append(sep).append("tlsKey=").append(tlsKey); sep = ", "; }
        if (tlsServerName != null) { s.append(sep).append("tlsServerName=").append(tlsServerName); sep = ", "; }
        if (user != null) { s.append(sep).append("user=").append(user); sep = ", "; }
        if (password != null) { s.append(sep).append("password=***"); sep = ", "; }
        if (token != null) { s.append(sep).append("token=***"); }
        return s.append(']').toString();
    }
}
