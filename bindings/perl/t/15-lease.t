# Leased fetch (reliable consume): NWS::NetWorkSpace's lease, lease_try and
# with_lease, and NWS::Lease, against a real server.  No test sleeps in the
# hope that something happened: waiting is done by blocking calls (an
# expired lease's value reaches another connection's blocking fetch) or by
# polling what the server says.
use strict;
use warnings;
use Test::More;
use POSIX ();
use IO::Select ();
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('lease');
my $other = $srv->workspace('lease', use_only => 1);   # another connection

sub error_of { my ($code) = @_; eval { $code->(); 1 } ? undef : $@ }

# ---- lease, then ack: the value is gone ----
$ws->store('a', 'job');
my $lease = $ws->lease('a', duration => 30);
isa_ok($lease, 'NWS::Lease');
is($lease->value, 'job', 'the leased value, decoded as fetch does');
is($lease->variable, 'a', 'its variable');
like($lease->id, qr/\A\d+\z/, 'a lease id');
ok(!$lease->settled, 'not settled yet');
is($other->fetch_try('a'), undef, 'while leased the value is out of its variable');
is($lease->ack, undef, 'ack');
ok($lease->settled, 'settled after ack');
is($ws->fetch_try('a'), undef, 'after ack the value is gone');
my $err = error_of(sub { $lease->ack });
isa_ok($err, 'NWS::Error::InvalidArgument', 'settling twice');
like($err->message, qr/settled already/, '... says so');

# A reference goes by Storable, and comes back as fetch gives it.
$ws->store('a', { list => [1, 2] });
$lease = $ws->lease('a');
is_deeply($lease->value, { list => [1, 2] }, 'a reference value');
$lease->ack;

# ---- release: the value goes back to the head of its variable ----
$ws->store('q', $_) for 1 .. 3;
$lease = $ws->lease('q');
is($lease->value, 1, 'fifo: the first value is leased');
$lease->release;
ok($lease->settled, 'settled after release');
is(join(',', map { $ws->fetch('q') } 1 .. 3), '1,2,3', 'released: back at the front, the fifo order kept');

$ws->declare('s', 'lifo');
$ws->store('s', $_) for 1 .. 3;
$lease = $ws->lease_try('s');
is($lease->value, 3, 'lifo: the top value is leased');
$lease->release;
is(join(',', map { $ws->fetch('s') } 1 .. 3), '3,2,1', 'released: back on top of the lifo');

# ---- lease_try ----
is($ws->lease_try('none'), undef, 'lease_try on an empty variable: undef');
is($ws->lease_try('none', duration => 5), undef, '... with a duration too');
$ws->store('t', 'x');
$lease = $ws->lease_try('t', duration => 5);
is($lease->value, 'x', 'lease_try leases a value');
$lease->ack;

# ---- ack_store: a result stored and the lease acknowledged, in one step ----
$ws->store('in', 'task 1');
$lease = $ws->lease('in');
$lease->ack_store('out', { done => $lease->value });
ok($lease->settled, 'ack_store settles');
is($ws->fetch_try('in'), undef, 'the leased value is gone');
is_deeply($ws->fetch('out'), { done => 'task 1' }, 'the result was stored (by Storable, as store does)');

$ws->store('in', 'task 2');
$lease = $ws->lease('in');
$lease->ack_store('out', [1, 2, 3], portable => 1);
my $got = $ws->{raw}->find_try('out');
ok(NWS::Raw::is_portable($got->{descriptor}), 'ack_store(portable => 1) writes a portable value');
is_deeply($ws->fetch('out'), [1, 2, 3], '... which reads back');
{
    my $pws = $srv->workspace('lease', use_only => 1, portable => 1);
    $pws->store('in', 'task 3');
    my $l = $pws->lease('in');
    $l->ack_store('out', { n => 1 });
    ok(NWS::Raw::is_portable($pws->{raw}->find_try('out')->{descriptor}),
       "ack_store follows the workspace's portable setting");
    is_deeply($pws->fetch('out'), { n => 1 }, '... and reads back');
    $l = undef;
    $pws->close;
}

# ---- expiry: the value goes back, another connection's blocking fetch gets it ----
$ws->store('e', 'expiring');
$lease = $ws->lease('e', duration => 0.2);
is($other->fetch('e', timeout => 30), 'expiring', "an expired lease's value reaches a blocking fetch");
$err = error_of(sub { $lease->ack });
isa_ok($err, 'NWS::Error::LeaseLost', 'ack after expiry');
isa_ok($err, 'NWS::Error::Operation', '... an operation error');
like($err->message, qr/expired/, '... whose message says it expired');
ok($lease->settled, 'a lost lease counts as settled');

