# NWS::LocalServer: a server inside this process.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use POSIX ();
use lib 't/lib';
use NWSTestServer;
use NWS;

my $server = NWS::LocalServer->start;
is($server->host, '127.0.0.1', 'loopback by default');
cmp_ok($server->port, '>', 0, 'a free port');
is($server->address, $server->host . ':' . $server->port, 'address');
ok($server->running, 'running');

my $ws = NWS::NetWorkSpace->new('local', $server->connect_options);
$ws->store('x', 'stored');
is($ws->fetch('x'), 'stored', 'a store/fetch round trip');

# Another process reaches it too.
# It exits normally (its END blocks run): the server, not the child's, goes on.
my $pid = fork // die "fork: $!";
if (!$pid) {
    my $ok = eval { NWS::NetWorkSpace->new('local', $server->connect_options, use_only => 1)->store('y', 'child'); 1 };
    exit($ok ? 0 : 1);
}
waitpid($pid, 0);
is($? >> 8, 0, 'a child process stored a value');
is($ws->fetch('y', timeout => 10), 'child', 'and it arrived');
ok($server->running, "the child's exit did not stop the server");

# The environment's server: NWS_HOST / NWS_PORT apply when no server is named.
{
    local $ENV{NWS_HOST} = '127.0.0.1';
    local $ENV{NWS_PORT} = $server->port;
    my $default = NWS::NetWorkSpace->new('local', use_only => 1);
    is($default->server->port, $server->port, 'NWS_HOST/NWS_PORT name the default server');
    is($default->find_try('x', 'none'), 'none', 'and it is this one');
    $default->close;
    local $ENV{NWS_PORT} = 'http';
    my $err = do { eval { NWS::Server->new }; $@ };
    isa_ok($err, 'NWS::Error::InvalidArgument', 'a bad NWS_PORT');
}

# A port that is taken, and bad ports.
my $err = do { eval { NWS::LocalServer->start(port => $server->port) }; $@ };
isa_ok($err, 'NWS::Error::Connection', 'a port in use');
for my $port (-1, 65536, 'x') {
    $err = do { eval { NWS::LocalServer->start(port => $port) }; $@ };
    isa_ok($err, 'NWS::Error::InvalidArgument', "port $port");
    like($err->message, qr/^port must be a whole number from 0 to 65535/, "the core's message for $port");
}
my $fixed_sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die $!;
my $fixed = $fixed_sock->sockport;
close $fixed_sock;
my $second = NWS::LocalServer->new(port => $fixed);
is($second->port, $fixed, 'a chosen port');

# stop: connections close, new ones are refused; stopping again is fine.
my $port = $server->port;
$server->stop;
ok(!$server->running, 'stopped');
$server->stop;
pass('stop twice is fine');
$err = do { eval { $ws->store('x', 1) }; $@ };
isa_ok($err, 'NWS::Error::Communication', 'a connection to a stopped server');
$err = do { eval { NWS::Server->new(host => '127.0.0.1', port => $port) }; $@ };
isa_ok($err, 'NWS::Error::Connection', 'connecting to a stopped server');

# kill_server_on_close: the server stops when that connection closes.
my $third = NWS::LocalServer->start;
my $deadman = NWS::Server->new($third->connect_options, kill_server_on_close => 1, connect_timeout => 5);
$deadman->open_ws('w')->store('x', 1);
ok($third->running, 'running while the connection is open');
$deadman->close;
ok(NWSTestServer::poll_until(10, sub { !$third->running }), 'kill_server_on_close stopped it');

# A program that ends with a server, connections and a file handle still
# open ends cleanly, the pending text stored (global destruction).
my $keeper = NWS::LocalServer->start;
my $code = 'use NWS; our $s = NWS::LocalServer->start; our $ws = NWS::NetWorkSpace->new("w", host => "127.0.0.1", '
         . 'port => $ARGV[0], use_only => 1); our $it = $ws->ifind_try("x"); our $c = $ws->server; '
         . 'our $fh = $ws->makefile("log", ">>"); print $fh "left pending"; our $s2 = $s;';
is(system($^X, (map { "-I$_" } @INC), '-e', $code, $keeper->port), 0, 'a program ends cleanly with everything open');
is(NWS::NetWorkSpace->new('w', $keeper->connect_options, use_only => 1)->fetch_try('log'), 'left pending',
   'its pending text was stored');

# A server stops when its object goes away.
undef $second;
$err = do { eval { NWS::Server->new(host => '127.0.0.1', port => $fixed) }; $@ };
isa_ok($err, 'NWS::Error::Connection', 'the server stopped when its object went away');
done_testing;
