# ifetch consumes values, ifind reads without consuming; the waiting kinds
# (ifetch, ifind) and the _try kinds that never wait.  The end follows the
# core's rule: a step at the end returns nothing and keeps the position, and
# a later step sees the values stored since.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('iter');
$ws->store('v', $_) for qw(a b c);

my $find = $ws->ifind_try('v');
ok(!$find->blocking, 'ifind_try never waits');
is_deeply([$find->all], [qw(a b c)], 'ifind_try yields every value');
is_deeply([$find->next], [], 'then the end: empty list');
is_deeply([$find->next], [], 'and again');
is(($ws->list_vars)[0]{values}, 3, 'ifind consumed nothing');

$ws->store('v', 'd');
is_deeply([$find->next], ['d'], 'the end is not final: a value stored later comes next');
$find->reset;
is_deeply([$find->next_try], ['a'], 'reset starts again from the beginning');

my $fetch = $ws->ifetch('v');
ok($fetch->blocking && $fetch->consuming, 'ifetch waits and consumes');
is($fetch->next, 'a', 'ifetch blocking step');
is_deeply([$fetch->all], [qw(b c d)], 'ifetch yields the rest');
is(($ws->list_vars)[0]{values}, 0, 'ifetch consumed them');

my $err = do { eval { $fetch->next(timeout => 0.3) }; $@ };
isa_ok($err, 'NWS::Error::Timeout', 'a blocking step on an empty variable times out');
$ws->store('v', 'late');
is($fetch->next(timeout => 5), 'late', 'after a timeout the iterator still works');

my $timed = $ws->ifind('v', timeout => 0.2);
$err = do { eval { $timed->next; $timed->next }; $@ };
isa_ok($err, 'NWS::Error::Timeout', "the iterator's own timeout");

my $fetch_try = $ws->ifetch_try('w');
is_deeply([$fetch_try->next], [], 'ifetch_try on an empty variable: the end');
$ws->store('w', $_) for 1, 2;
is_deeply([$fetch_try->next], [1], 'ifetch_try continues after the end');
is_deeply([$fetch_try->next], [2], 'and consumes');
is($ws->fetch_try('w'), undef, 'nothing is left');

# Values that are false or undef are values, not the end.
$ws->store('z', $_) for 0, '', undef;
is_deeply([$ws->ifind_try('z')->all], [0, '', undef], 'false values are returned');

# write_to: the raw bytes of the next value.
open(my $out, '>', \my $buf) or die;
$ws->store('wt', 'late');
my $wt = $ws->ifind_try('wt');
is($wt->write_to($out), 4, 'write_to: the number of bytes');
is($wt->write_to($out), undef, 'write_to at the end: undef');
close $out;
is($buf, 'late', 'write_to wrote the bytes');

$ws->close;
$err = do { eval { $find->next_try }; $@ };
isa_ok($err, 'NWS::Error::Closed', 'an iterator after close');
done_testing;
