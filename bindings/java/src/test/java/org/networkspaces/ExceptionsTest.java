package org.networkspaces;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exception classes against the core's error table as the native
 * library has it (nws::error_kinds()): every row has its class, named by the
 * rule, with its code and its parent's class as superclass, and nothing more.
 */
class ExceptionsTest {
    /** One row of nws::error_kinds(). */
    record Kind(String id, int code, String parent, String kind, String name, String description) {
        boolean isGroup() { return code < 0; }
        boolean isRoot() { return parent.equals("none"); }
    }

    static List<Kind> nativeKinds() {
        List<Kind> out = new ArrayList<>();
        for (Object o : Native.errorKinds()) {
            byte[][] r = (byte[][]) o;
            out.add(new Kind(Native.str(r[0]), Integer.parseInt(Native.str(r[1])), Native.str(r[2]), Native.str(r[3]),
                    Native.str(r[4]), Native.str(r[5])));
        }
        return out;
    }

    /** The naming rule: the root is NwsException, every other kind Nws<Kind>Exception. */
    static String className(Kind k) { return "org.networkspaces." + (k.isRoot() ? "NwsException" : "Nws" + k.kind() + "Exception"); }

    @Test
    void everyRowOfTheCoresTableHasItsClass() throws Exception {
        List<Kind> kinds = nativeKinds();
        Map<String, Class<?>> classOf = new HashMap<>();
        for (Kind k : kinds) classOf.put(k.id(), Class.forName(className(k)));
        assertEquals(1, kinds.stream().filter(Kind::isRoot).count(), "one root");
        for (Kind k : kinds) {
            Class<?> c = classOf.get(k.id());
            assertTrue(Modifier.isPublic(c.getModifiers()), c + " is public");
            if (k.isRoot()) {
                assertEquals(NwsException.class, c);
                assertEquals(RuntimeException.class, c.getSuperclass(), "unchecked");
            } else {
                assertTrue(classOf.containsKey(k.parent()), k.id() + "'s parent " + k.parent() + " is a row");
                assertEquals(classOf.get(k.parent()), c.getSuperclass(), c + " extends its parent's class");
            }
            if (k.isGroup()) {
                for (Constructor<?> ctor : c.getConstructors())
                    fail(c + " is a group, never raised itself, yet has a public constructor " + ctor);
                continue;
            }
            // A kind the client raises: its Errc has the table's code, name and Kind,
            // and an error with that code is built as this class.
            Errc errc = Errc.ofCode(k.code());
            assertEquals(k.id().toUpperCase(), errc.name());
            assertEquals(k.name(), errc.errcName());
            assertEquals(k.kind(), errc.kind());
            Throwable t = Native.error(k.code(), Native.utf8("msg"), 7, Native.utf8("why"));
            assertEquals(c, t.getClass(), k.id());
            Object built = c.getConstructor(String.class, int.class, String.class).newInstance("m", -1, null);
            assertEquals(errc, ((NwsException) built).code());
        }
        // And no class or code that the table does not have.
        Set<Integer> codes = new HashSet<>();
        for (Kind k : kinds) if (!k.isGroup()) codes.add(k.code());
        assertEquals(codes.size(), Errc.values().length);
        for (Errc e : Errc.values()) assertTrue(codes.contains(e.code()), e + " is in the core's table");
    }

    @Test
    void everyCodeHasItsOwnClassCarryingStatusAndReason() {
        Set<Class<?>> classes = new HashSet<>();
        for (Errc code : Errc.values()) {
            Throwable t = Native.error(code.code(), Native.utf8("msg " + code), 2000, Native.utf8("why \uD83D\uDE00"));
            NwsException e = assertInstanceOf(NwsException.class, t);
            assertEquals(code, e.code());
            assertEquals(2000, e.status());
            assertEquals("why \uD83D\uDE00", e.reason());
            assertEquals("msg " + code, e.getMessage());
            assertTrue(classes.add(e.getClass()), code + " has a class of its own");
        }
    }

    @Test
    void theSameKindsHaveTheSameNames() {
        // Names every language shares (the Kind column): a cancelled call is
        // NwsCancelledException, a dropped connection a communication error.
        assertEquals(NwsCancelledException.class, Native.error(Errc.CANCELLED.code(), new byte[0], -1, null).getClass());
        assertInstanceOf(NwsCommunicationException.class,
                Native.error(Errc.CONNECTION_DROPPED.code(), Native.utf8("x"), -1, new byte[0]));
        assertInstanceOf(NwsConnectionDroppedException.class,
                Native.error(Errc.CLOSED.code(), Native.utf8("x"), -1, new byte[0]));
        assertInstanceOf(NwsOperationException.class, Native.error(Errc.TIMEOUT.code(), Native.utf8("x"), -1, null));
    }

    @Test
    void codesAreLookedUpByValueNotPosition() {
        for (Errc e : Errc.values()) assertSame(e, Errc.ofCode(e.code()));
        assertThrows(IllegalArgumentException.class, () -> Errc.ofCode(0));
        assertThrows(IllegalArgumentException.class, () -> Errc.ofCode(-1));
    }

    @Test
    void anEmptyReasonIsNull() {
        NwsException e = (NwsException) Native.error(Errc.TIMEOUT.code(), Native.utf8("x"), -1, new byte[0]);
        assertNull(e.reason());
        assertEquals(-1, e.status());
        assertInstanceOf(NwsTimeoutException.class, e);
    }
}
