package NWSTestServer;
# The suite's server: an NWS::LocalServer (the server inside the test's own
# process), so the tests need nothing but this distribution.  One per test
# file; it stops when the file ends.
use strict;
use warnings;
use Time::HiRes ();
use POSIX ();
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

# ---- standalone servers (the security tests) ----

# Where this file is: t/lib.
my $T_LIB = do { require File::Basename; require Cwd; File::Basename::dirname(Cwd::abs_path(__FILE__)) };

# A file of the repository this distribution was built from, looked for in
# the directories above t/ (the repository's bindings/perl, or a dist
# unpacked under its build-perl/); undef if none has it.
sub _above {
    my ($rel) = @_;
    my $dir = "$T_LIB/../..";
    for (1 .. 6) {
        return Cwd::abs_path("$dir/$rel") if -e "$dir/$rel";
        $dir .= '/..';
    }
    return undef;
}

# Skips the test file on a user's machine, fails the project's own run
# (NWS_TEST_REQUIRE_ALL).
sub _missing {
    my ($what) = @_;
    Test::More::BAIL_OUT("$what, and NWS_TEST_REQUIRE_ALL is set") if $ENV{NWS_TEST_REQUIRE_ALL};
    Test::More::plan(skip_all => $what);
}

# The nws-server program: $NWS_SERVER_BINARY, else nws-server on PATH, else
# the repository's build/core/nws-server.
sub server_binary {
    my $env = $ENV{NWS_SERVER_BINARY};
    if (defined $env && length $env) {
        -x $env or _missing("NWS_SERVER_BINARY=$env is not a program");
        return $env;
    }
    for my $d (split /:/, $ENV{PATH} // '') { return "$d/nws-server" if -x "$d/nws-server" && !-d _ }
    my $built = _above('build/core/nws-server');
    return $built if $built && -x $built;
    _missing('no nws-server program (set NWS_SERVER_BINARY)');
}

# Makes the test certificates (scripts/make-test-certs.sh, staged as
# t/make-test-certs.sh) in `$dir`; returns `$dir`.
sub make_certs {
    my ($dir) = @_;
    require_program('openssl');
    my $script = -f "$T_LIB/../make-test-certs.sh" ? "$T_LIB/../make-test-certs.sh" : _above('scripts/make-test-certs.sh');
    $script or _missing('make-test-certs.sh not found');
    system('bash', $script, $dir) == 0 or die "make-test-certs.sh $dir failed\n";
    return $dir;
}

# A users-file secret for `$password` (nws-server --hash-password).
sub hash_password {
    my ($password) = @_;
    require IPC::Open2;
    my $pid = IPC::Open2::open2(my $out, my $in, server_binary(), '--hash-password');
    print $in "$password\n";
    close $in;
    my $secret = do { local $/; <$out> };
    waitpid($pid, 0);
    die "nws-server --hash-password failed (exit " . ($? >> 8) . ")\n" if $?;
    $secret =~ s/\s+\z//;
    $secret =~ /\ASCRAM-SHA-256\$/ or die "nws-server --hash-password printed '$secret'\n";
    return $secret;
}

# An nws-server process on a free loopback port, with `@flags` (--tls-cert
# ..., --users ...); stops when the object goes (or with ->stop).
sub standalone {
    my ($class, @flags) = @_;
    my @argv = (server_binary(), '--bind', '127.0.0.1', '--port', '0', '--no-web', '--log-level', 'warn', @flags);
    my $pid = open(my $out, '-|') // die "fork: $!";
    if (!$pid) {
        open(STDIN, '<', '/dev/null');
        exec { $argv[0] } @argv or POSIX::_exit(127);
    }
    # Its first line says where it listens: "nws-server listening on 127.0.0.1:PORT".
    my $banner = <$out> // '';
    if ($banner !~ /listening on (\S+):(\d+)\b/) {
        kill 'TERM', $pid;
        close $out;
        die "nws-server (@flags) did not start: it said '$banner'\n";
    }
    return bless { pid => $pid, out => $out, host => $1, port => $2 }, 'NWSTestServer::Standalone';
}

package NWSTestServer::Standalone;

sub host { $_[0]{host} }
sub port { $_[0]{port} }
sub connect_options { (host => $_[0]{host}, port => $_[0]{port}) }

sub stop {
    my ($self) = @_;
    my $pid = delete $self->{pid} or return;
    kill 'TERM', $pid;
    close $self->{out};   # waits for it
}

sub DESTROY { local ($?, $@); $_[0]->stop }

package NWSTestServer;

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
