package NWSTestServer;
# The suite's server: an NWS::LocalServer (the server inside the test's own
# process), so the tests need nothing but this distribution.  One per test
# file; it stops when the file ends.
use strict;
use warnings;
use Time::HiRes ();
use NWS;

sub start {
    my ($class) = @_;
    return bless { server => NWS::LocalServer->start }, $class;
}

sub host            { $_[0]{server}->host }
sub port            { $_[0]{server}->port }
sub connect_options { $_[0]{server}->connect_options }
sub stop            { $_[0]{server}->stop }

# A workspace on this server (options as for NWS::NetWorkSpace->new).
sub workspace {
    my ($self, $name, %opt) = @_;
    return NWS::NetWorkSpace->new($name, $self->connect_options, %opt);
}

# A new connection to this server.
sub connect { my ($self, %opt) = @_; NWS::Server->new($self->connect_options, %opt) }

# Polls `cond` until true or `secs` pass; returns its last result.  For
# waiting on another process (a child, the server's state), never to hope
# that a race goes one way.
sub poll_until {
    my ($secs, $cond) = @_;
    my $deadline = Time::HiRes::time() + $secs;
    while (1) {
        my $r = $cond->();
        return $r if $r || Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.01);
    }
}

# A helper program the tests run (python3 for tests/support/race_peer.py).
# Missing: the test is skipped on a user's machine, but fails when
# NWS_TEST_REQUIRE_ALL is set (the project's own test run).
sub require_program {
    my ($name) = @_;
    for my $d (split /:/, $ENV{PATH} // '') { return "$d/$name" if -x "$d/$name" }
    Test::More::BAIL_OUT("$name is needed by this test and NWS_TEST_REQUIRE_ALL is set") if $ENV{NWS_TEST_REQUIRE_ALL};
    Test::More::plan(skip_all => "$name not found");
}

1;
