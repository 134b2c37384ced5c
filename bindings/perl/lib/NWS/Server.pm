package NWS::Server;
# One connection to an NWS server, for the operations on workspaces as a
# whole (open, use, create, delete, list).  Workspaces opened through it
# share the connection.
use strict;
use warnings;
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::NetWorkSpace;
use Scalar::Util ();
use overload ();

our $VERSION = $NWS::Tables::VERSION;

# TLS and credentials (docs/security.md): strings, each going to the
# facade's Security field of the same name.
my @SECURITY_STRINGS = qw(tls_ca tls_cert tls_key tls_server_name user password token);
my @CONNECT_OPTIONS = (qw(host port connect_timeout kill_server_on_close tls), @SECURITY_STRINGS);

sub new {
    my ($class, @args) = @_;
    my $what = "$class->new";
    my %opt = NWS::Native::options($what, \@CONNECT_OPTIONS, @args);
    my $host = NWS::Native::name($opt{host});
    my $port = NWS::Native::number($opt{port});
    my $connect_timeout = NWS::Native::number($opt{connect_timeout});
    my $security = _security($what, \%opt);
    my $raw = NWS::Native::call(sub {
        NWS::Raw::Server->new($host, defined $port ? 1 : 0, $port // 0,
                              defined $connect_timeout ? 1 : 0, $connect_timeout // 0,
                              $opt{kill_server_on_close} ? 1 : 0, $security);
    });
    return bless { raw => $raw }, $class;
}

# The facade's Security from the options (undef: none given, so the core
# takes the environment's).  tls is a boolean; the others are strings (or
# objects that stringify, such as file path objects): a plain reference is
# refused, naming the option but never its value.
sub _security {
    my ($what, $opt) = @_;
    return undef unless grep { defined $opt->{$_} } 'tls', @SECURITY_STRINGS;
    my $security = NWS::Raw::Security->new;
    if (defined(my $tls = $opt->{tls})) {
        NWS::Error::InvalidArgument->throw(
            message => "$what: tls must be true or false, not " . _kind_of($tls))
            if ref $tls && !_stringifies($tls);
        $security->{tls} = $tls ? 1 : 0;
    }
    for my $name (@SECURITY_STRINGS) {
        my $v = $opt->{$name};
        next unless defined $v;
        NWS::Error::InvalidArgument->throw(
            message => "$what: $name must be a string, not " . _kind_of($v))
            if ref $v && !_stringifies($v);
        $security->{$name} = "$v";
    }
    return $security;
}

sub _stringifies {
    my ($v) = @_;
    return Scalar::Util::blessed($v) && overload::Method($v, '""');
}

sub _kind_of {
    my ($v) = @_;
    my $class = Scalar::Util::blessed($v);
    return defined $class ? "an object of class $class" : 'a' . (ref($v) =~ /^[AEIOU]/ ? 'n ' : ' ') . ref($v) . ' reference';
}

sub connect { my $class = shift; $class->new(@_) }

sub _connect_options { @CONNECT_OPTIONS }

sub open_ws {
    my ($self, $name, @args) = @_;
    my %opt = NWS::Native::options('open_ws', [qw(persistent create)], @args);
    my $n = NWS::Native::name($name);
    my $create = exists $opt{create} ? ($opt{create} ? 1 : 0) : 1;
    my $raw = NWS::Native::call(sub { $self->{raw}->open_ws($n, $opt{persistent} ? 1 : 0, $create) });
    return NWS::NetWorkSpace->_wrap($raw, $self);
}

sub use_ws {
    my ($self, $name, @args) = @_;
    my %opt = NWS::Native::options('use_ws', [qw(create)], @args);
    my $n = NWS::Native::name($name);
    my $create = exists $opt{create} ? ($opt{create} ? 1 : 0) : 1;
    my $raw = NWS::Native::call(sub { $self->{raw}->use_ws($n, $create) });
    return NWS::NetWorkSpace->_wrap($raw, $self);
}

