package NWS::Portable::Write;
# Perl data -> a portable value (docs/values.md), through the core's writer
# (NWS::Raw::PortableWriter): this file only decides which portable type a
# Perl value is; the encoding and its checks are the core's.
#
# Perl scalars have no declared type, so a scalar's flags decide: created as
# a number (integer or floating), a string (text if it has the UTF-8 flag
# or is plain ASCII, else bytes), a boolean (JSON::PP's, or Perl's own from
# 5.36).  An array's elements, all of one such type (undef: missing), make
# a packed vector, moved with one pack(); anything else is a list.
use strict;
use warnings;
use B ();
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Raw;
use NWS::Timestamp;
use NWS::Table;

our $VERSION = $NWS::Tables::VERSION;

# Perl 5.36 has real booleans and records whether a scalar was created as a
# number; the created_as check is much faster than B's flags.
use constant HAS_BOOL => defined &builtin::is_bool;
use constant HAS_CREATED_AS => defined &builtin::created_as_number;
no if HAS_BOOL, warnings => 'experimental::builtin';

# Nesting is bounded by the core's writer (256 levels, which also ends a
# cyclic structure), not by Perl's warning at 100.
no warnings 'recursion';

use constant { IOK => B::SVf_IOK, NOK => B::SVf_NOK, POK => B::SVf_POK, IS_UV => B::SVf_IVisUV };

# How numbers are packed (little-endian, as the core takes them).
my %PACK = (float64 => 'd<*', int64 => 'q<*');

# A sleigh encodes a value per element, so one writer serves them all (a
# finished writer starts afresh; one for values and one for lists, so that
# neither is ever in use twice at once).  A failed encoding leaves its
# writer half written: it is dropped then.
my ($VALUE_WRITER, $LIST_WRITER);

# The bytes of $value as a portable value; dies with
# NWS::Error::Serialisation saying what cannot be written and where.
sub encode {
    my ($value) = @_;
    return _with_writer(\$VALUE_WRITER, sub { _value($_[0], $value, '') });
}

# The bytes of the items of an array as a portable list, never a packed
# vector (as an array of one type would be): a sleigh task's arguments,
# which every language's worker reads as positional arguments.
sub encode_list {
    my ($items) = @_;
    return _with_writer(\$LIST_WRITER, sub {
        $_[0]->list(scalar @$items);
        _value($_[0], $items->[$_], "[$_]") for 0 .. $#$items;
    });
}

sub _with_writer {
    my ($slot, $write) = @_;
    my $w = $$slot //= NWS::Raw::PortableWriter->new;
    my $bytes;
    return $bytes if eval { $write->($w); $bytes = $w->finish; 1 };
    my $err = $@;
    undef $$slot;
    die $err;
}

# True when a plain scalar is a number or a boolean (a portable value),
# not a string (which every language reads as a plain string).
sub is_typed_scalar {
    my ($v) = @_;
    return 1 if HAS_BOOL && builtin::is_bool($v);
    return _number($v) ? 1 : 0;
}

# 1 for an integer, 2 for a floating number, 0 for anything else.  A
# number that has been used as both (its integer flag set) is an integer:
# Perl sets that flag on a floating value only when it is exactly one.
sub _number {
    my $f = B::svref_2object(\$_[0])->FLAGS;
    return 0 if $f & POK || !($f & (IOK | NOK));
    return $f & IOK ? 1 : 2;
}

sub _value {
    my ($w, $v, $at) = @_;
    return $w->null unless defined $v;
    my $ref = ref $v;
    return _scalar($w, $v, $at) unless $ref;
    return _array($w, $v, $at) if $ref eq 'ARRAY';
    return _hash($w, $v, $at) if $ref eq 'HASH';
    if (Scalar::Util::blessed $v) {
        return $w->boolean($v ? 1 : 0) if $v->isa('JSON::PP::Boolean');
        return $w->timestamp($$v) if $v->isa('NWS::Timestamp');
        return _table($w, $v, $at) if $v->isa('NWS::Table');
        _refuse("an object of class $ref", $at);
    }
    _refuse("a $ref reference", $at);
}

sub _scalar {
    my ($w, $v, $at) = @_;
    return $w->boolean($v ? 1 : 0) if HAS_BOOL && builtin::is_bool($v);
    my $n = _number($v);
    if ($n == 1) {
        _refuse("the integer $v (beyond 64-bit signed integers)", $at) if B::svref_2object(\$v)->FLAGS & IS_UV;
        return $w->integer($v);
    }
    return $w->real($v) if $n == 2;
    my $s = "$v";
    return $w->bytes($s) if !utf8::is_utf8($s) && $s =~ /[^\x00-\x7f]/;
    utf8::encode($s);
    return $w->string($s);
}

