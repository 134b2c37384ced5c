# The cross-language sleigh matrix's Perl master (tests/interop/sleigh):
#
#   perl master.pl WORKER_LANG [LOAD]
#
# Opens a sleigh of 2 local WORKER_LANG workers on the server in
# $NWS_HOST/$NWS_PORT (loading LOAD when given), runs that language's
# matrix function once on each worker (eachWorker: both have joined, and
# each answers), then over 20 elements (i, i + 0.5, "e<i>", ["a", "b", "c"])
# one element per chunk, so that both workers run some; checks every
# result and the ranks that ran them, stops the sleigh and prints
# "ok perl -> WORKER_LANG: 20 results" (exit 0), or "FAIL <reason>" (exit 1).
use strict;
use warnings;
use B ();
use NWS::Sleigh;

my %FUNCTION = (python => 'nws_matrix:combine', r => 'combine', java => 'org.networkspaces.matrix.Matrix#combine',
                perl => 'NwsMatrix::combine', ruby => 'NwsMatrix.combine');
my $N = 20;

sub fail { print "FAIL @_\n"; exit 1 }

# How Perl holds a scalar: 'integer', 'float', 'string' or 'other'.
sub kind {
    my $f = B::svref_2object(\$_[0])->FLAGS;
    return 'string' if $f & B::SVf_POK;
    return 'integer' if $f & B::SVf_IOK;
    return 'float' if $f & B::SVf_NOK;
    return 'other';
}

# The problems with result $k, or none.
sub check {
    my ($v, $k, $lang) = @_;
    return "it failed: $v" if ref $v && ref $v ne 'HASH';
    return 'it is not a map but ' . (defined $v ? "'$v'" : 'undef') unless ref $v eq 'HASH';
    my @keys = sort keys %$v;
    return "its keys are @keys" unless "@keys" eq 'i label lang n x';
    my @p;
    push @p, "i is $v->{i} (" . kind($v->{i}) . ')' unless kind($v->{i}) eq 'integer' && $v->{i} == $k + 1;
    push @p, "x is $v->{x} (" . kind($v->{x}) . ')' unless kind($v->{x}) eq 'float' && $v->{x} == ($k + 0.5) * 2;
    push @p, "label is '$v->{label}'" unless !ref $v->{label} && $v->{label} eq "e$k\@$lang";
    push @p, "n is $v->{n}" unless !ref $v->{n} && kind($v->{n}) ne 'string' && $v->{n} == 3;
    push @p, "lang is '$v->{lang}'" unless !ref $v->{lang} && $v->{lang} eq $lang;
    return @p;
}

sub main {
    my ($lang, $load) = @ARGV;
    fail('usage: perl master.pl WORKER_LANG [LOAD]') unless defined $lang && $FUNCTION{$lang};
    my ($host, $port) = @ENV{qw(NWS_HOST NWS_PORT)};
    fail('NWS_HOST and NWS_PORT must name the server') unless $host && $port;
    my $s = NWS::Sleigh->new(nwsHost => $host, nwsPort => $port, launch => 'local', workerCount => 2,
                             language => $lang, (defined $load && length $load ? (load => [$load]) : ()));
    my $name = $FUNCTION{$lang};
    my @once = $s->eachWorker({ timeout => 120 }, $name, 0, 0.5, 'e0', [qw(a b c)]);
    fail(scalar(@once) . ' eachWorker results, not 2') unless @once == 2;
    for my $r (0, 1) {
        my @p = check($once[$r], 0, $lang);
        fail("eachWorker, worker $r: @p") if @p;
    }
    # Each element's arguments made afresh: a number used as a string
    # ("e$i") would otherwise carry its string form too.
    my @args = map { [0 + $_, $_ + 0.5, 'e' . $_, [qw(a b c)]] } 0 .. $N - 1;
    my (@got, %ranks);
    my $count = $s->eachElem($name, \@args, {
        by => 'arrays', chunkSize => 1,
        callback => sub { my ($i, $v, $rank) = @_; push @{ $got[$i] }, $v; $ranks{$rank}++ },
    });
    fail("$count results, not $N") unless $count == $N;
    for my $k (0 .. $N - 1) {
        my $n = $got[$k] ? @{ $got[$k] } : 0;
        fail("result $k came $n times") unless $n == 1;
        my @p = check($got[$k][0], $k, $lang);
        fail("result $k: " . join('; ', @p)) if @p;
    }
    my @ran = sort keys %ranks;
    fail('the workers that ran tasks: ' . join(', ', map { "$_ ($ranks{$_})" } @ran) . ' (both should run some)')
        unless "@ran" eq '0 1';
    $s->stop;
    print "ok perl -> $lang: $N results\n";
    return;
}

eval { main(); 1 } or do { my $e = "$@"; $e =~ s/\s+\z//; fail($e) };
exit 0;
