# Errors: exception objects with codes and clear messages; timeouts;
# close twice; use after close raises and never crashes.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use IO::Socket::INET;
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;

# A port nobody listens on: bind one, note it, close it.
my $sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die $!;
my $dead = $sock->sockport;
close $sock;
my $err = do { eval { NWS::NetWorkSpace->new('x', host => '127.0.0.1', port => $dead) }; $@ };
isa_ok($err, 'NWS::Error::Connection', 'connecting to a closed port');
isa_ok($err, 'NWS::Error::Communication', 'its group');
is($err->code, 'connection', 'its code');
is($err->errc, NWS::Error::Connection->kind_code, 'its number');
like("$err", qr/^NWS error \(connection\): /, 'it stringifies to a clear message');

my $ws = $srv->workspace('errs');
my $t0 = time;
$err = do { eval { $ws->fetch('none', timeout => 0.3) }; $@ };
my $took = time - $t0;
isa_ok($err, 'NWS::Error::Timeout', 'fetch with a timeout');
isa_ok($err, 'NWS::Error::Operation', 'its group');
cmp_ok($took, '>=', 0.25, 'it waited for the timeout');
cmp_ok($took, '<', 5, 'and not much longer');
is($err->status, -1, 'a timeout is a local error: no server status');
unlike("$err", qr/server status/, 'and its message does not claim one');
$err = do { eval { $ws->find('none', timeout => 0) }; $@ };
isa_ok($err, 'NWS::Error::Timeout', 'find with a zero timeout');
$ws->store('none', 'now');
is($ws->fetch('none', timeout => 5), 'now', 'the connection works after a timeout');
is(($ws->list_vars)[0]{fetchers}, 0, 'the timed-out request was withdrawn');

for my $bad (-1, -0.5, 'soon') {
    $err = do { eval { $ws->fetch('x', timeout => $bad) }; $@ };
    isa_ok($err, 'NWS::Error::InvalidArgument', "timeout => '$bad'");
    like($err->message, qr/^timeout must be a number of seconds >= 0/, "the core's message for '$bad'");
}
$err = do { eval { $ws->fetch('x', bogus => 1) }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'an unknown option');
like("$err", qr/unknown option/, 'its message');

for my $port (0, 65536, -1, 1.5, 'http') {
    $err = do { eval { NWS::Server->new(host => '127.0.0.1', port => $port) }; $@ };
    isa_ok($err, 'NWS::Error::InvalidArgument', "port $port");
    like($err->message, qr/^port must be a whole number from 1 to 65535/, "the core's message for port $port");
}

# The server refuses an operation: a server status.
$err = do { eval { $ws->delete_var('never-stored') }; $@ };
isa_ok($err, 'NWS::Error::Operation', 'deleting a missing variable');
cmp_ok($err->status, '>', 0, 'the server status is kept');
like("$err", qr/\[server status \d+\]/, 'and shown');

my $a2 = $srv->workspace('errs', use_only => 1);
$ws->close;
ok($ws->closed, 'closed');
$ws->close;
pass('close twice is fine');
open(my $fh, '<', \"x") or die;
for my $call (
    [store => sub { $ws->store('a', 1) }],   [fetch => sub { $ws->fetch('a') }],
    [find => sub { $ws->find('a') }],        [fetch_try => sub { $ws->fetch_try('a') }],
    [find_try => sub { $ws->find_try('a') }], [declare => sub { $ws->declare('a', 'fifo') }],
    [delete_var => sub { $ws->delete_var('a') }], [list_vars => sub { $ws->list_vars }],
    # (an iterator is made locally; its first step meets the closed connection)
    [ifetch => sub { $ws->ifetch('a')->next }],     [ifind => sub { $ws->ifind('a')->next }],
    [ifetch_try => sub { $ws->ifetch_try('a')->next }], [ifind_try => sub { $ws->ifind_try('a')->next }],
    [store_file => sub { $ws->store_file('a', $fh) }], [fetch_file => sub { $ws->fetch_file('a', \*STDOUT) }],
    [find_try_file => sub { $ws->find_try_file('a', \*STDOUT) }],
    ['server->list_wss' => sub { $ws->server->list_wss }], ['server->open_ws' => sub { $ws->server->open_ws('b') }],
) {
    $err = do { eval { $call->[1]->() }; $@ };
    isa_ok($err, 'NWS::Error::Closed', "$call->[0] after close");
}
# The owner closed: its (non-persistent) workspace is gone for others.
$err = do { eval { $a2->store('a', 1); $a2->fetch_try('a') }; $@ };
isa_ok($err, 'NWS::Error::NoSuchWorkspace', 'using a workspace whose owner left');
$a2->close;
done_testing;
