# Ctrl-C (SIGINT) during a blocking fetch: the call dies with
# NWS::Error::Interrupted, the request is withdrawn (a value stored after
# the interrupt goes to the next fetcher, not to the abandoned request),
# the connection stays usable and the previous SIGINT handler is back.
use strict;
use warnings;
use Test::More;
use POSIX ();
use lib 't';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my %at = (host => $srv->host, port => $srv->port);
my $ws = NWS::NetWorkSpace->new('intr', %at);
$ws->declare('v', 'fifo');

my $perl_handler_ran = 0;
local $SIG{INT} = sub { $perl_handler_ran++ };

# A child waits until our fetch is blocked at the server, then sends SIGINT.
my $parent = $$;
my $pid = fork // die "fork: $!";
if (!$pid) {
    my $watch = NWS::NetWorkSpace->new('intr', %at, use_only => 1);
    my $blocked = NWSTestServer::poll_until(20, sub {
        grep { $_->{name} eq 'v' && $_->{fetchers} == 1 } $watch->list_vars });
    kill 'INT', $parent if $blocked;
    POSIX::_exit($blocked ? 0 : 1);
}
my $err = do { eval { $ws->fetch('v') }; $@ };
waitpid($pid, 0);
is($? >> 8, 0, 'the child saw the fetch blocked and sent SIGINT');
isa_ok($err, 'NWS::Error::Interrupted', 'the blocking fetch');
ok(!$err->has_value, 'no value arrived');
is($perl_handler_ran, 0, "Perl's handler did not run during the call");

my $other = NWS::NetWorkSpace->new('intr', %at, use_only => 1);
ok(NWSTestServer::poll_until(10, sub { grep { $_->{name} eq 'v' && $_->{fetchers} == 0 } $other->list_vars }),
   'the server has no fetcher left');
$other->store('v', 'after');
is($other->fetch_try('v'), 'after', 'a value stored after the interrupt goes to the next fetcher');
$other->store('v', 'again');
is($ws->fetch('v', timeout => 5), 'again', 'the interrupted connection still works');

kill 'INT', $$;
ok(NWSTestServer::poll_until(5, sub { $perl_handler_ran }), "Perl's SIGINT handler is restored after the call");

# The same for a blocking iterator step.
my $it = $ws->ifetch('v');
$pid = fork // die "fork: $!";
if (!$pid) {
    my $watch = NWS::NetWorkSpace->new('intr', %at, use_only => 1);
    my $blocked = NWSTestServer::poll_until(20, sub {
        grep { $_->{name} eq 'v' && $_->{fetchers} == 1 } $watch->list_vars });
    kill 'INT', $parent if $blocked;
    POSIX::_exit($blocked ? 0 : 1);
}
$err = do { eval { $it->next }; $@ };
waitpid($pid, 0);
isa_ok($err, 'NWS::Error::Interrupted', 'a blocking ifetch step');

# A process that ignores SIGINT keeps ignoring it during a blocking call:
# the fetch runs on to its timeout.
{
    local $SIG{INT} = 'IGNORE';
    $pid = fork // die "fork: $!";
    if (!$pid) {
        my $watch = NWS::NetWorkSpace->new('intr', %at, use_only => 1);
        my $blocked = NWSTestServer::poll_until(20, sub {
            grep { $_->{name} eq 'w' && $_->{fetchers} == 1 } $watch->list_vars });
        kill 'INT', $parent if $blocked;
        POSIX::_exit($blocked ? 0 : 1);
    }
    $err = do { eval { $ws->fetch('w', timeout => 2) }; $@ };
    waitpid($pid, 0);
    is($? >> 8, 0, 'the child sent SIGINT while the fetch was blocked');
    isa_ok($err, 'NWS::Error::Timeout', 'with SIGINT ignored the fetch');
}
$ws->close;
$other->close;
done_testing;
