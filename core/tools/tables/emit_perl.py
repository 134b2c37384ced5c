"""lib/NWS/Tables.pm for the Perl distribution: the error classes
(NWS::Error::<Kind> under the hand-written NWS::Error, groups included) and
the constants (writer languages, descriptor bits, modes, the version)."""

from __future__ import annotations

from pathlib import Path

from common import NOTICE, quote, write


def class_name(kind) -> str:
    return "NWS::Error" if kind.parent is None else "NWS::Error::" + kind.kind


def code_of(kind) -> str:
    return str(kind.code) if kind.code is not None else "undef"


def emit(t, out: Path) -> None:
    lines = ["package NWS::Tables;", "# The core's tables for Perl: error classes and constants.", "# " + NOTICE,
             "use strict;", "use warnings;", "", "# core/VERSION: the version of the core and of this distribution.",
             "our $VERSION = %s;" % quote(t.version), "",
             "# [id, code (undef for a group), parent id, Kind, name, class, description]", "our @ERRORS = ("]
    for k in t.errors:
        lines.append("    [%s, %s, %s, %s, %s, %s, %s]," % (
            quote(k.id), code_of(k), quote(k.parent) if k.parent else "undef",
            quote(k.kind), quote(k.name), quote(class_name(k)), quote(k.description)))
    lines += [");", "", "# Each error kind's class by its stable name (\"no such workspace\") and by its code.",
              "our %CLASS_OF_NAME = map { $_->[4] => $_->[5] } @ERRORS;",
              "our %CLASS_OF_CODE = map { defined $_->[1] ? ($_->[1] => $_->[5]) : () } @ERRORS;", "",
              "# Writer languages (descriptor bits 24-31) by id, and their display names by number.",
              "our %LANGUAGE = ("]
    lines += ["    %s => %d," % (l.id, l.number) for l in t.languages]
    lines += [");", "our %LANGUAGE_NAME = ("]
    lines += ["    %d => %s," % (l.number, quote(l.display)) for l in t.languages if l.number]
    lines += [");", "", "# Descriptor bits and fields."]
    for f in t.flags:
        lines.append("use constant %s => 0x%X;  # %s" % (f.id.upper(), f.mask, f.description))
    for f in t.fields:
        lines += ["use constant %s_SHIFT => %d;" % (f.id.upper(), f.shift),
                  "use constant %s_MASK => 0x%X;" % (f.id.upper(), (1 << f.width) - 1)]
    lines += ["", "# The modes programs declare (FIFO => 'fifo', ...), and every mode a client may declare."]
    lines += ["use constant %s => %s;" % (m.id.upper(), quote(m.name)) for m in t.standard_modes]
    lines += ["our @MODES = (%s);" % ", ".join(quote(m.name) for m in t.standard_modes),
              "our @DECLARABLE_MODES = (%s);" % ", ".join(quote(m.name) for m in t.modes if m.kind != "internal"),
              ""]
    # Every class, the root included, answers kind_id / kind_code / kind_name
    # (class or object method); the root's other methods are hand-written.
    for k in t.errors:
        lines.append("package %s;" % class_name(k))
        if k.parent is not None:
            lines.append("our @ISA = (%s);" % quote(class_name(t.error(k.parent))))
        lines += ["sub kind_id { %s }" % quote(k.id), "sub kind_code { %s }" % code_of(k),
                  "sub kind_name { %s }" % quote(k.name), ""]
    lines += ["1;", "", "__END__", "", "=head1 NAME", "", "NWS::Tables - the NWS core's tables for Perl (generated)", "",
              "=head1 DESCRIPTION", "",
              "Generated from the core's tables when the distribution is built; do not edit.  It holds:", "",
              "=over 4", "",
              "=item C<$NWS::Tables::VERSION>", "", "The core's version (C<%s>)." % t.version, "",
              "=item C<@NWS::Tables::ERRORS>", "",
              "The error table: C<[id, code, parent id, Kind, name, class, description]> per kind.", "",
              "=item C<%NWS::Tables::CLASS_OF_NAME>, C<%NWS::Tables::CLASS_OF_CODE>", "",
              "Each kind's class by its name and by its code.", "",
              "=item C<%NWS::Tables::LANGUAGE>, C<%NWS::Tables::LANGUAGE_NAME>", "",
              "Writer language numbers by id (C<perl>), and display names by number.", "",
              "=item " + ", ".join("C<%s>" % f.id.upper() for f in t.flags) + ", " +
              ", ".join("C<%s_SHIFT>, C<%s_MASK>" % (f.id.upper(), f.id.upper()) for f in t.fields), "",
              "The value descriptor's bits and fields.", "",
              "=item " + ", ".join("C<%s>" % m.id.upper() for m in t.standard_modes) +
              ", C<@NWS::Tables::MODES>, C<@NWS::Tables::DECLARABLE_MODES>", "",
              "The modes.", "",
              "=item the error classes", "",
              "C<NWS::Error::E<lt>KindE<gt>> for every kind, with C<@ISA> as in the table; each answers "
              "C<kind_id>, C<kind_code> and C<kind_name>.  See L<NWS::Error>.", "",
              "=back", "", "=cut", ""]
    write(out, "\n".join(lines))
