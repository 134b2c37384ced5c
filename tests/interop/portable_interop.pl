# Perl's side of the portable interop matrix (portable_cases.md), loaded by
# interop.pl:
#   PortableInterop::pwrite($ws, $cases_file)           store every case Perl writes
#   PortableInterop::pread($ws, $writer, $cases_file)   check every case $writer stored
# Each case is built natively here; a reader compares what it read with its
# own build of the case: doubles by their bits (NaN, -0.0), integers by
# value, strings and bytes apart, booleans, timestamps and tables by type.
package PortableInterop;
use strict;
use warnings;
use utf8;
use B ();
use JSON::PP ();
use Time::Local ();
use NWS;

my $ME = 'Perl';
my ($T, $F) = ($JSON::PP::true, $JSON::PP::false);
sub f64 { unpack 'd>', pack 'H16', $_[0] }   # a double from its bits, in hex
my $TS = NWS::Timestamp->new(nanoseconds => Time::Local::timegm(34, 54, 15, 6, 11, 2026) * 1_000_000_000 + 123_456_000);

# The cases as Perl writes them, and as Perl expects to read them.
sub cases {
    return {
        null      => undef,
        true      => $T,
        small_int => 42,
        int       => -1234567890123,
        real      => 3.25,
        string    => 'héllo, wörld ✓ 你好',
        bytes     => "\x00\x01\xfe\xff",
        list      => [1, 'two', 3.5, undef, $T],
        map       => { alpha => 1, beta => 'b', gamma => 2.5 },
        nested    => { empty_list => [], empty_map => {}, inner => [1, ['x', $T]] },
        f64vec    => [1.5, f64('c000000000000000'), f64('7ff8000000000000'), f64('7ff0000000000000'),
                      f64('fff0000000000000'), f64('8000000000000000')],
        i64vec    => [1, -2, 1 << 40, -(1 << 53)],
        i64big    => [1 << 62, 1],
        i32vec    => [1, -2, 2147483647, -2147483647],
        boolvec   => [$T, $F, $T],
        strvec    => ['a', 'β', ''],
        missing   => [1, undef, 3],
        timestamp => $TS,
        tsvec     => [NWS::Timestamp->new(nanoseconds => 0), $TS],
        table     => NWS::Table->new(x => [1.5, 2.5, 3.5], n => [1, 2, 3], s => ['a', 'b', 'c'], b => [$T, $F, $T]),
    };
}

