# Ctrl-C and the value together: the scripted peer (tests/support/race_peer.py)
# sends SIGINT to this process when the blocking request arrives, and sends
# the value only after the client's cancel, as a server does when the value
# won the race.  The call dies with NWS::Error::Cancelled carrying the value:
# neither is lost.  Deterministic: no sleeps, no timing.
use strict;
use warnings;
use Test::More;
use FindBin ();
use lib 't/lib';
use NWSTestServer;
use NWS;

my $python = NWSTestServer::require_program('python3');
my $peer_script = "$FindBin::Bin/race_peer.py";
-f $peer_script or BAIL_OUT("$peer_script is missing (Makefile.PL stages it)");

my $perl_handler_ran = 0;
local $SIG{INT} = sub { $perl_handler_ran++ };

# Runs one race: `$call` gets a workspace on a fresh peer; returns its error
# and what the peer printed.
sub race {
    my ($call, @peer_args) = @_;
    my $me = "$$";   # (a copy: $$ read in the forked child would be the child's)
    my $pid = open(my $peer, '-|', $python, $peer_script, '--signal-pid', $me, @peer_args) or die "race_peer: $!";
    my $line = <$peer>;
    my ($port) = ($line // '') =~ /^PORT (\d+)/ or die "race_peer did not start: " . ($line // 'nothing');
    my $ws = NWS::NetWorkSpace->new('race', host => '127.0.0.1', port => $port);
    my $err = do { eval { $call->($ws) }; $@ };
    $ws->close;
    my @said = <$peer>;
    close $peer;
    chomp @said;
    return ($err, \@said);
}

my ($err, $said) = race(sub { $_[0]->fetch('x') });
is_deeply($said, ['BLOCKED', 'CANCELLED'], 'the peer saw the fetch and then its cancel');
isa_ok($err, 'NWS::Error::Cancelled', 'the fetch');
ok($err->has_value, 'it carries the value');
is($err->value, 'arrived', 'the value');
ok(utf8::is_utf8($err->value) || $err->value !~ /[^\x00-\x7f]/, 'decoded as fetch returns it');
is($err->status, -1, 'a local error');
is($perl_handler_ran, 0, "the interrupt is the error: Perl's handler did not also run");

($err, $said) = race(sub { $_[0]->find('x', timeout => 60) }, '--value', 'found');
isa_ok($err, 'NWS::Error::Cancelled', 'a find with a timeout');
is($err->value, 'found', 'carries its value');

($err, $said) = race(sub { $_[0]->ifetch('x')->next }, '--value', 'step');
isa_ok($err, 'NWS::Error::Cancelled', 'a blocking iterator step');
is($err->value, 'step', 'carries its value');

# The file form: the bytes are in the file, the error carries their number.
my $tmp = do { require File::Temp; File::Temp->new };
binmode $tmp;
($err, $said) = race(sub { $_[0]->fetch_file('x', $tmp) }, '--value', 'to the file');
isa_ok($err, 'NWS::Error::Cancelled', 'fetch_file');
is($err->value, length 'to the file', 'carries the number of bytes written');
close $tmp;
open(my $check, '<:raw', $tmp->filename) or die;
is(do { local $/; <$check> }, 'to the file', 'which are in the file');

# With SIGINT's default disposition: the same, and the process lives on.
{
    local $SIG{INT} = 'DEFAULT';
    ($err, $said) = race(sub { $_[0]->fetch('x') });
    isa_ok($err, 'NWS::Error::Cancelled', 'with the default disposition');
    is($err->value, 'arrived', 'the value is kept');
}
is($perl_handler_ran, 0, "Perl's handler never ran");
done_testing;
