package org.networkspaces;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The exception hierarchy mirrors the core's error table, one class per code. */
class ExceptionsTest {
    @Test
    void everyCodeHasItsOwnClassCarryingStatusAndReason() {
        java.util.Set<Class<?>> classes = new java.util.HashSet<>();
        for (Errc code : Errc.values()) {
            Throwable t = Native.error(code.ordinal(), Native.utf8("msg " + code), 2000, Native.utf8("why \uD83D\uDE00"));
            NwsException e = assertInstanceOf(NwsException.class, t);
            assertEquals(code, e.code());
            assertEquals(2000, e.status());
            assertEquals("why \uD83D\uDE00", e.reason());
            assertEquals("msg " + code, e.getMessage());
            assertNotEquals(NwsException.class, e.getClass(), code + " has a subclass");
            assertTrue(classes.add(e.getClass()), code + " has a class of its own");
        }
    }

    @Test
    void droppedConnectionsAreConnectionErrors() {
        assertInstanceOf(NwsConnectionException.class,
                Native.error(Errc.CONNECTION_DROPPED.ordinal(), Native.utf8("x"), -1, new byte[0]));
    }

    @Test
    void anEmptyReasonIsNull() {
        NwsException e = (NwsException) Native.error(Errc.TIMEOUT.ordinal(), Native.utf8("x"), -1, new byte[0]);
        assertNull(e.reason());
        assertEquals(-1, e.status());
        assertInstanceOf(NwsTimeoutException.class, e);
    }

    @Test
    void theTableMatchesTheCoresNames() {
        // nws::Errc has 14 codes, invalid_argument last (core/include/nws/error.hpp).
        assertEquals(14, Errc.values().length);
        assertEquals(Errc.INVALID_ARGUMENT, Errc.values()[13]);
    }

}