sub mktemp_ws {
    my ($self, $template) = @_;
    my $t = NWS::Native::name($template);
    return NWS::Native::call(sub { $self->{raw}->mktemp_ws($t) });
}

sub delete_ws {
    my ($self, $name) = @_;
    my $n = NWS::Native::name($name);
    NWS::Native::call(sub { $self->{raw}->delete_ws($n) });
    return;
}

sub list_wss {
    my ($self, @args) = @_;
    my %opt = NWS::Native::options('list_wss', [qw(name format)], @args);
    my $format = _format($opt{format});
    my $n = NWS::Native::name($opt{name});
    my $listing = NWS::Native::call(sub { $self->{raw}->list_wss($n) });
    return _listing($listing, $format, sub {
        my ($r) = @_;
        +{ name => $r->{name}, mine => $r->{mine} ? 1 : 0, owner => $r->{owner},
           persistent => $r->{persistent} ? 1 : 0, variables => $r->{variables},
           variable_names => [_items($r->{variable_names})] };
    });
}

sub list_vars {
    my ($self, $ws, @args) = @_;
    my %opt = NWS::Native::options('list_vars', [qw(format)], @args);
    my $format = _format($opt{format});
    my $n = NWS::Native::name($ws);
    return _var_listing(NWS::Native::call(sub { $self->{raw}->list_vars($n) }), $format);
}

sub close {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->close });
    return;
}

sub closed { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->closed }) ? 1 : 0 }
sub host   { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->host }) }
sub port   { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->port }) }

# ---- listings (shared with NWS::NetWorkSpace) ----

my %FORMATS = map { $_ => 1 } qw(rows hash text);

sub _format {
    my ($format) = @_;
    $format //= 'rows';
    NWS::Error::InvalidArgument->throw(message => "unknown listing format '$format': use rows, hash or text")
        unless $FORMATS{$format};
    return $format;
}

# The elements of a wrapped std::vector (an array reference or a vector object).
sub _items {
    my ($v) = @_;
    return () unless defined $v;
    return @$v if ref $v eq 'ARRAY';
    return map { $v->get($_) } 0 .. $v->size - 1;
}

sub _listing {
    my ($listing, $format, $row) = @_;
    return $listing->{text} if $format eq 'text';
    my @rows = map { $row->($_) } _items($listing->{rows});
    return { map { $_->{name} => $_ } @rows } if $format eq 'hash';
    return @rows;
}

sub _var_listing {
    my ($listing, $format) = @_;
    return _listing($listing, $format, sub {
        my ($r) = @_;
        +{ name => $r->{name}, values => $r->{values}, fetchers => $r->{fetchers}, finders => $r->{finders},
           mode => $r->{mode} };
    });
}

1;

__END__

=head1 NAME

NWS::Server - a connection to an NWS server, for whole workspaces

=head1 SYNOPSIS

    use NWS;
    my $server = NWS::Server->new;                       # $NWS_HOST/$NWS_PORT, else localhost:8765
    my $ws   = $server->open_ws('results', persistent => 1);  # owned by this connection
    my $peek = $server->use_ws('jobs');                   # shared connection, not owned
    my $tmp  = $server->mktemp_ws('job_%04d');            # a fresh, unique name
    for my $w ($server->list_wss) { print "$w->{name}: $w->{variables} variables\n" }
    my @vars = $server->list_vars('results');
    $server->delete_ws($tmp);
    $server->close;

=head1 DESCRIPTION

An C<NWS::Server> is one connection to a server.  It opens workspaces
(L<NWS::NetWorkSpace> objects, which then share this connection: several
workspaces on one connection), creates, deletes and lists them.

A workspace that a connection I<opens> while nobody owns it is owned by that
connection; when the owner's connection closes (or its program exits), the
server deletes the workspace unless it was opened C<< persistent => 1 >>.
A connection that only I<uses> a workspace never owns it.

Names are strings; an undef name dies with L<NWS::Error::InvalidArgument|NWS::Error>
before anything is sent.

=head1 METHODS