# A blocking lease gets the value an expired lease gave back.
$ws->store('b', 'again');
$lease = $ws->lease('b', duration => 0.2);
my $second = $other->lease('b', timeout => 30);
is($second->value, 'again', 'a blocking lease waits for the value that comes back');
$second->ack;
isa_ok(error_of(sub { $lease->release }), 'NWS::Error::LeaseLost', 'release after expiry');

# ---- renew ----
$ws->store('r', 'long task');
$lease = $ws->lease('r', duration => 0.3);
$lease->renew(60);
isa_ok(error_of(sub { $other->fetch('r', timeout => 1) }), 'NWS::Error::Timeout',
       'renewed: the value does not come back when the first duration passes');
ok(!$lease->settled, 'renew does not settle');
$lease->ack;
is($ws->fetch_try('r'), undef, 'acknowledged after renew');

# ---- an unsettled lease that goes out of scope gives its value back ----
$ws->store('d', 'dropped');
{
    my $l = $ws->lease('d');
    is($l->value, 'dropped', 'leased');
}
is($ws->fetch_try('d'), 'dropped', 'an unsettled lease released its value when it went');

# A forked child's copy of a lease is not the lease: dropping it there
# sends nothing (the connection is the parent's).
$ws->store('f', 'parent');
$lease = $ws->lease('f');
my $kid = fork // die "fork: $!";
if (!$kid) {
    undef $lease;
    POSIX::_exit(0);
}
waitpid($kid, 0);
is($? >> 8, 0, 'the child dropped its copy of the lease');
is($other->fetch_try('f'), undef, "the child's copy did not release the parent's lease");
$lease->ack;
ok($lease->settled, "the parent's connection is intact: the lease acks");
is($ws->fetch_try('f'), undef, '... and the value is gone');

# ---- with_lease ----
$ws->store('w', 10);
my $result = $ws->with_lease('w', sub { my ($v, $l) = @_; isa_ok($l, 'NWS::Lease', 'the sub gets the lease'); $v * 2 },
                             duration => 30);
is($result, 20, "with_lease returns the sub's result");
is($ws->fetch_try('w'), undef, 'with_lease acked on return');

$ws->store('w', 'list');
my @list = $ws->with_lease('w', sub { ($_[0], 'b', 'c') });
is_deeply(\@list, [qw(list b c)], 'list context');

$ws->store('w', $_) for qw(first second);
$err = error_of(sub { $ws->with_lease('w', sub { die "worker failed\n" }) });
is($err, "worker failed\n", "a die in the sub propagates as it was");
is($ws->fetch('w'), 'first', 'with_lease released on die: the value is back at the head');
is($ws->fetch('w'), 'second', '... before the next');

my $obj = NWS::Error::Timeout->new(message => 'inner');
$ws->store('w', 'v');
$err = error_of(sub { $ws->with_lease('w', sub { die $obj }) });
is($err, $obj, 'an exception object propagates unchanged');
is($ws->fetch_try('w'), 'v', '... and the value went back');

$ws->store('w', 'task');
$result = $ws->with_lease('w', sub { my ($v, $l) = @_; $l->ack_store('w-out', uc $v); 'stored' });
is($result, 'stored', 'a sub that settled the lease itself (ack_store)');
is($ws->fetch('w-out'), 'TASK', '... its result stored');
is($ws->fetch_try('w'), undef, '... and nothing more was done');

$ws->store('w', 'give back');
$ws->with_lease('w', sub { $_[1]->release; 1 });
is($ws->fetch_try('w'), 'give back', 'a sub that released the lease itself: the value is back');

$ws->store('w', 'slow');
$err = error_of(sub { $ws->with_lease('w', sub { $other->fetch('w', timeout => 30) }, duration => 0.2) });
isa_ok($err, 'NWS::Error::LeaseLost', 'with_lease whose lease expired before the sub returned');

# ---- the holder dies: its value goes back, exactly once ----
$ws->store('job', 'job 1');
$ws->store('job', 'job 2');
pipe(my $from_child, my $to_parent) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if (!$pid) {
    # The child: its own connection, a lease, a word to the parent, then
    # it waits to be killed.
    close $from_child;
    my $ok = eval {
        my $mine = NWS::NetWorkSpace->new('lease', $srv->connect_options, use_only => 1);
        my $l = $mine->lease('job', duration => 600);
        syswrite($to_parent, "HOLDING " . $l->value . "\n");
        sleep 600 while 1;
        1;
    };
    syswrite($to_parent, "FAILED $@\n") unless $ok;
    POSIX::_exit(1);
}
close $to_parent;
my $line = IO::Select->new($from_child)->can_read(30) ? <$from_child> : undef;
is($line, "HOLDING job 1\n", 'the child holds a lease on the first value');
is($ws->list_vars(format => 'hash')->{job}{values}, 1, 'the held value is out of its variable');
kill 'KILL', $pid;
waitpid($pid, 0);
is($? & 127, POSIX::SIGKILL(), 'the child was killed holding the lease');
is($other->fetch('job', timeout => 30), 'job 1', "the killed holder's value goes back: a blocking fetch gets it");
is($other->fetch_try('job'), 'job 2', '... exactly once: next comes the second value');
is($other->fetch_try('job'), undef, '... and then nothing');

