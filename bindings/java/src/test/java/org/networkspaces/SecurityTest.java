package org.networkspaces;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * TLS, authentication and permissions (docs/security.md) against real
 * nws-server processes (Support.ServerProcess), with ConnectOptions: the
 * certificates are made by scripts/make-test-certs.sh for this class, the
 * users' secrets by nws-server --hash-password.
 */
class SecurityTest {
    /** "Quickly": well under the 10 s connect and handshake timeouts. */
    static final Duration QUICKLY = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static Path certs;

    @BeforeAll
    static void makeCerts() throws Exception { certs = Support.makeCerts(dir.resolve("certs")); }

    static String cert(String name) { return certs.resolve(name).toString(); }

    /** A server with TLS required, its certificate and key being NAME.pem and NAME.key. */
    static Support.ServerProcess tlsServer(String name, String... more) throws Exception {
        String[] flags = new String[4 + more.length];
        flags[0] = "--tls-cert";
        flags[1] = cert(name + ".pem");
        flags[2] = "--tls-key";
        flags[3] = cert(name + ".key");
        System.arraycopy(more, 0, flags, 4, more.length);
        return Support.startServer(dir, flags);
    }

    static void roundTrip(NwsServer s) {
        NetWorkSpace ws = s.openWs(Support.unique("sec"));
        ws.store("x", "hello over TLS");
        assertEquals("hello over TLS", ws.fetchString("x"));
    }

    /** The exception `call` raises, of `type` and one of the error kinds `codes`, raised within QUICKLY. */
    static <T extends NwsException> T quickly(Class<T> type, Executable call, Errc... codes) {
        long start = System.nanoTime();
        T e = assertThrows(type, call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(QUICKLY) < 0, "refused after " + took + ", not quickly: " + e.getMessage());
        assertTrue(Arrays.asList(codes).contains(e.code()), e.code() + " is not one of " + Arrays.toString(codes)
                + ": " + e.getMessage());
        return e;
    }

    static NwsTlsException tlsRefused(Executable call) { return quickly(NwsTlsException.class, call, Errc.TLS); }

    static NwsAuthenticationException authRefused(Executable call) {
        return quickly(NwsAuthenticationException.class, call, Errc.AUTHENTICATION);
    }

    static void assertContainsAny(String message, String... parts) {
        for (String p : parts) if (message.contains(p)) return;
        fail("the message says none of " + Arrays.toString(parts) + ": " + message);
    }

    // ---- 1. the TLS round trip ----

    @Test
    void aTlsConnectionTrustingTheTestCaStoresAndFetches() throws Exception {
        try (Support.ServerProcess srv = tlsServer("server")) {
            try (NwsServer s = new NwsServer(srv.options().tlsCa(cert("ca.pem")))) {
                roundTrip(s);
                // A value of several TLS records, bytes exact.
                byte[] big = new byte[3 << 20];
                new Random(18).nextBytes(big);
                NetWorkSpace ws = s.openWs(Support.unique("big"));
                ws.store("big", big);
                assertArrayEquals(big, ws.fetchBytes("big"));
            }
            // The Path form and tls(true) given as well; through a NetWorkSpace.
            try (NetWorkSpace ws = new NetWorkSpace(Support.unique("sec"),
                    srv.options().tls(true).tlsCa(certs.resolve("ca.pem")))) {
                ws.store("y", 42L);
                assertEquals(42L, ws.fetch("y", Long.class));
            }
            // A CA file that cannot be read is a bad argument, naming the file.
            NwsInvalidArgumentException e = refused(() -> new NwsServer(srv.options().tlsCa(dir.resolve("no-such-ca.pem"))));
            assertTrue(e.getMessage().contains("no-such-ca.pem"), e.getMessage());
        }
    }