sub _array {
    my ($w, $a, $at) = @_;
    my $type = vector_type($a, $at);
    return _vector($w, $type, $a) if $type;
    $w->list(scalar @$a);
    _value($w, $a->[$_], "$at\[$_]") for 0 .. $#$a;
    return;
}

sub _hash {
    my ($w, $h, $at) = @_;
    $w->map(scalar keys %$h);
    for my $k (sort keys %$h) {
        my $key = $k;
        utf8::encode($key);   # keys are text: one without the UTF-8 flag is Latin-1
        $w->key($key);
        _value($w, $h->{$k}, "$at\{$k}");
    }
    return;
}

sub _table {
    my ($w, $t, $at) = @_;
    my @names = $t->names;
    $w->table(scalar @names, $t->rows);
    for my $name (@names) {
        my $column = $t->column($name);
        my $key = $name;
        utf8::encode($key);
        $w->key($key);
        # No defined element tells no type: such a column is all missing.
        my $type = (grep { defined } @$column) ? vector_type($column, ($at eq '' ? '' : "$at ") . "column '$name'") : 'float64';
        _refuse("column '$name' (not all numbers, booleans, strings or NWS::Timestamps)", $at) unless $type;
        _vector($w, $type, $column);
    }
    return;
}

# The vector type of an array (float64, int64, boolean, string, timestamp),
# or undef when it is a list: empty, all undef, or not all of one type.
sub vector_type {
    my ($a, $at) = @_;
    my $first;
    for (@$a) { next unless defined; $first = $_; last }
    return undef unless defined $first;
    if (ref $first) {
        my $class = Scalar::Util::blessed($first) or return undef;
        for my $kind (['JSON::PP::Boolean', 'boolean'], ['NWS::Timestamp', 'timestamp']) {
            next unless $first->isa($kind->[0]);
            for (@$a) { return undef if defined && !(Scalar::Util::blessed($_) && $_->isa($kind->[0])) }
            return $kind->[1];
        }
        return undef;
    }
    if (HAS_BOOL && builtin::is_bool($first)) {
        for (@$a) { return undef if defined && (ref || !builtin::is_bool($_)) }
        return 'boolean';
    }
    return _numbers($a, $at) if _number($first);
    for (@$a) {
        next unless defined;
        return undef if ref || (HAS_CREATED_AS ? builtin::created_as_number($_) : _number($_))
                     || (HAS_BOOL && builtin::is_bool($_))
                     || (!utf8::is_utf8($_) && /[^\x00-\x7f]/);
    }
    return 'string';
}

# int64 when every defined element is an integer, float64 when one is
# floating, undef (a list) when one is not a number.
sub _numbers {
    my ($a, $at) = @_;
    my ($float, $i) = (0, -1);
    for (@$a) {
        ++$i;
        next unless defined;
        # Once one is floating, only "is it a number" is left to ask.
        if ($float && HAS_CREATED_AS) {
            return undef if ref || !builtin::created_as_number($_);
            next;
        }
        return undef if ref;
        my $f = B::svref_2object(\$_)->FLAGS;
        return undef if $f & POK || !($f & (IOK | NOK));
        if (!($f & IOK)) {
            $float = 1;
        } elsif ($f & IS_UV) {
            _refuse("the integer $_ (beyond 64-bit signed integers)", "$at\[$i]");
        }
    }
    return $float ? 'float64' : 'int64';
}

# One packed vector: the data in one pack(), the missing elements (undef)
# in a bitmap beside it.
sub _vector {
    my ($w, $type, $a) = @_;
    my $n = @$a;
    if ($type eq 'string') {
        $w->string_vector($n);
        for (@$a) {
            if (defined) { my $s = "$_"; utf8::encode($s); $w->string($s) } else { $w->null }
        }
        return;
    }
    my $missing = grep { !defined } @$a;
    my $packed = $type eq 'boolean'   ? pack('C*', map { $_ ? 1 : 0 } @$a)
               : $type eq 'timestamp' ? pack('q<*', map { defined ? $$_ : 0 } @$a)
               :                        pack($PACK{$type}, $missing ? map { $_ // 0 } @$a : @$a);
    my $bitmap = $missing ? pack('b*', join '', map { defined ? 0 : 1 } @$a) : '';
    $w->vector($type, $n, $packed, $bitmap);
    return;
}

sub _refuse {
    my ($what, $at) = @_;
    NWS::Error::Serialisation->throw(
        message => "portable value: $what" . ($at eq '' ? '' : " at $at") . ' is not a portable type (portable values hold '
                 . 'undef, numbers, strings, booleans, NWS::Timestamp, NWS::Table, and array and hash references of them)');
}

1;

__END__

=head1 NAME

NWS::Portable::Write - Perl data to portable values (internal)

=head1 DESCRIPTION

Internal to the NWS distribution; see L<NWS/Values> for the rules.

=cut
