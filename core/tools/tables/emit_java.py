"""The generated classes of org.networkspaces for the Java binding: Errc,
NwsException and one exception class per error kind, Mode, and Tables
(version, languages, descriptor bits).  OUTPUT is the package directory.

The Java build (bindings/java/pom.xml) runs this into
target/generated-sources; the binding's tests check the classes against the
tables the native library was built with (nws::error_kinds() and the rest)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from common import NOTICE, quote, write

HEADER = "// " + NOTICE + "\npackage org.networkspaces;\n"


# What a kind means in Java, beyond the table's description.
JAVA_NOTES = {
    "cancelled": "In Java the interrupt is {@link Thread#interrupt()}: the thread's interrupt status stays set "
                 "when this is thrown.  A call whose value had already arrived returns the value instead "
                 "(the interrupt status still set), so neither is lost.",
    "timeout": "The timeout is the {@code java.time.Duration} given to the call.",
    "invalid_argument": "Raised before anything is sent to the server.",
}


def javadoc(k) -> str:
    note = JAVA_NOTES.get(k.id)
    if not note:
        return k.description
    return k.description + "\n *\n" + "\n".join(textwrap.wrap("<p>" + note, 96, initial_indent=" * ",
                                                                subsequent_indent=" * "))


def class_name(kind) -> str:
    return "Nws%sException" % ("" if kind.parent is None else kind.kind)


def enum_name(kind) -> str:
    return kind.id.upper()


def root_class(t, k) -> str:
    cases = "\n".join("            case %s: return new %s(message, status, reason);" % (enum_name(e), class_name(e))
                      for e in t.errors if e.code is not None)
    return HEADER + '''
/**
 * %(desc)s
 *
 * <p>The root of the binding's exceptions: one subclass per kind of the core's
 * error table ({@link Errc}), each carrying the server's status code (or -1
 * when the error is local) and its reason text (or null).
 */
public class NwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errc code;
    private final int status;
    private final String reason;

    protected NwsException(Errc code, String message, int status, String reason) {
        super(message);
        this.code = code;
        this.status = status;
        this.reason = reason;
    }

    /** Which kind of the error table this is. */
    public Errc code() { return code; }
    /** The server's status code, or -1 if the error is local. */
    public int status() { return status; }
    /** The server's reason text, or null. */
    public String reason() { return reason; }

    /** The exception of the kind {@code code}. */
    public static NwsException of(Errc code, String message, int status, String reason) {
        switch (code) {
%(cases)s
            default: throw new IllegalArgumentException("not an error code: " + code);
        }
    }
}
''' % {"desc": k.description, "cases": cases}


def kind_class(t, k) -> str:
    parent = class_name(t.error(k.parent))
    public_ctor = ""
    if k.code is not None:
        public_ctor = '''
    public %(name)s(String message, int status, String reason) {
        super(Errc.%(enum)s, message, status, reason);
    }
''' % {"name": class_name(k), "enum": enum_name(k)}
    return HEADER + '''
/**
 * %(desc)s
 *
 * <p>Error kind {@code %(id)s} of the core's table.
 */
public class %(name)s extends %(parent)s {
    private static final long serialVersionUID = 1L;
%(public_ctor)s
    protected %(name)s(Errc code, String message, int status, String reason) {
        super(code, message, status, reason);
    }
}
''' % {"desc": javadoc(k), "id": k.id, "name": class_name(k), "parent": parent, "public_ctor": public_ctor}


def errc(t) -> str:
    rows = ",\n".join('    /** %s */\n    %s(%d, %s, %s)' % (k.description, enum_name(k), k.code, quote(k.name),
                                                            quote(k.kind)) for k in t.errors if k.code is not None)
    return HEADER + '''
/** The kinds of error the client raises: the core's error table. */
public enum Errc {
%s;

    private final int code;
    private final String errcName;
    private final String kind;

    Errc(int code, String errcName, String kind) {
        this.code = code;
        this.errcName = errcName;
        this.kind = kind;
    }

    /** The stable number of the kind (nws::Errc). */
    public int code() { return code; }
    /** The stable lower-case name ("no such workspace"). */
    public String errcName() { return errcName; }
    /** The CamelCase kind the class names are built from ("NoSuchWorkspace"). */
    public String kind() { return kind; }

    /** The kind with the stable number {@code code}. */
    public static Errc ofCode(int code) {
        for (Errc e : values()) if (e.code == code) return e;
        throw new IllegalArgumentException("no error kind has code " + code);
    }
}
''' % rows


def mode(t) -> str:
    rows = ",\n".join("    %s(%s)" % (m.id.upper(), quote(m.name)) for m in t.standard_modes)
    return HEADER + '''
/** A variable's mode: how its values are handed out. */
public enum Mode {
%s;

    private final String wireName;

    Mode(String wireName) { this.wireName = wireName; }

    /** The mode's name as the server knows it. */
    public String wireName() { return wireName; }
}
''' % rows


def constants(t) -> str:
    langs = "\n".join("    public static final int LANGUAGE_%s = %d;" % (l.id.upper(), l.number) for l in t.languages)
    names = "\n".join('            case %d: return %s;' % (l.number, quote(l.display)) for l in t.languages if l.number)
    flags = "\n".join("    /** %s */\n    public static final long %s = 0x%XL;" % (f.description, f.id.upper(), f.mask)
                      for f in t.flags)
    fields = "\n".join("    public static final int %s_SHIFT = %d;\n    public static final long %s_MASK = 0x%XL;" % (
        f.id.upper(), f.shift, f.id.upper(), (1 << f.width) - 1) for f in t.fields)
    return HEADER + '''
/** The core's tables: version, writer languages (descriptor bits 24-31), descriptor bits. */
public final class Tables {
    private Tables() {}

    /** The version of NetWorkSpaces this binding was built from. */
    public static final String VERSION = %(version)s;

%(langs)s

%(flags)s
%(fields)s

    /** A writer language's display name ("Python"), or "language N". */
    public static String languageName(int id) {
        switch (id) {
%(names)s
            default: return "language " + id;
        }
    }
}
''' % {"version": quote(t.version), "langs": langs, "flags": flags, "fields": fields, "names": names}


def emit(t, out: Path) -> None:
    write(out / "Errc.java", errc(t))
    write(out / "Mode.java", mode(t))
    write(out / "Tables.java", constants(t))
    for k in t.errors:
        write(out / (class_name(k) + ".java"), root_class(t, k) if k.parent is None else kind_class(t, k))
