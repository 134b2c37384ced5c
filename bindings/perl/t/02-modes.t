# Variable modes: fifo, lifo, single, multi, and conflicting declarations.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use NWS qw(:modes);

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('modes');

$ws->declare('f', FIFO);
$ws->store('f', $_) for 1 .. 3;
is_deeply([map { $ws->fetch('f') } 1 .. 3], [1, 2, 3], 'fifo: first in, first out');

$ws->declare('l', LIFO);
$ws->store('l', $_) for 1 .. 3;
is_deeply([map { $ws->fetch('l') } 1 .. 3], [3, 2, 1], 'lifo: last in, first out');

$ws->declare('s', SINGLE);
$ws->store('s', $_) for 1 .. 3;
is($ws->find('s'), 3, 'single keeps only the last value');
is($ws->fetch('s'), 3, 'single: fetch takes it');
is($ws->fetch_try('s'), undef, 'single: then nothing is left');

$ws->declare('m', MULTI);
$ws->store('m', $_) for 1 .. 3;
my %seen = map { $ws->fetch('m') => 1 } 1 .. 3;
is_deeply([sort keys %seen], [1, 2, 3], 'multi: every value is fetched once');

$ws->declare('f', 'fifo');
pass('re-declaring the same mode is fine');
my $err = do { eval { $ws->declare('f', 'lifo') }; $@ };
isa_ok($err, 'NWS::Error::DeclarationFailed', 'changing a mode');
is($err->code, 'declaration failed', 'code of a failed declaration');
$err = do { eval { $ws->declare('g', 'nonsense') }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'an unknown mode');
is($err->message, "unknown mode 'nonsense': use fifo, lifo, multi or single", "the core's message");
ok(!(grep { $_->{name} eq 'g' } $ws->list_vars), 'the variable was not created');
$ws->close;
done_testing;
