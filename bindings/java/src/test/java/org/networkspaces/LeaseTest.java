package org.networkspaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Leased fetch (NwsLease): ack, release, the holder's connection closing
 * or its process being killed, expiry, ackStore, try-with-resources, the
 * non-blocking form, bad arguments, interrupts.  Two connections: `ws`
 * (which owns the workspace) and `other`, another client's view.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaseTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    static TestServer server;
    NwsServer srv;
    NwsServer otherSrv;
    NetWorkSpace ws;
    NetWorkSpace other;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void open() {
        srv = server.connect();
        ws = srv.openWs(Support.unique("lease"));
        otherSrv = server.connect();
        other = otherSrv.useWs(ws.name());
    }

    @AfterEach
    void closeAll() {
        otherSrv.close();
        srv.close();
    }

    static NwsInvalidArgumentException refused(org.junit.jupiter.api.function.Executable call) {
        NwsInvalidArgumentException e = assertThrows(NwsInvalidArgumentException.class, call);
        assertEquals(Errc.INVALID_ARGUMENT, e.code());
        return e;
    }

    @Test
    void ackRemovesTheValueForGood() {
        ws.store("task", "job 1");
        Lease l = ws.lease("task");
        assertEquals("job 1", l.value());
        assertEquals("job 1", l.value(String.class));
        assertEquals("task", l.variable());
        assertSame(ws, l.workspace());
        assertNotEquals(0, l.id());
        assertFalse(l.isSettled());
        assertEquals(Optional.empty(), other.fetchTry("task"), "a leased value has left its variable");
        l.ack();
        assertTrue(l.isSettled());
        l.close();
        assertEquals(Optional.empty(), other.fetchTry("task"));
        assertEquals(Optional.empty(), ws.fetchTry("task"));
        assertEquals("job 1", l.value(), "the value stays readable after the lease is over");
    }

    @Test
    void releaseGivesTheValueBackAtTheHeadOfAFifo() {
        for (String v : List.of("1", "2", "3")) ws.store("task", v);
        try (Lease l = ws.lease("task")) {
            assertEquals("1", l.value());
            l.release();
            assertTrue(l.isSettled());
        }
        assertEquals("1", other.fetch("task", WAIT));
        assertEquals("2", other.fetch("task", WAIT));
        assertEquals("3", other.fetch("task", WAIT));
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void releaseGivesTheValueBackOnTopOfALifo() {
        ws.declare("stack", Mode.LIFO);
        for (String v : List.of("1", "2", "3")) ws.store("stack", v);
        try (Lease l = ws.lease("stack")) {
            assertEquals("3", l.value());
            l.release();
        }
        assertEquals("3", other.fetch("stack", WAIT));
        assertEquals("2", other.fetch("stack", WAIT));
    }

    @Test
    void closingTheHoldersConnectionGivesTheValueBack() {
        ws.store("task", "a");
        ws.store("task", "b");
        NwsServer holderSrv = server.connect();
        Lease l = holderSrv.useWs(ws.name()).lease("task");
        assertEquals("a", l.value());
        holderSrv.close();
        assertEquals("a", other.fetch("task", WAIT), "the value went back to the head");
        assertEquals("b", other.fetch("task", WAIT));
        assertEquals(Optional.empty(), other.fetchTry("task"), "exactly once");
        l.close();  // its connection is gone: nothing to do, no error
        assertTrue(l.isSettled());
    }

    @Test
    void aKilledHoldersValueGoesToTheNextFetcherExactlyOnce() throws Exception {
        ws.store("task", "precious");
        String cp = String.join(File.pathSeparator, codeSource(LeaseHolder.class), codeSource(NetWorkSpace.class));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-Xcheck:jni", "-cp", cp, LeaseHolder.class.getName(),
                server.host(), String.valueOf(server.port()), ws.name(), "task")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("LEASED precious", out.readLine());
            assertEquals(Optional.empty(), other.fetchTry("task"), "the holder has it");
            ws.store("task", "next");
            holder.destroyForcibly();  // SIGKILL: the lease is never settled
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertEquals("precious", other.fetch("task", WAIT), "back at the head, before the value stored since");
            assertEquals("next", other.fetch("task", WAIT));
            assertEquals(Optional.empty(), other.fetchTry("task"), "exactly once");
        } finally {
            holder.destroyForcibly();
        }
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void anExpiredLeaseGoesToABlockedFetcherAndItsAckSaysSo() {
        ws.store("task", "slow job");
        Lease l = ws.lease("task", Duration.ofMillis(200));
        // Another connection's blocking fetch gets the value once the lease expires.
        assertEquals("slow job", other.fetch("task", WAIT));
        NwsLeaseLostException e = assertThrows(NwsLeaseLostException.class, l::ack);
        assertEquals(Errc.LEASE_LOST, e.code());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertTrue(e.getMessage().contains("'task'"), e.getMessage());
        assertInstanceOf(NwsOperationException.class, e);
        assertTrue(l.isSettled(), "a lost lease is over");
        l.close();
        assertEquals(Optional.empty(), other.fetchTry("task"), "the blocked fetcher took it: exactly once");
    }

    @Test
    void renewKeepsTheValueLeased() {
        ws.store("task", "long job");
        try (Lease l = ws.lease("task", Duration.ofSeconds(1))) {
            l.renew(Duration.ofMinutes(1));
            // Had the renewal failed, the value would be back within the second.
            assertThrows(NwsTimeoutException.class, () -> other.fetch("task", Duration.ofSeconds(2)));
            assertFalse(l.isSettled(), "renew does not settle");
            l.ack();
        }
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void ackStoreStoresTheResultAndAcknowledgesInOneStep() {
        ws.store("task", "6*7");
        try (Lease l = ws.lease("task")) {
            l.ackStore("result", "42");
            assertTrue(l.isSettled());
        }
        assertEquals("42", other.fetch("result", WAIT));
        assertEquals(Optional.empty(), other.fetchTry("task"), "the lease was acknowledged");
    }

    @Test
    void ackStoreWritesValuesAsStoreDoes() {
        ws.store("task", "a");
        ws.store("task", "b");
        ws.store("task", "c");
        try (Lease l = ws.lease("task")) {
            l.ackStore("result", Map.of("n", 3), Portable.YES);
        }
        assertEquals(Map.of("n", 3L), other.fetch("result", Map.class), "a portable value");
        ws.setPortable(true);
        try (Lease l = ws.lease("task")) {
            l.ackStore("result", new double[] {1.5, 2.5});  // the workspace's default: portable
        }
        assertArrayEquals(new double[] {1.5, 2.5}, other.fetch("result", double[].class));
        ws.setPortable(false);
        try (Lease l = ws.lease("task")) {
            l.ackStore("result", new byte[] {1, 2}, Portable.NO);
        }
        assertArrayEquals(new byte[] {1, 2}, other.fetchBytes("result"));
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void aRefusedAckStoreLeavesTheLeaseHeld() {
        ws.store("task", "t");
        try (Lease l = ws.lease("task")) {
            assertThrows(NwsSerialisationException.class, () -> l.ackStore("result", new Object()));
            assertThrows(NwsSerialisationException.class, () -> l.ackStore("result", List.of(new Object()), Portable.YES));
            assertEquals(ArgumentsTest.NULL_VAR, refused(() -> l.ackStore(null, "x")).getMessage());
            refused(() -> l.ackStore("result", "x", null));
            assertFalse(l.isSettled());
            assertEquals(Optional.empty(), other.fetchTry("task"), "still leased");
            assertEquals(Optional.empty(), other.fetchTry("result"), "nothing was stored");
        }  // not acknowledged: close() gives it back
        assertEquals("t", other.fetch("task", WAIT));
    }

    @Test
    void tryWithResourcesAcknowledgedInTheBlockConsumesTheValue() {
        ws.store("task", "t");
        try (Lease l = ws.lease("task")) {
            assertEquals("t", l.value());
            l.ack();
        }
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void tryWithResourcesGivesTheValueBackWhenTheBlockThrows() {
        ws.store("task", "t");
        ws.store("task", "u");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (Lease l = ws.lease("task")) {
                assertEquals("t", l.value());
                throw new IllegalStateException("the work failed");
            }
        });
        assertEquals("the work failed", e.getMessage());
        assertEquals(0, e.getSuppressed().length, "close() raised nothing");
        assertEquals("t", other.fetch("task", WAIT), "back at the head");
    }

    @Test
    void tryWithResourcesWithoutAckGivesTheValueBack() {
        ws.store("task", "t");
        try (Lease l = ws.lease("task")) {
            assertEquals("t", l.value());
        }
        assertEquals("t", other.fetch("task", WAIT));
    }

    @Test
    void leaseTryFindsNothingOnAnEmptyVariable() {
        assertEquals(Optional.empty(), ws.leaseTry("nothing here"));
        assertEquals(Optional.empty(), ws.leaseTry("nothing here", Duration.ofSeconds(1)));
        ws.store("task", "t");
        Optional<Lease> got = ws.leaseTry("task");
        assertTrue(got.isPresent());
        try (Lease l = got.get()) {
            assertEquals("t", l.value());
            assertEquals(Optional.empty(), ws.leaseTry("task"), "the one value is leased");
            l.ack();
        }
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void theValueIsConvertedAsFetchConvertsIt() {
        ws.store("task", Map.of("x", 1.5), Portable.YES);
        ws.store("task", new byte[] {7});
        ws.store("task", List.of(1, 2));  // Java serialisation
        try (Lease l = ws.lease("task")) {
            assertEquals(Map.of("x", 1.5), l.value(Map.class));
            l.ack();
        }
        try (Lease l = ws.lease("task")) {
            assertArrayEquals(new byte[] {7}, l.value(byte[].class));
            ClassCastException e = assertThrows(ClassCastException.class, () -> l.value(String.class));
            assertTrue(e.getMessage().contains("'task'"), e.getMessage());
            assertFalse(l.isSettled(), "a wrong type leaves the lease held");
            l.ack();
        }
        try (Lease l = ws.lease("task")) {
            assertEquals(List.of(1, 2), l.value());
            l.ack();
        }
    }

    @Test
    void aPortableNullIsAValue() {
        ws.store("task", null, Portable.YES);
        try (Lease l = ws.lease("task")) {
            assertNull(l.value());
            l.ack();
        }
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void anUnreadableValueStaysLeasedUntilSettled() {
        long pythonPickle = 1L << 24;
        Native.wsStore(ws.live(), Native.utf8("py"), pythonPickle, new byte[] {(byte) 0x80, 4, 'K', 1, '.'});
        long brokenPortable = Tables.PORTABLE | (1L << 24);
        Native.wsStore(ws.live(), Native.utf8("broken"), brokenPortable, new byte[] {(byte) 0xC1, 'N', 'P', 1, (byte) 0x92, 1});
        try (Lease l = ws.lease("py")) {
            NwsSerialisationException e = assertThrows(NwsSerialisationException.class, l::value);
            assertTrue(e.getMessage().contains("Python") && e.getMessage().contains("'py'"), e.getMessage());
            assertThrows(NwsSerialisationException.class, () -> l.value(Integer.class));
            assertFalse(l.isSettled());
        }  // given back
        assertEquals(1, Support.var(other, "py").orElseThrow().values());
        try (Lease l = ws.lease("broken")) {
            NwsSerialisationException e = assertThrows(NwsSerialisationException.class, l::value);
            assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains(ws.name()), e.getMessage());
            l.ack();  // discarded
        }
        assertEquals(0, Support.var(other, "broken").orElseThrow().values());
    }

    @Test
    void settlingTwiceIsRefused() {
        ws.store("task", "t");
        ws.store("task", "u");
        Lease l = ws.lease("task");
        l.ack();
        refused(l::ack);
        refused(l::release);
        refused(() -> l.ackStore("r", "x"));
        refused(() -> l.renew(Duration.ofSeconds(1)));
        l.close();
        l.close();  // idempotent
        Lease m = ws.lease("task");
        m.close();  // released
        assertTrue(m.isSettled());
        NwsInvalidArgumentException e = refused(m::ack);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals("u", m.value(), "the value is still readable after close");
        assertEquals("u", other.fetch("task", WAIT), "close() gave it back");
    }

    @Test
    void badArgumentsAreRefusedAndNothingIsLeased() {
        ws.store("task", "t");
        refused(() -> ws.lease("task", Duration.ZERO));
        NwsInvalidArgumentException e = refused(() -> ws.lease("task", Duration.ofMillis(-5)));
        assertTrue(e.getMessage().contains("1 ms"), e.getMessage());
        refused(() -> ws.lease("task", Duration.ofDays(30)));
        refused(() -> ws.lease("task", Duration.ofSeconds(Long.MAX_VALUE)));
        refused(() -> ws.leaseTry("task", Duration.ofMillis(-1)));
        e = refused(() -> ws.lease("task", null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        refused(() -> ws.leaseTry("task", null));
        assertEquals(ArgumentsTest.NULL_VAR, refused(() -> ws.lease(null)).getMessage());
        assertEquals(ArgumentsTest.NULL_VAR, refused(() -> ws.leaseTry(null)).getMessage());
        refused(() -> ws.lease("task", Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        try (Lease l = ws.lease("task")) {
            refused(() -> l.renew(Duration.ZERO));
            refused(() -> l.renew(Duration.ofSeconds(-1)));
            refused(() -> l.renew(null));
            assertFalse(l.isSettled(), "a refused renew leaves the lease held");
            l.ack();
        }
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void aBlockingLeaseWaitsForAValueAndTimesOut() throws Exception {
        assertThrows(NwsTimeoutException.class, () -> ws.lease("task", Lease.DEFAULT_DURATION, Duration.ofMillis(100)));
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (NwsServer own = server.connect(); Lease l = own.useWs(ws.name()).lease("task")) {
                got.complete(l.value());
                l.ack();
            } catch (Throwable e) {
                got.completeExceptionally(e);
            }
        });
        t.start();
        Support.waitFetchers(ws, "task", 1);
        ws.store("task", "arrived");
        assertEquals("arrived", got.get(10, TimeUnit.SECONDS));
        t.join();
        assertEquals(Optional.empty(), other.fetchTry("task"));
    }

    @Test
    void anInterruptedBlockingLeaseIsCancelledKeepingTheStatus() throws Exception {
        record Outcome(Throwable error, boolean interruptedAfter) {}
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (NwsServer own = server.connect()) {
                Lease l = own.useWs(ws.name()).lease("task");
                l.close();
                outcome.complete(new Outcome(null, Thread.currentThread().isInterrupted()));
            } catch (Throwable e) {
                outcome.complete(new Outcome(e, Thread.currentThread().isInterrupted()));
            }
        });
        t.start();
        Support.waitFetchers(ws, "task", 1);
        t.interrupt();
        Outcome o = outcome.get(10, TimeUnit.SECONDS);
        t.join();
        assertInstanceOf(NwsCancelledException.class, o.error());
        assertTrue(o.interruptedAfter(), "the interrupt status is kept");
        ws.store("task", "later");
        assertEquals("later", other.fetch("task", WAIT), "the withdrawn lease took nothing");
    }

    @Test
    void settlingAfterTheWorkspaceIsClosedRaisesClosed() {
        ws.store("task", "t");
        NetWorkSpace handle = srv.useWs(ws.name());
        Lease l = handle.lease("task");
        handle.close();  // the handle only: the connection stays open
        assertThrows(NwsClosedException.class, l::ack);
        assertThrows(NwsClosedException.class, l::release);
        l.close();  // still releases: the connection is open
        assertEquals("t", other.fetch("task", WAIT));
    }

    @Test
    void anUnreachableLeaseIsReleasedByTheCleaner() throws Exception {
        ws.store("task", "dropped");
        leaseAndDrop();
        Support.waitUntil(() -> {
            System.gc();
            return other.findTry("task").isPresent();
        }, "the dropped lease's value to come back");
        assertEquals("dropped", other.fetch("task", WAIT));
    }

    private void leaseAndDrop() { assertEquals("dropped", ws.lease("task").value()); }

    @Test
    void aServerWithoutLeasesRaisesUnsupported() throws Exception {
        try (RacePeer peer = new RacePeer()) {
            try (NwsServer s = new NwsServer("127.0.0.1", peer.port())) {
                NetWorkSpace race = s.useWs("race");
                NwsUnsupportedException e = assertThrows(NwsUnsupportedException.class, () -> race.lease("v"));
                assertTrue(e.getMessage().contains("lease"), e.getMessage());
                assertThrows(NwsUnsupportedException.class, () -> race.leaseTry("v"));
            }
        }
    }

    @Test
    void theDefaultDurationIsTheCores() {
        assertEquals(Duration.ofMinutes(5), Lease.DEFAULT_DURATION);
    }
}
