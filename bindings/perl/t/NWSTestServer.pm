package NWSTestServer;
# Starts a real nws-server on a free loopback port for one test file and
# stops it when the file ends.  The binary comes from $NWS_SERVER_BINARY
# (set by scripts/test-perl-ruby.sh) or `nws-server` on PATH; without one
# the tests fail rather than skip.
use strict;
use warnings;
use File::Temp qw(tempdir);
use Time::HiRes qw(time sleep);
use IO::Handle;

my @servers;

sub start {
    my ($class, %opt) = @_;
    my $bin = $ENV{NWS_SERVER_BINARY} || _on_path('nws-server')
        or die "no nws-server: set NWS_SERVER_BINARY to the server program\n";
    my $spool = tempdir(CLEANUP => 1);
    my @args = ($bin, '--bind', '127.0.0.1', '--port', '0', '--spool-dir', $spool, '--log-level', 'warn',
                map { ("--$_" => $opt{$_}) } sort keys %opt);
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        close $r;
        open(STDOUT, '>&', $w) or die;
        exec @args or POSIX::_exit(127);
    }
    close $w;
    my $line = <$r>;   # the server prints its port first
    die "nws-server did not start (@args)\n" unless defined $line && $line =~ /listening on 127\.0\.0\.1:(\d+)/;
    my $self = bless { pid => $pid, port => $1, out => $r }, $class;
    push @servers, $self;
    return $self;
}

sub port { $_[0]{port} }
sub host { '127.0.0.1' }

sub stop {
    my ($self) = @_;
    return unless $self->{pid};
    kill 'TERM', $self->{pid};
    waitpid($self->{pid}, 0);
    $self->{pid} = undef;
}

# Polls `cond` until true or `secs` pass; returns its last result.
sub poll_until {
    my ($secs, $cond) = @_;
    my $deadline = time + $secs;
    while (1) {
        my $r = $cond->();
        return $r if $r || time > $deadline;
        sleep 0.01;
    }
}

sub _on_path {
    my ($name) = @_;
    for my $d (split /:/, $ENV{PATH} // '') { return "$d/$name" if -x "$d/$name" }
    return;
}

END { $_->stop for @servers }

1;
