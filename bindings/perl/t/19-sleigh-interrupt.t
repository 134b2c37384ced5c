# Ctrl-C (SIGINT) while a sleigh's master waits for results: the call dies
# with NWS::Error::Cancelled, and the sleigh still stops cleanly.  The task never returns, so the
# master waits until it is interrupted; a child sends SIGINT until it is
# (a signal that lands between two waits goes to Perl's handler, which only
# counts it).
use strict;
use warnings;
use Test::More;
use POSIX ();
use Time::HiRes ();
use lib 't/lib';
use NWSTestServer;
use SleighSupport;
use NWS::Sleigh;

my $srv = NWSTestServer->start;
my $s = NWS::Sleigh->new(nwsHost => $srv->host, nwsPort => $srv->port, workerCount => 1);
is(scalar $s->status(0, 60), 1, 'one worker');
my @pids = map { $_->{pid} } $s->workerInfo;

my $outside = 0;
local $SIG{INT} = sub { $outside++ };
pipe(my $done_r, my $done_w) or die "pipe: $!";
my $parent = $$;
my $child = fork // die "fork: $!";
if (!$child) {
    close $done_w;
    my $sel = '';
    vec($sel, fileno($done_r), 1) = 1;
    for (1 .. 600) {   # a minute at most
        kill 'INT', $parent;
        # Until the parent says it was interrupted (or exits: EOF).
        POSIX::_exit(0) if select(my $r = $sel, undef, undef, 0.1);
    }
    POSIX::_exit(1);
}
close $done_r;
my $err = do { eval { $s->eachElem('SleighTest::park', [1]) }; $@ };
close $done_w;
waitpid($child, 0);
isa_ok($err, 'NWS::Error::Cancelled', 'eachElem waiting for a result');
like($err->message, qr/interrupted|cancelled/, '... says so');
note("SIGINTs that came between waits: $outside");

# Signals for Perl's own handlers while the sleigh's threads run: a burst
# of them (the main thread still has one pending when the next comes, so
# the kernel offers it to another thread) must all reach Perl's thread,
# never a native one, where Perl's handler would crash the process.
my $s2 = NWS::Sleigh->new(nwsHost => $srv->host, nwsPort => $srv->port, workerCount => 1);
$s2->status(0, 60);
my $usr1 = 0;
local $SIG{USR1} = sub { $usr1++ };
my $burst = fork // die "fork: $!";
if (!$burst) {
    kill 'USR1', $parent for 1 .. 100;   # fewer than Perl's 120 pending at once
    POSIX::_exit(0);
}
my @sums;
do { push @sums, scalar(() = $s2->eachElem('SleighTest::square', [1 .. 50])) } while waitpid($burst, POSIX::WNOHANG()) == 0;
is($? >> 8, 0, 'a burst of SIGUSR1 was sent while jobs ran');
ok($usr1 > 0, "Perl's handler ran ($usr1 times: the kernel merges pending ones)");
ok(!grep({ $_ != 50 } @sums), 'the jobs ran through it');
$s2->stop;

my $ws = $s->wsName;
$s->stop;
ok(NWSTestServer::poll_until(10, sub { !grep({ SleighSupport::in_process_table($_) } @pids) && !SleighSupport::processes_of($ws) }),
   'the sleigh stops, its parked worker too');
done_testing;
