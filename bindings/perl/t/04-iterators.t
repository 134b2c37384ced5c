# ifetch consumes values, ifind reads without consuming; both step
# non-blocking (next_try) or blocking (next, with a timeout).
use strict;
use warnings;
use Test::More;
use lib 't';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = NWS::NetWorkSpace->new('iter', host => $srv->host, port => $srv->port);
$ws->store('v', $_) for qw(a b c);

my $find = $ws->ifind('v');
is_deeply([$find->all], [qw(a b c)], 'ifind yields every value');
is_deeply([$find->next_try], [], 'then the end: empty list');
is(scalar(() = $ws->list_vars), 1, 'the variable is still there');
is(($ws->list_vars)[0]{values}, 3, 'ifind consumed nothing');

$ws->store('v', 'd');
is_deeply([$find->next_try], ['d'], 'ifind continues with a value stored later');
$find->reset;
is_deeply([$find->next_try], ['a'], 'reset starts again from the beginning');

my $fetch = $ws->ifetch('v');
is($fetch->next, 'a', 'ifetch blocking step');
is_deeply([$fetch->all], [qw(b c d)], 'ifetch yields the rest');
is(($ws->list_vars)[0]{values}, 0, 'ifetch consumed them');

my $t0 = time;
my $err = do { eval { $fetch->next(timeout => 0.3) }; $@ };
isa_ok($err, 'NWS::Error::Timeout', 'a blocking step on an empty variable times out');
$ws->store('v', 'late');
is($fetch->next(timeout => 5), 'late', 'after a timeout the iterator still works');
$ws->close;
$err = do { eval { $find->next_try }; $@ };
isa_ok($err, 'NWS::Error::Closed', 'an iterator after close');
done_testing;