    // ---- 2. certificates the client must refuse ----

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        try (Support.ServerProcess srv = tlsServer("untrusted")) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("ca.pem"))));
            assertContainsAny(e.getMessage(), "certificate verify failed", "not trusted");
        }
        try (Support.ServerProcess srv = tlsServer("server")) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("other-ca.pem"))));
            assertContainsAny(e.getMessage(), "certificate verify failed", "not trusted");
            // Without tlsCa, the system's CAs: they do not know the test CA either.
            e = tlsRefused(() -> new NwsServer(srv.options().tls(true)));
            assertContainsAny(e.getMessage(), "certificate verify failed", "not trusted");
            // And the server is fine for a client that trusts its CA.
            try (NwsServer s = new NwsServer(srv.options().tlsCa(cert("ca.pem")))) {
                roundTrip(s);
            }
        }
    }

    @Test
    void anExpiredServerCertificateIsRefused() throws Exception {
        try (Support.ServerProcess srv = tlsServer("expired")) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("ca.pem"))));
            assertTrue(e.getMessage().contains("certificate has expired"), e.getMessage());
        }
    }

    @Test
    void aServerCertificateForAnotherNameIsRefusedUnlessThatNameIsExpected() throws Exception {
        try (Support.ServerProcess srv = tlsServer("wronghost")) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("ca.pem"))));
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
            // tlsServerName: the name the certificate must carry instead of the host.
            try (NwsServer s = new NwsServer(srv.options().tlsCa(cert("ca.pem")).tlsServerName("wrong.example"))) {
                roundTrip(s);
            }
            e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("ca.pem")).tlsServerName("other.example")));
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        }
    }

    // ---- 3. TLS on one side only ----

    @Test
    void aPlainClientToATlsServerIsToldQuickly() throws Exception {
        try (Support.ServerProcess srv = tlsServer("server")) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.host, srv.port));
            assertTrue(e.getMessage().contains("requires TLS"), e.getMessage());
            tlsRefused(() -> new NetWorkSpace("w", srv.options()));
        }
    }

    @Test
    void aTlsClientToAPlainServerIsToldQuickly() throws Exception {
        try (Support.ServerProcess srv = Support.startServer(dir)) {
            NwsTlsException e = tlsRefused(() -> new NwsServer(srv.options().tlsCa(cert("ca.pem"))));
            assertTrue(e.getMessage().contains("does not offer TLS"), e.getMessage());
            e = tlsRefused(() -> new NwsServer(srv.options().tls(true)));
            assertTrue(e.getMessage().contains("does not offer TLS"), e.getMessage());
            // The plain server itself works.
            try (NwsServer s = new NwsServer(srv.options())) {
                roundTrip(s);
            }
        }
    }

    // ---- client certificates (tlsCert, tlsKey) ----

    @Test
    void aServerThatRequiresClientCertificatesTakesOnlyOnesFromItsCa() throws Exception {
        try (Support.ServerProcess srv = tlsServer("server", "--tls-ca", cert("ca.pem"))) {
            ConnectOptions trusting = srv.options().tlsCa(cert("ca.pem"));
            try (NwsServer s = new NwsServer(trusting.tlsCert(cert("client.pem")).tlsKey(certs.resolve("client.key")))) {
                roundTrip(s);
            }
            // tlsCert alone turns TLS on; here the CA is the system's, which does
            // not know the server's: refused by the client, so TLS was on.
            tlsRefused(() -> new NwsServer(srv.options().tlsCert(cert("client.pem")).tlsKey(cert("client.key"))));
            // No client certificate, or one from another CA: the server refuses.
            quickly(NwsConnectionException.class, () -> new NwsServer(trusting), Errc.TLS, Errc.CONNECTION);
            quickly(NwsConnectionException.class,
                    () -> new NwsServer(trusting.tlsCert(cert("rogue-client.pem")).tlsKey(cert("rogue-client.key"))),
                    Errc.TLS, Errc.CONNECTION);
        }
    }

    // ---- 4. users and tokens ----

    static Path usersFile(String... lines) throws Exception {
        Path f = Files.createTempFile(dir, "users-", ".txt");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void usersAuthenticateByPasswordAndEveryRefusalSaysTheSame() throws Exception {
        Path users = usersFile("# two users, no rules: both may do everything",
                "user alice " + Support.hashPassword("alice's secret"),
                "user bob " + Support.hashPassword("hunter2"));
        try (Support.ServerProcess srv = Support.startServer(dir, "--users", users.toString())) {
            try (NwsServer s = new NwsServer(srv.options().user("alice").password("alice's secret"))) {
                roundTrip(s);
            }
            char[] pw = "hunter2".toCharArray();
            ConnectOptions bob = srv.options().user("bob").password(pw);
            Arrays.fill(pw, '\0');  // the options hold their own copy
            try (NwsServer s = new NwsServer(bob)) {
                roundTrip(s);
            }
            try (NwsServer again = new NwsServer(bob)) {  // and reuse it
                roundTrip(again);
            }

            String wrong = authRefused(() -> new NwsServer(srv.options().user("alice").password("hunter2"))).getMessage();
            String unknown = authRefused(() -> new NwsServer(srv.options().user("mallory").password("x"))).getMessage();
            String none = authRefused(() -> new NwsServer(srv.options())).getMessage();
            assertTrue(wrong.contains("authentication failed"), wrong);
            assertEquals(wrong, unknown, "an unknown user is told what a wrong password is told");
            // No credentials: the very same refusal.
            assertEquals(wrong, none, "no credentials are told what a wrong password is told");
            authRefused(() -> new NetWorkSpace("w", srv.options().user("bob").password("Hunter2")));
        }
    }

    @Test
    void aSharedTokenIsAcceptedAndAWrongOneRefused() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret-token-of-issue-18\n");
        try (Support.ServerProcess srv = Support.startServer(dir, "--token-file", token.toString())) {
            try (NwsServer s = new NwsServer(srv.options().token("s3cret-token-of-issue-18"))) {
                roundTrip(s);
            }
            String wrong = authRefused(() -> new NwsServer(srv.options().token("s3cret-token-of-issue-19"))).getMessage();
            String none = authRefused(() -> new NwsServer(srv.options())).getMessage();
            assertTrue(wrong.contains("authentication failed"), wrong);
            assertTrue(none.startsWith(wrong), "no token is told the same: " + none);
        }
    }

    @Test
    void credentialsTravelInsideTls() throws Exception {
        Path users = usersFile("user alice " + Support.hashPassword("pw"));
        try (Support.ServerProcess srv = tlsServer("server", "--users", users.toString())) {
            ConnectOptions tls = srv.options().tlsCa(cert("ca.pem"));
            try (NwsServer s = new NwsServer(tls.user("alice").password("pw"))) {
                roundTrip(s);
            }
            authRefused(() -> new NwsServer(tls.user("alice").password("wrong")));
        }
    }

    // ---- 5. permissions ----

    @Test
    void aDeniedOperationLeavesTheConnectionUsable() throws Exception {
        Path users = usersFile(
                "user producer " + Support.hashPassword("p"),
                "user worker1 " + Support.hashPassword("w"),
                "user admin " + Support.hashPassword("a"),
                "group workers worker1",
                "allow producer store jobs",
                "allow @workers fetch jobs",
                "allow admin all *");
        try (Support.ServerProcess srv = Support.startServer(dir, "--users", users.toString());
             NwsServer admin = new NwsServer(srv.options().user("admin").password("a"));
             NwsServer producer = new NwsServer(srv.options().user("producer").password("p"));
             NwsServer worker = new NwsServer(srv.options().user("worker1").password("w"))) {
            admin.openWs("jobs", true);
            admin.openWs("secret");

            NetWorkSpace jobs = producer.useWs("jobs");
            NwsPermissionDeniedException e = assertThrows(NwsPermissionDeniedException.class, () -> jobs.fetchTry("task"));
            assertEquals(Errc.PERMISSION_DENIED, e.code());
            assertTrue(e.getMessage().contains("ermission denied: user 'producer' may not fetch from workspace 'jobs'"),
                    e.getMessage());
            // The same connection goes on: the allowed store works.
            jobs.store("task", "t1");
            assertFalse(producer.isClosed());
            // Nor may the producer create a workspace, or see one it has no right on.
            assertThrows(NwsPermissionDeniedException.class, () -> producer.openWs(Support.unique("mine")));
            assertTrue(producer.listWss().stream().noneMatch(w -> w.name().equals("secret")), "secret is hidden");
            assertTrue(producer.listWss().stream().anyMatch(w -> w.name().equals("jobs")), "jobs is listed");
            assertTrue(admin.listWss().stream().anyMatch(w -> w.name().equals("secret")), "admin sees secret");

            // The worker fetches what the producer stored, and may not store there.
            NetWorkSpace work = worker.useWs("jobs");
            assertEquals("t1", work.fetchString("task", Duration.ofSeconds(10)));
            NwsPermissionDeniedException s = assertThrows(NwsPermissionDeniedException.class, () -> work.store("task", "t2"));
            assertTrue(s.getMessage().contains("worker1"), s.getMessage());
            assertEquals("t3", storeAndFetch(jobs, work, "t3"));
            admin.deleteWs("jobs");
        }
    }

    static String storeAndFetch(NetWorkSpace from, NetWorkSpace to, String value) {
        from.store("task", value);
        return to.fetchString("task", Duration.ofSeconds(10));
    }

    // ---- 6. the options themselves ----

    static NwsInvalidArgumentException refused(Executable call) {
        NwsInvalidArgumentException e = assertThrows(NwsInvalidArgumentException.class, call);
        assertEquals(Errc.INVALID_ARGUMENT, e.code());
        assertEquals(-1, e.status(), "a local error");
        return e;
    }

    @Test
    void badOptionValuesAreRefusedAsBadArguments() {
        ConnectOptions o = new ConnectOptions();
        assertEquals("the option tlsCa is missing (null): pass a path, or leave the option out",
                refused(() -> o.tlsCa((String) null)).getMessage());
        assertEquals("the option tlsCa is missing (null): pass a path, or leave the option out",
                refused(() -> o.tlsCa((Path) null)).getMessage());
        assertEquals("the option tlsCert is empty: pass a path, or leave the option out",
                refused(() -> o.tlsCert("")).getMessage());
        refused(() -> o.tlsKey((String) null));
        refused(() -> o.tlsKey(""));
        assertEquals("the option tlsServerName holds a NUL character",
                refused(() -> o.tlsServerName("a\0b")).getMessage());
        assertEquals("the option user is missing (null): pass a string, or leave the option out",
                refused(() -> o.user(null)).getMessage());
        refused(() -> o.user(""));
        assertEquals("the option password is missing (null): pass the password",
                refused(() -> o.password((String) null)).getMessage());
        refused(() -> o.password((char[]) null));
        refused(() -> o.password(new char[0]));
        refused(() -> o.token(""));
        refused(() -> o.token(null));
        assertEquals("the connect options are missing (null): pass a ConnectOptions",
                refused(() -> new NwsServer((ConnectOptions) null)).getMessage());
        refused(() -> new NetWorkSpace("w", (ConnectOptions) null));
        // Ports and timeouts: the core's rules, as for new NwsServer(host, port).
        assertEquals("port must be a whole number from 1 to 65535, not 0",
                refused(() -> new NwsServer(o.host("127.0.0.1").port(0))).getMessage());
        refused(() -> new NwsServer(o.host("127.0.0.1").port(1).connectTimeout(Duration.ZERO)));
    }

    @Test
    void optionsAreImmutableAndDoNotShowSecrets() throws Exception {
        ConnectOptions base = new ConnectOptions().host("127.0.0.1").tlsCa("/ca.pem");
        ConnectOptions withUser = base.user("u").password("pw-in-clear").token("tok-in-clear");
        assertEquals("ConnectOptions[host=127.0.0.1, tlsCa=/ca.pem]", base.toString());
        String shown = withUser.toString();
        assertEquals("ConnectOptions[host=127.0.0.1, tlsCa=/ca.pem, user=u, password=***, token=***]", shown);
        assertFalse(shown.contains("pw-in-clear") || shown.contains("tok-in-clear"), shown);
        // A plain server, and options without TLS derived from a base: the base is untouched.
        try (Support.ServerProcess srv = Support.startServer(dir)) {
            ConnectOptions plain = srv.options();
            ConnectOptions tls = plain.tls(true);
            try (NwsServer s = new NwsServer(plain)) {
                roundTrip(s);
            }
            tlsRefused(() -> new NwsServer(tls));
            assertEquals("ConnectOptions[host=127.0.0.1, port=" + srv.port + ", tls=true]", tls.toString());
        }
    }
}
