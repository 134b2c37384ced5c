#!/usr/bin/env perl
# The Perl side of the interop matrix (same commands as interop.py):
#   perl interop.pl PORT WS write VECDIR | read VECDIR WRITER |
#                     block VAR EXPECTED | store VAR VALUE |
#                     pwrite CASES | pread WRITER CASES   (portable_interop.pl)
# Prints one "ok ..." or "FAIL ..." line per check.
use strict; use warnings;
use Encode ();
use FindBin ();
use NWS;
require "$FindBin::Bin/portable_interop.pl";
$| = 1;
binmode STDOUT, ":encoding(UTF-8)";
my ($port, $wsname, $mode, @rest) = @ARGV;
my $ME = 'Perl';
my @VECTORS = (['ascii', 'ascii.txt', 1], ['utf8', 'utf8.txt', 1], ['empty', 'empty.txt', 1],
               ['binary', 'binary.bin', 0], ['large', 'large.bin', 0]);
sub native { { answer => 42, list => [1, 2, 3] } }
sub report { my ($ok, $what) = @_; print(($ok ? 'ok ' : 'FAIL ') . "$what\n") }
sub file_bytes { my ($p) = @_; open my $fh, '<:raw', $p or die "$p: $!"; local $/; my $d = <$fh>; $d // '' }

my $ws = NWS::NetWorkSpace->new($wsname, host => '127.0.0.1', port => $port, use_only => 1);
if ($mode eq 'write') {
    for my $v (@VECTORS) {
        my $b = file_bytes("$rest[0]/$v->[1]");
        $ws->store("${ME}_$v->[0]", $v->[2] ? Encode::decode('UTF-8', $b, Encode::FB_CROAK) : $b);
    }
    $ws->store("${ME}_native", native());
} elsif ($mode eq 'read') {
    my ($vecdir, $writer) = @rest;
    for my $v (@VECTORS) {
        my $want = file_bytes("$vecdir/$v->[1]");
        my $what = "$ME reads $writer $v->[0]";
        my $got = eval { $ws->find("${writer}_$v->[0]", timeout => 10) };
        if (my $e = $@) { report(0, "$what: $e"); next }
        if ($v->[2]) {
            # Text comes back as a character string (UTF-8 flag on unless ASCII).
            my $bytes = defined $got ? Encode::encode('UTF-8', $got) : undef;
            report(defined $got && $bytes eq $want && (utf8::is_utf8($got) || $want !~ /[\x80-\xff]/), $what);
        } else {
            report(defined $got && !utf8::is_utf8($got) && $got eq $want, $what);
        }
    }
    my $what = "$ME reads $writer native";
    my $got = eval { $ws->find("${writer}_native", timeout => 10) };
    if (my $e = $@) {
        my $ok = $writer ne $ME && ref $e && $e->isa('NWS::Error::Serialisation') && "$e" =~ /\b\Q$writer\E\b/;
        report($ok, "$what: error names $writer: $e");
    } else {
        my $ok = $writer eq $ME && ref $got eq 'HASH' && $got->{answer} == 42 && "@{$got->{list}}" eq '1 2 3';
        report($ok, "$what (got a value)");
    }
} elsif ($mode eq 'block') {
    my $got = eval { $ws->fetch($rest[0], timeout => 20) };
    if (my $e = $@) { report(0, "$ME blocked fetch: $e") }
    else { report(defined $got && $got eq $rest[1], "$ME blocked fetch released with '$got'") }
} elsif ($mode eq 'store') {
    $ws->store($rest[0], $rest[1]);
} elsif ($mode eq 'pwrite') {
    PortableInterop::pwrite($ws, $rest[0], \&report) or die "$ME could not store every portable case\n";
} elsif ($mode eq 'pread') {
    PortableInterop::pread($ws, $rest[0], $rest[1], \&report);
} else { die "unknown mode $mode\n" }
$ws->close;