=over 4

=item new(%options), connect(%options)

Connects.  Options:

=over 4

=item host

The server's host name or address.  Not given: C<$NWS_HOST>, else
C<localhost>.

=item port

Its port (1 to 65535).  Not given: C<$NWS_PORT>, else 8765.

=item connect_timeout

Seconds to wait for the connection and handshake (default 10).

=item kill_server_on_close

True: the server shuts down when this connection closes.

=item tls

True: the connection switches to TLS after the handshake.  The server's
certificate is always verified: it must chain to the system's CAs (or
C<tls_ca>'s) and carry the host's name (or C<tls_server_name>).

=item tls_ca

A PEM file of the CAs to trust instead of the system's.  Giving it (or
C<tls_cert>) turns TLS on.

=item tls_cert, tls_key

A client certificate (PEM) for a server that requires one, and its private
key (not given: C<tls_cert> holds it too).

=item tls_server_name

The name the server's certificate must carry (not given: the host).

=item user, password

Credentials for a server that requires them (SCRAM-SHA-256: the password
never crosses the network).

=item token

A shared token, instead of a user and password.

=back

Each of C<tls> to C<token> that is not given (undef, false or the empty
string) comes from the environment: C<NWS_TLS=1>, C<NWS_TLS_CA>,
C<NWS_TLS_CERT>, C<NWS_TLS_KEY>, C<NWS_USER>, C<NWS_PASSWORD>,
C<NWS_TOKEN>.  See the project's docs/security.md.

Dies with C<NWS::Error::Connection> if the server cannot be reached,
C<NWS::Error::Tls> if the TLS connection cannot be set up (an untrusted,
expired or misnamed certificate, TLS on one side only),
C<NWS::Error::Authentication> if the server refuses the credentials (or
wants some), and C<NWS::Error::InvalidArgument> for a bad port, an unknown
option, or a reference where a string (or, for C<tls>, a boolean) belongs.

=item open_ws($name, persistent => 0, create => 1)

Opens the workspace C<$name>, creating it unless C<< create => 0 >> (then a
missing workspace dies with C<NWS::Error::NoSuchWorkspace>), and becomes its
owner if it has none.  C<< persistent => 1 >>: if this call makes us the
owner, the workspace outlives this connection.  Returns an
L<NWS::NetWorkSpace> on this connection.

=item use_ws($name, create => 1)

Like C<open_ws>, but never takes ownership, so closing this connection never
deletes the workspace.

=item mktemp_ws($template)

Creates a workspace with a unique name and returns the name.  C<$template>
holds one integer conversion (C<'job_%04d'>); without it the server's
default template is used.  The workspace is created unowned: open it to own
it.

=item delete_ws($name)

Deletes a workspace and its variables; programs blocked on them are released
with an error.

=item list_wss(name => undef, format => 'rows')

The server's workspaces (only C<$name> if given).  With C<< format => 'rows' >>
(the default) a list of hashes with the keys C<name>, C<mine> (opened by this
connection), C<owner>, C<persistent>, C<variables> (their number) and
C<variable_names> (an array reference); with C<'hash'> a hash reference of
those rows by name; with C<'text'> the server's listing, one line per
workspace.  Rows and text come from one round trip.

=item list_vars($ws, format => 'rows')

The variables of workspace C<$ws>, which this connection must have opened or
used (else C<NWS::Error::NotOpened>).  Rows are hashes with the keys
C<name>, C<values>, C<fetchers>, C<finders> and C<mode>; C<format> as for
C<list_wss>.

=item close

Closes the connection, and so every workspace opened through it; the server
then deletes the non-persistent workspaces this connection owned.  Calling
it again does nothing; other calls afterwards die with C<NWS::Error::Closed>.

=item closed

True once the connection is closed.

=item host, port

Where the connection went (the defaults resolved).

=back

=head1 SEE ALSO

L<NWS>, L<NWS::NetWorkSpace>, L<NWS::LocalServer>, L<NWS::Error>

=cut
