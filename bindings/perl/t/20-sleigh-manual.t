# The manual launch (the original web launch): the master stores the
# command that starts a worker in runMe and waits until a person deletes
# deleteMeWhenAllWorkersStarted.  Here a child plays the person: it runs
# runMe's command twice (the default command: this Perl with the master's
# library path), waits until both workers have joined, then deletes the
# variable.  The sleigh then works as any other, and stop ends the workers.
use strict;
use warnings;
use Test::More;
use POSIX ();
use lib 't/lib';
use NWSTestServer;
use SleighSupport;
use NWS::Sleigh;

my $srv = NWSTestServer->start;

my $person = fork // die "fork: $!";
if (!$person) {
    my $ok = eval {
        my $conn = $srv->connect;
        # The sleigh workspace is the one with a runMe.
        my $ws_name;
        NWSTestServer::poll_until(60, sub {
            ($ws_name) = map { $_->{name} } grep { grep { $_ eq 'runMe' } @{ $_->{variable_names} } } $conn->list_wss;
            $ws_name;
        }) or die "no runMe\n";
        my $ws = $conn->use_ws($ws_name);
        my $cmd = $ws->find('runMe');
        system('sh', '-c', "$cmd </dev/null >/dev/null 2>&1 &") == 0 or die "sh failed\n" for 1, 2;
        NWSTestServer::poll_until(60, sub { my $n = $ws->find_try('nodeList') // ''; scalar(split ' ', $n) == 2 })
            or die "the workers did not join\n";
        $ws->delete_var('deleteMeWhenAllWorkersStarted');
        1;
    };
    print STDERR "person: $@" unless $ok;
    POSIX::_exit($ok ? 0 : 1);
}
my $s = NWS::Sleigh->new(nwsHost => $srv->host, nwsPort => $srv->port, launch => 'manual');
waitpid($person, 0);
is($? >> 8, 0, 'the person ran runMe twice and said all workers started');
like($s->manualCommand, qr/PerlSleighNwsName=\S+ .*-MNWS::Sleigh::Worker/, 'manualCommand: the contract and a Perl worker');
is_deeply([$s->status], [2, 1], 'the group closed with the two workers');
is_deeply([$s->eachElem('SleighTest::square', [1 .. 10])], [map { $_ * $_ } 1 .. 10], 'eachElem on them');
my @pids = map { $_->{pid} } $s->workerInfo;
my $ws = $s->wsName;
$s->stop;
ok(NWSTestServer::poll_until(10, sub { !grep({ SleighSupport::running($_) } @pids) && !SleighSupport::processes_of($ws) }),
   'after stop the workers a person started are gone');
done_testing;