# [case, {not written by}, {read error in}] from the markdown table, in order.
sub read_cases_file {
    my ($path) = @_;
    open my $fh, '<:encoding(UTF-8)', $path or die "$path: $!\n";
    my @rows;
    while (my $line = <$fh>) {
        next unless $line =~ /^\| / && $line !~ /^\| case / && $line !~ /^\|---/;
        $line =~ s/^\|\s*|\s*\|\s*$//g;
        my @cells = split /\s*\|\s*/, $line, -1;
        my $names = sub { +{ map { $_ => 1 } grep { length } split /\s*,\s*/, $_[0] // '' } };
        push @rows, [$cells[0], $names->($cells[2]), $names->($cells[3])];
    }
    return @rows;
}

# 1 an integer, 2 a floating number, 0 not a number.
sub number_kind {
    my $f = B::svref_2object(\$_[0])->FLAGS;
    return 0 if $f & B::SVf_POK || !($f & (B::SVf_IOK | B::SVf_NOK));
    return $f & B::SVf_IOK ? 1 : 2;
}

sub same {
    my ($got, $want) = @_;
    return !defined $got unless defined $want;
    return 0 unless defined $got && ref $got eq ref $want;
    my $ref = ref $want;
    if ($ref eq 'ARRAY') {
        return 0 unless @$got == @$want;
        same($got->[$_], $want->[$_]) || return 0 for 0 .. $#$want;
        return 1;
    }
    if ($ref eq 'HASH') {
        return 0 unless join("\0", sort keys %$got) eq join("\0", sort keys %$want);
        same($got->{$_}, $want->{$_}) || return 0 for keys %$want;
        return 1;
    }
    return ($$got ? 1 : 0) == ($$want ? 1 : 0) if $ref eq 'JSON::PP::Boolean';
    return $got->nanoseconds == $want->nanoseconds if $ref eq 'NWS::Timestamp';
    if ($ref eq 'NWS::Table') {
        return 0 unless join("\0", $got->names) eq join("\0", $want->names) && $got->rows == $want->rows;
        same($got->column($_), $want->column($_)) || return 0 for $want->names;
        return 1;
    }
    return 0 if $ref;
    my $kind = number_kind($want);
    return 0 unless number_kind($got) == $kind;
    return pack('d<', $got) eq pack('d<', $want) if $kind == 2;
    return $got == $want if $kind == 1;
    # Text comes back as characters (the UTF-8 flag on unless ASCII), bytes without the flag.
    return 0 if $want =~ /[^\x00-\x7f]/ && utf8::is_utf8($got) != utf8::is_utf8($want);
    return $got eq $want;
}

sub show {
    my ($v) = @_;
    return 'undef' unless defined $v;
    return "bytes " . unpack('H*', $v) if !ref $v && !utf8::is_utf8($v) && $v =~ /[^\x20-\x7e]/;
    return "$v" unless ref $v;
    return '[' . join(', ', map { show($_) } @$v) . ']' if ref $v eq 'ARRAY';
    return '{' . join(', ', map { "$_: " . show($v->{$_}) } sort keys %$v) . '}' if ref $v eq 'HASH';
    return $$v ? 'true' : 'false' if ref $v eq 'JSON::PP::Boolean';
    return 'table {' . join(', ', map { "$_: " . show($v->column($_)) } $v->names) . '}' if ref $v eq 'NWS::Table';
    return "$v";
}

# Stores every case Perl writes; one line per case; false if one failed.
sub pwrite {
    my ($ws, $cases_file, $report) = @_;
    my $mine = cases();
    my $all_ok = 1;
    for my $row (read_cases_file($cases_file)) {
        my ($name, $not_written) = @$row;
        next if $not_written->{$ME};
        my $what = "$ME writes the portable $name";
        if (!exists $mine->{$name}) { $report->(0, "$what: no such case here"); $all_ok = 0; next }
        my $ok = eval { $ws->store("${ME}_p_$name", $mine->{$name}, portable => 1); 1 };
        $report->($ok, $ok ? $what : "$what: $@");
        $all_ok &&= $ok;
    }
    return $all_ok;
}

# Checks every case $writer stored; one line per case.
sub pread {
    my ($ws, $writer, $cases_file, $report) = @_;
    my $mine = cases();
    my $absent = \'absent';
    for my $row (read_cases_file($cases_file)) {
        my ($name, $not_written, $read_error) = @$row;
        my $var = "${writer}_p_$name";
        my $what = "$ME reads ${writer}'s portable $name";
        if ($not_written->{$writer}) {
            my $got = eval { $ws->find_try($var, $absent) };
            $report->(defined $got && ref $got && $got == $absent, "$what: $writer has no such value, nothing stored");
        } elsif ($read_error->{$ME}) {
            my $got = eval { $ws->find($var, timeout => 10) };
            my $e = $@;
            $report->($e && ref $e && $e->isa('NWS::Error::Serialisation'),
                      $e ? "$what: refused ($e)" : "$what: expected an error, read " . show($got));
        } elsif (!exists $mine->{$name}) {
            $report->(0, "$what: no such case here");
        } else {
            my $got = eval { $ws->find($var, timeout => 10) };
            if (my $e = $@) { $report->(0, "$what: $e"); next }
            $report->(same($got, $mine->{$name}), "$what (got " . show($got) . ")");
        }
    }
    return 1;
}

1;
