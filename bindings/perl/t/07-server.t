# NWS::Server: several workspaces on one connection, list_wss, mktemp_ws,
# delete_ws, list_vars by name, ownership and persistence.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $conn = $srv->connect;
is($conn->port, $srv->port, 'the connection knows its port');

# Several workspaces on one connection.
my $a = $conn->open_ws('alpha');
my $b = $conn->use_ws('beta');
isa_ok($a, 'NWS::NetWorkSpace', 'open_ws');
isa_ok($b, 'NWS::NetWorkSpace', 'use_ws');
is($a->server, $conn, 'a workspace knows its connection');
$a->store('x', 'in alpha');
$b->store('x', 'in beta');
is($a->find('x'), 'in alpha', 'alpha keeps its own value');
is($b->find('x'), 'in beta', 'beta keeps its own value');
my $c = $a->server->open_ws('gamma');
$c->store('y', 1);
is($c->fetch('y'), 1, 'a third workspace through the first one\'s server');

# list_wss: rows, hash, text, and one workspace by name.
my %wss = map { $_->{name} => $_ } $conn->list_wss;
ok($wss{alpha} && $wss{beta} && $wss{gamma}, 'list_wss lists them');
ok($wss{alpha}{mine}, 'alpha was opened by this connection: mine');
ok(!$wss{beta}{mine}, 'beta was only used: not mine');
is($wss{alpha}{variables}, 1, 'the number of variables');
is_deeply($wss{alpha}{variable_names}, ['x'], 'their names');
ok(!$wss{alpha}{persistent}, 'not persistent');
like($wss{alpha}{owner}, qr/\S/, 'an owner');
is_deeply([map { $_->{name} } $conn->list_wss(name => 'beta')], ['beta'], 'list_wss(name => ...)');
is($conn->list_wss(format => 'hash')->{gamma}{name}, 'gamma', 'list_wss as a hash');
like($conn->list_wss(format => 'text'), qr/^>alpha\t/m, "list_wss as the server's text ('>' marks mine)");
my $err = do { eval { $conn->list_wss(format => 'xml') }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'an unknown listing format');

# list_vars by name, from the server and from another workspace.
is_deeply([map { $_->{name} } $conn->list_vars('beta')], ['x'], 'NWS::Server->list_vars($name)');
is_deeply([map { $_->{name} } $a->list_vars(ws => 'beta')], ['x'], 'list_vars(ws => $name)');
$err = do { eval { $srv->connect->list_vars('alpha') }; $@ };
isa_ok($err, 'NWS::Error::NotOpened', 'list_vars of a workspace this connection never opened');
isa_ok($err, 'NWS::Error::NoSuchWorkspace', 'which is a NoSuchWorkspace');

# mktemp_ws and delete_ws.
my $tmp = $conn->mktemp_ws('job_%04d');
like($tmp, qr/^job_\d{4}/, 'mktemp_ws fills in the template');
isnt($conn->mktemp_ws('job_%04d'), $tmp, 'each name is new');
ok((grep { $_->{name} eq $tmp } $conn->list_wss), 'the workspace exists');
my $default = $conn->mktemp_ws;
ok(length $default, "mktemp_ws without a template: the server's default ($default)");
$err = do { eval { $conn->mktemp_ws('no conversion') }; $@ };
isa_ok($err, 'NWS::Error::Operation', 'a template without a conversion');
$conn->delete_ws($tmp);
ok(!(grep { $_->{name} eq $tmp } $conn->list_wss), 'delete_ws deletes it');
$err = do { eval { $conn->delete_ws($tmp) }; $@ };
isa_ok($err, 'NWS::Error::Operation', 'deleting it again');

# create => 0
$err = do { eval { $conn->open_ws('nowhere', create => 0) }; $@ };
isa_ok($err, 'NWS::Error::NoSuchWorkspace', 'open_ws(create => 0) of a missing workspace');
$err = do { eval { $srv->workspace('nowhere', use_only => 1, create => 0) }; $@ };
isa_ok($err, 'NWS::Error::NoSuchWorkspace', 'NetWorkSpace->new(use_only => 1, create => 0)');

# Ownership and persistence: when the owner's connection closes, its
# workspaces go, unless persistent; a workspace only used stays.
my $owner = $srv->connect;
$owner->open_ws('temporary')->store('v', 1);
$owner->open_ws('kept', persistent => 1)->store('v', 2);
$owner->use_ws('beta');
$owner->close;
ok($owner->closed, 'the owner closed');
my %after = map { $_->{name} => $_ } $conn->list_wss;
ok(!$after{temporary}, "a non-persistent workspace went with its owner's connection");
ok($after{kept} && $after{kept}{persistent}, 'a persistent one stayed');
ok($after{beta}, 'a workspace the owner only used stayed');
is($srv->workspace('kept', use_only => 1)->fetch('v'), 2, 'its value is still there');

# A workspace made with new() and a server => option shares that connection.
my $shared = NWS::NetWorkSpace->new('delta', server => $conn);
is($shared->server, $conn, 'new(server => ...) uses that connection');
$err = do { eval { NWS::NetWorkSpace->new('delta', server => $conn, port => 1) }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'server => and connection options together');

# Closing the connection closes every workspace on it.
$conn->close;
ok($a->closed && $b->closed && $shared->closed, 'every workspace on the connection is closed');
$err = do { eval { $b->store('x', 1) }; $@ };
isa_ok($err, 'NWS::Error::Closed', 'a workspace of a closed connection');
done_testing;
