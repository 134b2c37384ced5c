# The ssh launches (ssh, sshforward) of NWS::Sleigh with Perl workers,
# against the real sshd that scripts/test-sleigh.sh starts on 127.0.0.1
# ($NWS_SLEIGH_SSH_NODE, reached through the ssh on PATH).  Run by
# tests/sleigh_launchers/perl.sh; a missing node is a failure, not a skip.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use IO::Socket::INET ();
use FindBin ();
use lib "$FindBin::Bin/../../t/lib";
use NWSTestServer;
use SleighSupport;
use NWS::Sleigh;

my $node = $ENV{NWS_SLEIGH_SSH_NODE} or BAIL_OUT('NWS_SLEIGH_SSH_NODE is not set (scripts/test-sleigh.sh sets it)');
delete @ENV{qw(NWS_TLS NWS_TLS_CA NWS_TLS_CERT NWS_TLS_KEY NWS_USER NWS_PASSWORD NWS_TOKEN)};

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die "socket: $!";
    return $s->sockport;
}

# The checks every ssh sleigh passes; returns the workers' pids.
sub run_on {
    my ($s) = @_;
    is_deeply([$s->status(1, 60)], [2, 1], 'status: both workers joined through ssh');
    my @info = $s->workerInfo;
    is_deeply([map { $_->{name} } @info], ["$node\@0", "$node\@1"], 'workerInfo names the node');
    is_deeply([$s->eachElem('SleighTest::square', [0 .. 19])], [map { $_ * $_ } 0 .. 19], 'eachElem');
    is_deeply([map { $_->[0] } $s->eachWorker('SleighTest::whoami')], [0, 1], 'eachWorker');
    return map { $_->{pid} } @info;
}

sub gone {
    my ($ws, @pids) = @_;
    return NWSTestServer::poll_until(10, sub {
        !grep({ SleighSupport::running($_) } @pids) && !SleighSupport::processes_of($ws) });
}

my $srv = NWSTestServer->start;
my %at = (nwsHost => $srv->host, nwsPort => $srv->port);

subtest 'ssh' => sub {
    my $s = NWS::Sleigh->new(%at, launch => 'ssh', nodeList => [$node, $node]);
    my @pids = run_on($s);
    my $ws = $s->wsName;
    $s->stop;
    ok(gone($ws, @pids), 'after stop the remote workers are gone');
};

subtest 'sshforward: the workers reach the server through a reverse tunnel' => sub {
    my $tunnel = free_port();   # nothing listens there but the tunnel's remote end
    my $s = NWS::Sleigh->new(%at, launch => 'sshforward', nodeList => [$node, $node], nwsPortRemote => $tunnel);
    my @pids = run_on($s);
    open(my $fh, '<:raw', "/proc/$pids[0]/environ") or die "environ: $!";
    my %env = map { split /=/, $_, 2 } grep { /=/ } split /\0/, do { local $/; <$fh> };
    is($env{PerlSleighNwsPort}, $tunnel, 'the workers were told the tunnel, not the server');
    my $ws = $s->wsName;
    $s->stop;
    ok(gone($ws, @pids), 'after stop the remote workers are gone');
};

subtest 'ssh with TLS and a token: the workers get them, no command line shows them' => sub {
    my $tmp = File::Temp::tempdir('nws-perl-ssh-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $certs = NWSTestServer::make_certs("$tmp/certs");
    my $token = 'ssh-token-0123456789abcdef0123456789';
    open(my $t, '>', "$tmp/token") or die; print $t "$token\n"; close $t;
    my $tls = NWSTestServer->standalone('--tls-cert', "$certs/server.pem", '--tls-key', "$certs/server.key",
                                        '--token-file', "$tmp/token");
    my $s = NWS::Sleigh->new(nwsHost => $tls->host, nwsPort => $tls->port, launch => 'ssh', nodeList => [$node, $node],
                             tls_ca => "$certs/ca.pem", token => $token);
    my @pids = run_on($s);
    my @shown;
    opendir(my $d, '/proc') or die;
    for my $pid (grep { /\A\d+\z/ } readdir $d) {
        open(my $fh, '<:raw', "/proc/$pid/cmdline") or next;
        push @shown, $pid if index(do { local $/; <$fh> } // '', $token) >= 0;
    }
    is_deeply(\@shown, [], 'no process has the token on its command line');
    open(my $fh, '<:raw', "/proc/$pids[0]/environ") or die "environ: $!";
    my %env = map { split /=/, $_, 2 } grep { /=/ } split /\0/, do { local $/; <$fh> };
    is($env{NWS_TOKEN}, $token, 'the worker has the token in its environment');
    is($env{NWS_TLS}, '1', '... and TLS');
    my $ws = $s->wsName;
    $s->stop;
    ok(gone($ws, @pids), 'after stop the remote workers are gone');
};

done_testing;
