# Every workspace operation against a real server.
use strict;
use warnings;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('ops');
is($ws->name, 'ops', 'name');
is($ws->current_ws, 'ops', 'current_ws');

$ws->store('a', 'one');
$ws->store('a', 'two');
is($ws->find('a'), 'one', 'find sees the first value (fifo)');
is($ws->find_try('a'), 'one', 'find_try sees it too');
is($ws->fetch('a'), 'one', 'fetch takes the first value');
is($ws->fetch_try('a'), 'two', 'fetch_try takes the next');
is($ws->fetch_try('a'), undef, 'fetch_try on an empty variable: undef');
is($ws->fetch_try('a', 'dflt'), 'dflt', 'fetch_try returns the default');
is($ws->find_try('missing', 42), 42, 'find_try returns the default');

$ws->store('b', 'x');
$ws->store('c', 'y');
$ws->store('c', 'z');
my %vars = map { $_->{name} => $_ } $ws->list_vars;
# (a find or fetch on a missing variable creates it, as on the original server)
is_deeply([sort keys %vars], [qw(a b c missing)], 'list_vars names every variable');
is($vars{c}{values}, 2, 'list_vars counts values');
is($vars{c}{mode}, 'fifo', 'default mode is fifo');
is($vars{c}{fetchers}, 0, 'no fetchers');
is($ws->list_vars(format => 'hash')->{c}{values}, 2, 'list_vars as a hash by name');
like($ws->list_vars(format => 'text'), qr/^c\t2\t0\t0\tfifo$/m, "list_vars as the server's text");

$ws->delete_var('c');
ok(!(grep { $_->{name} eq 'c' } $ws->list_vars), 'delete_var removes the variable');
is($ws->fetch_try('c'), undef, 'deleted variable has no values');

# A second connection sees the same workspace.
my $other = $srv->workspace('ops', use_only => 1);
is($other->fetch('b'), 'x', 'a value stored on one connection is fetched on another');
$other->close;

# numbers are stored as their string form
$ws->store('n', 3.5);
is($ws->fetch('n'), '3.5', 'a number comes back as its string');
$ws->close;
done_testing;
