package org.networkspaces;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A blocking call interrupted after its value had arrived keeps both: it
 * returns the value and the thread's interrupt status stays set.
 * Deterministic: the peer prints BLOCKED when the request is there, the
 * test then interrupts the fetching thread, and the peer sends the value
 * only after the client's cancel, which only the interrupt can cause.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaceTest {
    record Outcome(Object value, Throwable error, boolean interruptedAfter, Object after) {}

    /**
     * Runs `call` on a thread of its own against the peer, interrupts it once
     * the peer has the request, and returns what the thread saw; `after`
     * runs next on the same connection (its result is Outcome.after).
     */
    static Outcome interruptedCall(Function<NetWorkSpace, Object> call, Function<NetWorkSpace, Object> after)
            throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try (RacePeer peer = new RacePeer()) {
            Thread t = new Thread(() -> {
                try (NwsServer s = new NwsServer("127.0.0.1", peer.port())) {
                    NetWorkSpace ws = s.useWs("race");
                    Object v;
                    try {
                        v = call.apply(ws);
                    } catch (Throwable e) {
                        outcome.complete(new Outcome(null, e, Thread.currentThread().isInterrupted(), null));
                        return;
                    }
                    boolean interrupted = Thread.currentThread().isInterrupted();
                    outcome.complete(new Outcome(v, null, interrupted, after.apply(ws)));
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            });
            t.start();
            peer.expect("BLOCKED");
            t.interrupt();
            peer.expect("CANCELLED");
            Outcome o = outcome.get(30, TimeUnit.SECONDS);
            t.join();
            return o;
        }
    }

    static void assertBothKept(Outcome o) {
        assertNull(o.error(), () -> "the call threw " + o.error());
        assertEquals("arrived", o.value(), "the value is returned, not lost");
        assertTrue(o.interruptedAfter(), "the interrupt status is still set");
    }

    @Test
    void anInterruptedFetchReturnsTheValueThatArrivedAndKeepsTheInterrupt() throws Exception {
        Outcome o = interruptedCall(ws -> ws.fetch("v"), ws -> ws.fetchTry("v").orElse(null));
        assertBothKept(o);
        assertNull(o.after(), "the connection is in step: the next reply is the next call's");
    }

    @Test
    void anInterruptedFindReturnsTheValue() throws Exception {
        assertBothKept(interruptedCall(ws -> ws.find("v"), ws -> null));
    }

    @Test
    void anInterruptedIteratorStepReturnsTheValueAndMovesOn() throws Exception {
        NwsIterator[] it = new NwsIterator[1];
        Outcome o = interruptedCall(ws -> {
            it[0] = ws.ifetch("v");
            return it[0].nextBlocking(null);
        }, ws -> it[0].hasNext());
        assertBothKept(o);
        assertEquals(false, o.after(), "the next step asks for the value after the one that arrived");
    }
}
