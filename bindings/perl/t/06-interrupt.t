# Ctrl-C (SIGINT) during a blocking fetch: the call dies with
# NWS::Error::Cancelled, the request is withdrawn (a value stored after
# the interrupt goes to the next fetcher, not to the abandoned request),
# the connection stays usable and the previous SIGINT handler is back.
use strict;
use warnings;
use Test::More;
use POSIX ();
use File::Temp ();
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('intr');
$ws->declare('v', 'fifo');

my $perl_handler_ran = 0;
local $SIG{INT} = sub { $perl_handler_ran++ };

# A child waits until our call is blocked at the server, then sends SIGINT.
my $parent = $$;
sub interrupt_when_blocked {
    my ($var) = @_;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    my $watch = $srv->workspace('intr', use_only => 1);
    my $blocked = NWSTestServer::poll_until(20, sub {
        grep { $_->{name} eq $var && $_->{fetchers} + $_->{finders} == 1 } $watch->list_vars });
    kill 'INT', $parent if $blocked;
    POSIX::_exit($blocked ? 0 : 1);
}

my $pid = interrupt_when_blocked('v');
my $err = do { eval { $ws->fetch('v') }; $@ };
waitpid($pid, 0);
is($? >> 8, 0, 'the child saw the fetch blocked and sent SIGINT');
isa_ok($err, 'NWS::Error::Cancelled', 'the blocking fetch');
ok(!$err->has_value, 'no value arrived');
is($err->status, -1, 'a local error');
is($perl_handler_ran, 0, "Perl's handler did not run during the call");

my $other = $srv->workspace('intr', use_only => 1);
ok(NWSTestServer::poll_until(10, sub { grep { $_->{name} eq 'v' && $_->{fetchers} == 0 } $other->list_vars }),
   'the server has no fetcher left');
$other->store('v', 'after');
is($other->fetch_try('v'), 'after', 'a value stored after the interrupt goes to the next fetcher');
$other->store('v', 'again');
is($ws->fetch('v', timeout => 5), 'again', 'the interrupted connection still works');

kill 'INT', $$;
ok(NWSTestServer::poll_until(5, sub { $perl_handler_ran }), "Perl's SIGINT handler is restored after the call");

# The same for a blocking iterator step, a find and a file fetch.
my $it = $ws->ifetch('v');
$pid = interrupt_when_blocked('v');
$err = do { eval { $it->next }; $@ };
waitpid($pid, 0);
isa_ok($err, 'NWS::Error::Cancelled', 'a blocking ifetch step');

$pid = interrupt_when_blocked('f');
$err = do { eval { $ws->find('f') }; $@ };
waitpid($pid, 0);
isa_ok($err, 'NWS::Error::Cancelled', 'a blocking find');

$pid = interrupt_when_blocked('file');
my $out = File::Temp->new;
$err = do { eval { $ws->fetch_file('file', $out) }; $@ };
waitpid($pid, 0);
isa_ok($err, 'NWS::Error::Cancelled', 'a blocking fetch_file');

# With SIGINT's default disposition the call dies too (the process is not killed).
{
    local $SIG{INT} = 'DEFAULT';
    $pid = interrupt_when_blocked('d');
    $err = do { eval { $ws->fetch('d') }; $@ };
    waitpid($pid, 0);
    isa_ok($err, 'NWS::Error::Cancelled', 'with the default disposition');
}

# A process that ignores SIGINT keeps ignoring it during a blocking call:
# the fetch runs on to its timeout.
{
    local $SIG{INT} = 'IGNORE';
    $pid = interrupt_when_blocked('w');
    $err = do { eval { $ws->fetch('w', timeout => 2) }; $@ };
    waitpid($pid, 0);
    is($? >> 8, 0, 'the child sent SIGINT while the fetch was blocked');
    isa_ok($err, 'NWS::Error::Timeout', 'with SIGINT ignored the fetch');
}
$ws->close;
$other->close;
done_testing;