# ---- Ctrl-C while a lease waits ----
{
    local $SIG{INT} = sub { };
    my $parent = $$;
    my $kid = fork // die "fork: $!";
    if (!$kid) {
        my $watch = $srv->workspace('lease', use_only => 1);
        my $blocked = NWSTestServer::poll_until(20, sub {
            grep { $_->{name} eq 'i' && $_->{fetchers} == 1 } $watch->list_vars });
        kill 'INT', $parent if $blocked;
        POSIX::_exit($blocked ? 0 : 1);
    }
    $err = error_of(sub { $ws->lease('i') });
    waitpid($kid, 0);
    is($? >> 8, 0, 'the child saw the lease blocked and sent SIGINT');
    isa_ok($err, 'NWS::Error::Cancelled', 'SIGINT during a blocking lease');
    $ws->store('i', 'after');
    is($other->fetch_try('i'), 'after', 'the request was withdrawn: a later value goes to the next fetcher');
}

# ---- bad arguments: refused before anything is sent ----
$ws->store('x', 'kept');
for my $case ([0, 'a zero duration'], [-1, 'a negative duration'], ['soon', 'a duration that is not a number'],
              [[1], 'a reference as duration'], [9**9**9, 'an infinite duration'], [1e10, 'a duration over 24 days']) {
    my ($d, $what) = @$case;
    isa_ok(error_of(sub { $ws->lease('x', duration => $d) }), 'NWS::Error::InvalidArgument', "lease: $what");
    isa_ok(error_of(sub { $ws->lease_try('x', duration => $d) }), 'NWS::Error::InvalidArgument', "lease_try: $what");
}
like(error_of(sub { $ws->lease('x', duration => 0) })->message, qr/1 ms/, 'the message gives the range');
isa_ok(error_of(sub { $ws->lease(undef) }), 'NWS::Error::InvalidArgument', 'lease: an undef variable name');
isa_ok(error_of(sub { $ws->lease('x', timeout => -1) }), 'NWS::Error::InvalidArgument', 'lease: a negative timeout');
isa_ok(error_of(sub { $ws->lease('x', durations => 5) }), 'NWS::Error::InvalidArgument', 'lease: an unknown option');
isa_ok(error_of(sub { $ws->lease('x', 'duration') }), 'NWS::Error::InvalidArgument', 'lease: an odd option list');
isa_ok(error_of(sub { $ws->lease_try('x', timeout => 1) }), 'NWS::Error::InvalidArgument', 'lease_try takes no timeout');
isa_ok(error_of(sub { $ws->with_lease('x', 'not code') }), 'NWS::Error::InvalidArgument', 'with_lease: not a sub');
is($ws->find_try('x'), 'kept', 'nothing was leased by the refused calls');

$lease = $ws->lease('x');
isa_ok(error_of(sub { $lease->renew(0) }), 'NWS::Error::InvalidArgument', 'renew(0)');
isa_ok(error_of(sub { $lease->renew(-5) }), 'NWS::Error::InvalidArgument', 'renew(-5)');
isa_ok(error_of(sub { $lease->renew('later') }), 'NWS::Error::InvalidArgument', 'renew: not a number');
isa_ok(error_of(sub { $lease->renew }), 'NWS::Error::InvalidArgument', 'renew: no duration');
isa_ok(error_of(sub { $lease->ack_store(undef, 1) }), 'NWS::Error::InvalidArgument', 'ack_store: an undef variable');
isa_ok(error_of(sub { $lease->ack_store('y', 1, bogus => 1) }), 'NWS::Error::InvalidArgument',
       'ack_store: an unknown option');
isa_ok(error_of(sub { $lease->ack_store('y', sub { }) }), 'NWS::Error::Serialisation',
       'ack_store: a value store cannot write');
ok(!$lease->settled, 'the lease is still held after the refused calls');
$lease->release;
is($ws->fetch_try('x'), 'kept', 'and releases normally');

# ---- a closed connection ----
$ws->store('c', 'closing');
my $conn = $srv->workspace('lease', use_only => 1);
$lease = $conn->lease('c');
$conn->close;
is($other->fetch('c', timeout => 30), 'closing', "closing the holder's connection gives the value back");
isa_ok(error_of(sub { $lease->ack }), 'NWS::Error::Closed', 'settling on a closed connection');
$lease = undef;

$other->close;
$ws->close;
done_testing;
