package SleighTest;
# Functions the sleigh tests' Perl workers run by name (SleighTest::square,
# ...): t/lib is in the master's @INC, so NWS::Sleigh puts it in theirs.
use strict;
use warnings;
use B ();
use NWS::Sleigh::Worker;

sub square { my ($x) = @_; return $x * $x }

sub add { my ($a, $b) = @_; return $a + $b }

# The arguments as they arrived, and what kind of scalar each is.
sub describe { return { args => [@_], kinds => [map { kind($_) } @_], count => scalar @_ } }

sub kind {
    my ($v) = @_;
    return 'undef' unless defined $v;
    return ref $v if ref $v;
    my $f = B::svref_2object(\$v)->FLAGS;
    return 'string' if $f & B::SVf_POK;
    return 'integer' if $f & B::SVf_IOK;
    return 'float' if $f & B::SVf_NOK;
    return 'other';
}

sub identity { return $_[0] }

sub fails_on_multiples_of {
    my ($n, $x) = @_;
    inner_failure($n, $x) if $x % $n == 0;
    return $x;
}

sub inner_failure { my ($n, $x) = @_; die "no multiples of $n, please: $x\n" if $n; return }

sub dies_with_object { die SleighTest::Oops->new("it went wrong") }

sub returns_code { return sub { 1 } }

sub nested_sleigh { require NWS::Sleigh; NWS::Sleigh->new(workerCount => 1); return 'started' }

sub whoami { return [$NWS::Sleigh::Worker::Rank, $NWS::Sleigh::Worker::WorkerCount, $$] }

# Worker 1 parks its first task for ever (until it is killed), after saying
# so in the user workspace; the other workers run theirs.
sub stall_on_rank_1 {
    my ($x) = @_;
    if ($NWS::Sleigh::Worker::Rank == 1) {
        my $ws = NWS::Sleigh::Worker::userNws();
        $ws->store('stalled', $x);
        $ws->fetch('never stored');
    }
    return $x * 10;
}

# Never returns (until the worker is stopped): a master waiting for it
# can only be interrupted.
sub park { NWS::Sleigh::Worker::userNws()->fetch('never stored') }

# The workspace value the master left for the workers.
sub shared { my ($name) = @_; return NWS::Sleigh::Worker::userNws()->find($name) }

sub loaded { return $SleighTest::Loaded::FLAG // 'not loaded' }

package SleighTest::Oops;
use overload '""' => sub { "Oops: $_[0]{text}" }, fallback => 1;
sub new { my ($class, $text) = @_; return bless { text => $text }, $class }

1;
