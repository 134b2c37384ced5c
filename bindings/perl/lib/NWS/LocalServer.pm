package NWS::LocalServer;
# An NWS server inside this process (the core's nws::LocalServer): its event
# loop runs on a thread of its own, so a program or a test needs nothing
# installed but this distribution.
use strict;
use warnings;
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Native;

our $VERSION = $NWS::Tables::VERSION;

# The servers this process started and that still run (weak references),
# stopped at the latest when the program ends: before Perl's global
# destruction, while the native objects can still be reached.
my %LIVE;

sub new {
    my ($class, @args) = @_;
    my %opt = NWS::Native::options("$class->new", [qw(bind port)], @args);
    my $bind = NWS::Native::name($opt{bind});
    my $port = NWS::Native::number($opt{port}) // 0;
    my $raw = NWS::Native::call(sub { NWS::Raw::LocalServer->new($bind, $port) });
    my $self = bless { raw => $raw, pid => $$ }, $class;
    Scalar::Util::weaken($LIVE{ Scalar::Util::refaddr($self) } = $self);
    return $self;
}

sub start { my $class = shift; $class->new(@_) }

sub host    { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->host }) }
sub port    { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->port }) }
sub address { my ($self) = @_; $self->host . ':' . $self->port }
sub connect_options { my ($self) = @_; (host => $self->host, port => $self->port) }
sub running { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->running }) ? 1 : 0 }

sub stop {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->stop }) if $self->{raw} && $self->{pid} == $$;
    return;
}

# Stops the server and frees it.  A forked child has a copy of this object
# but not the server's thread: only the process that started the server
# stops it; the child lets go of its copy.
sub _release {
    my ($self) = @_;
    delete $LIVE{ Scalar::Util::refaddr($self) };
    my $raw = delete $self->{raw} or return;
    if ($self->{pid} == $$) {
        eval { $raw->stop };
    } else {
        $raw->DISOWN;
    }
}

sub DESTROY {
    my ($self) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';   # END below did it
    local ($@, $!, $?);
    $self->_release;
}

END {
    local ($@, $!, $?);
    $_->_release for grep { defined } values %LIVE;
}

1;

__END__

=head1 NAME

NWS::LocalServer - an NWS server inside this process

=head1 SYNOPSIS

    use NWS;
    my $server = NWS::LocalServer->start;          # 127.0.0.1, a free port
    my $ws = NWS::NetWorkSpace->new('demo', $server->connect_options);
    $ws->store('x', 42);
    print $ws->fetch('x'), "\n";
    $server->stop;                                  # or when $server goes away

=head1 DESCRIPTION

Runs the NWS server in this process, on a thread of its own, so a program
needs nothing installed but this distribution.  Other programs (in any
language) can connect to it too, for as long as it runs.  The standalone
C<nws-server> program stays the way to run a server that many programs share
for a long time.

The server keeps everything in memory (large values are spooled to a
private directory under C<$TMPDIR>); stopping it discards everything.  It
prints nothing and leaves signals to the program: Ctrl-C still reaches
Perl.

A child made with C<fork> does not own the server: only the process that
started it stops it.

=head1 METHODS

=over 4

=item new(bind => '127.0.0.1', port => 0), start(...)

Starts the server, listening on C<bind> (default the loopback address) and
C<port> (0, the default: a free port; else 0 to 65535).  Dies with
C<NWS::Error::Connection> if it cannot listen (the port is taken, ...) and
C<NWS::Error::InvalidArgument> for a bad port.

=item host, port

Where clients connect.

=item address

C<"host:port">.

=item connect_options

C<< (host => ..., port => ...) >>, to pass to C<< NWS::NetWorkSpace->new >> or
C<< NWS::Server->new >>.

=item running

True until the server is stopped.

=item stop

Stops the server: closes every connection, drops every workspace and
removes its spool directory.  Calling it again does nothing.  Also done when
the object goes away.

=back

=head1 SEE ALSO

L<NWS>, L<NWS::NetWorkSpace>

=cut
