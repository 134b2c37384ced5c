# The sleigh's fault tolerance from Perl, with real workers: a worker
# SIGKILLed while it holds a task (every element still gives exactly one
# result, from the survivor), and the master SIGKILLed (its workers go).
# Nothing here sleeps in the hope that something happened: the stalled
# task says so in the user workspace, and the process table is polled.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use POSIX ();
use lib 't/lib';
use NWSTestServer;
use SleighSupport;
use NWS::Sleigh;

my $srv = NWSTestServer->start;
my %at = (nwsHost => $srv->host, nwsPort => $srv->port);

# ---- a worker killed mid-job ----
my $s = NWS::Sleigh->new(%at, workerCount => 2);
is_deeply([$s->status(0, 60)], [2, 1], 'two workers');
my %pid = map { $_->{rank} => $_->{pid} } $s->workerInfo;
my $p = $s->eachElem('SleighTest::stall_on_rank_1', [0 .. 39], { blocking => 0, chunkSize => 1 });
# Worker 1 parks its first task: once it says so, it holds that task (and
# a second one in its inbox) when it is killed.
my $stalled = $s->userNws->fetch('stalled', timeout => 60);
ok(defined $stalled, "worker 1 holds element $stalled");
kill 'KILL', $pid{1};
my (%count, %ranks);
my @results = $p->wait;
is(scalar @results, 40, 'forty results');
is_deeply(\@results, [map { $_ * 10 } 0 .. 39], 'every element has its value, the killed worker\'s too');
$count{$_}++ for grep { defined $results[$_] } 0 .. $#results;
ok(!grep({ $_ != 1 } values %count), '... each exactly once');
is_deeply([sort keys %{ { map { $_ => 1 } $p->ranks } }], [0], '... all from the surviving worker');
ok(NWSTestServer::poll_until(10, sub { !SleighSupport::running($pid{1}) }), 'the killed worker is gone');
is($s->workersAlive, 1, 'one worker left');
is_deeply([$s->eachElem('SleighTest::square', [1 .. 5])], [1, 4, 9, 16, 25], 'the sleigh goes on with it');
my $ws = $s->wsName;
$s->stop;
ok(NWSTestServer::poll_until(10, sub { !SleighSupport::in_process_table($pid{0}) && !SleighSupport::processes_of($ws) }),
   'after stop no worker process is left');

# ---- the master killed: its workers go ----
# The master is a child process (its own sleigh, on this test's server);
# it prints its workers' pids and waits to be killed.
my $logs = File::Temp::tempdir('nws-perl-sleigh-XXXXXX', TMPDIR => 1, CLEANUP => 1);
pipe(my $r, my $w) or die "pipe: $!";
my $master = fork // die "fork: $!";
if (!$master) {
    close $r;
    my $ok = eval {
        # Their output (they say that the sleigh is gone) goes to files.
        my $m = NWS::Sleigh->new(%at, workerCount => 2, logDir => $logs);
        $m->status(0, 60);
        print $w join(' ', $m->wsName, map { $_->{pid} } $m->workerInfo), "\n";
        close $w;
        sleep 1 while 1;
    };
    POSIX::_exit(1);
}
close $w;
my ($mws, @mpids) = split ' ', (<$r> // '');
close $r;
is(scalar @mpids, 2, "the master's two workers are up");
kill 'KILL', $master;
waitpid($master, 0);
ok(NWSTestServer::poll_until(10, sub { !SleighSupport::processes_of($mws) }),
   'after the master is killed its workers go (their sentinels)');

done_testing;
