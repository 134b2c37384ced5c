# Errors: exception objects with codes and clear messages; timeouts;
# close twice; use after close raises and never crashes.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use IO::Socket::INET;
use lib 't';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;

# A port nobody listens on: bind one, note it, close it.
my $sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die $!;
my $dead = $sock->sockport;
close $sock;
my $err = do { eval { NWS::NetWorkSpace->new('x', host => '127.0.0.1', port => $dead) }; $@ };
isa_ok($err, 'NWS::Error::Connection', 'connecting to a closed port');
is($err->code, 'connection', 'its code');
like("$err", qr/^NWS error \(connection\): /, 'it stringifies to a clear message');

my $ws = NWS::NetWorkSpace->new('errs', host => $srv->host, port => $srv->port);
my $t0 = time;
$err = do { eval { $ws->fetch('none', timeout => 0.3) }; $@ };
my $took = time - $t0;
isa_ok($err, 'NWS::Error::Timeout', 'fetch with a timeout');
cmp_ok($took, '>=', 0.25, 'it waited for the timeout');
cmp_ok($took, '<', 5, 'and not much longer');
$err = do { eval { $ws->find('none', timeout => 0) }; $@ };
isa_ok($err, 'NWS::Error::Timeout', 'find with a zero timeout');
$ws->store('none', 'now');
is($ws->fetch('none', timeout => 5), 'now', 'the connection works after a timeout');
is(($ws->list_vars)[0]{fetchers}, 0, 'the timed-out request was withdrawn');

$err = do { eval { $ws->fetch('x', timeout => -1) }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'a negative timeout');
$err = do { eval { $ws->fetch('x', bogus => 1) }; $@ };
like("$err", qr/unknown option/, 'an unknown option');

my $a2 = NWS::NetWorkSpace->new('errs', host => $srv->host, port => $srv->port, use_only => 1);
$ws->close;
ok($ws->closed, 'closed');
$ws->close;
pass('close twice is fine');
for my $call (
    [store => sub { $ws->store('a', 1) }],   [fetch => sub { $ws->fetch('a') }],
    [find => sub { $ws->find('a') }],        [fetch_try => sub { $ws->fetch_try('a') }],
    [find_try => sub { $ws->find_try('a') }], [declare => sub { $ws->declare('a', 'fifo') }],
    [delete_var => sub { $ws->delete_var('a') }], [list_vars => sub { $ws->list_vars }],
    [ifetch => sub { $ws->ifetch('a') }],     [ifind => sub { $ws->ifind('a') }],
) {
    $err = do { eval { $call->[1]->() }; $@ };
    isa_ok($err, 'NWS::Error::Closed', "$call->[0] after close");
}
# The owner closed: its (non-persistent) workspace is gone for others.
$err = do { eval { $a2->store('a', 1); $a2->fetch_try('a') }; $@ };
isa_ok($err, 'NWS::Error', 'using a workspace whose owner left');
$a2->close;
done_testing;
