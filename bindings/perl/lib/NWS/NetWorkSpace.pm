package NWS::NetWorkSpace;
# A workspace on an NWS server: store, fetch and find its variables.
use strict;
use warnings;
use Fcntl ();
use IO::Handle ();
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Codec;
use NWS::Server;
use NWS::Iterator;
use NWS::Lease;
use NWS::TextFile;

our $VERSION = $NWS::Tables::VERSION;

# How the facade's retrieve_file retrieves.
my %FILE_HOW = (fetch => 0, fetch_try => 1, find => 2, find_try => 3);

sub new {
    my ($class, $name, @args) = @_;
    my %opt = NWS::Native::options("$class->new",
        [qw(server use_only persistent create portable), NWS::Server->_connect_options], @args);
    my ($server, $use_only, $persistent, $create, $portable) = delete @opt{qw(server use_only persistent create portable)};
    my %ws_opt = (defined $create ? (create => $create) : ());
    NWS::Error::InvalidArgument->throw(
        message => "$class->new: give either server => or connection options (" . join(', ', sort keys %opt) . ")")
        if $server && %opt;
    # A bad name is refused before connecting, so nothing is sent.
    my $n = NWS::Native::name($name);
    NWS::Native::call(sub { NWS::Raw::check_workspace_name($n) });
    my $own = !$server;
    $server ||= NWS::Server->new(%opt);
    my $self = eval {
        $use_only ? $server->use_ws($name, %ws_opt) : $server->open_ws($name, %ws_opt, persistent => $persistent)
    };
    if (!$self) {
        my $err = $@;
        eval { $server->close } if $own;
        die $err;
    }
    $self->{portable} = $portable ? 1 : 0;
    return bless $self, $class;
}

# A workspace handle made by NWS::Server.
sub _wrap {
    my ($class, $raw, $server) = @_;
    return bless { raw => $raw, server => $server, name => NWS::Native::call(sub { $raw->name }) }, $class;
}

sub name       { $_[0]{name} }
sub current_ws { $_[0]{name} }
sub server     { $_[0]{server} }

# Whether store writes portable values by default (set with an argument).
sub portable {
    my ($self, @set) = @_;
    $self->{portable} = $set[0] ? 1 : 0 if @set;
    return $self->{portable} ? 1 : 0;
}

sub _var { NWS::Native::name($_[1]) }

# ---- values ----

sub store {
    my ($self, $var, $value, @args) = @_;
    my %opt = NWS::Native::options('store', ['portable'], @args);
    my $portable = exists $opt{portable} ? $opt{portable} : $self->{portable};
    my $v = $self->_var($var);
    my ($desc, $bytes) = NWS::Codec::encode($value, $self->{name}, $var, $portable);
    NWS::Native::call(sub { $self->{raw}->store($v, $desc, $bytes) });
    return;
}

sub _decoder {
    my ($self, $var) = @_;
    return sub { NWS::Codec::decode($_[0]{descriptor}, $_[0]{bytes}, $self->{name}, $var) };
}

sub _blocking {
    my ($self, $how, $var, @args) = @_;
    my %opt = NWS::Native::options($how, ['timeout'], @args);
    my $v = $self->_var($var);
    my $t = NWS::Native::timeout($opt{timeout});
    return NWS::Native::blocking("$how '" . ($var // '') . "'", sub { $self->{raw}->$how($v, $t) },
                                 $self->_decoder($var));
}

sub fetch { my ($self, $var, @args) = @_; $self->_blocking('fetch', $var, @args) }
sub find  { my ($self, $var, @args) = @_; $self->_blocking('find', $var, @args) }

sub _try {
    my ($self, $how, $var, $default) = @_;
    my $v = $self->_var($var);
    my $got = NWS::Native::call(sub { $self->{raw}->$how($v) });
    return $default unless $got->{found};
    return $self->_decoder($var)->($got);
}

sub fetch_try { my ($self, $var, $default) = @_; $self->_try('fetch_try', $var, $default) }
sub find_try  { my ($self, $var, $default) = @_; $self->_try('find_try', $var, $default) }

# ---- leased fetch ----

sub lease {
    my ($self, $var, @args) = @_;
    my %opt = NWS::Native::options('lease', [qw(duration timeout)], @args);
    my $v = $self->_var($var);
    my @d = NWS::Native::duration($opt{duration});
    my $t = NWS::Native::timeout($opt{timeout});
    my $raw = NWS::Native::blocking_object("lease '" . ($var // '') . "'",
                                           sub { $self->{raw}->lease($v, @d, $t) }, sub { $_[0]->release });
    return NWS::Lease->_new($raw, $self, $var);
}

sub lease_try {
    my ($self, $var, @args) = @_;
    my %opt = NWS::Native::options('lease_try', ['duration'], @args);
    my $v = $self->_var($var);
    my @d = NWS::Native::duration($opt{duration});
    my $raw = NWS::Native::call(sub { $self->{raw}->lease_try($v, @d) });
    return defined $raw ? NWS::Lease->_new($raw, $self, $var) : undef;
}

sub with_lease {
    my ($self, $var, $code, @args) = @_;
    NWS::Error::InvalidArgument->throw(message => 'with_lease: the second argument must be a code reference')
        unless ref $code eq 'CODE';
    my $lease = $self->lease($var, @args);
    my $want = wantarray;
    my @r;
    my $ok = eval {
        if ($want) { @r = $code->($lease->value, $lease) }
        elsif (defined $want) { $r[0] = $code->($lease->value, $lease) }
        else { $code->($lease->value, $lease) }
        1;
    };
    if (!$ok) {
        my $err = $@;
        # The sub's error is the one to report; giving the value back is
        # best effort (an expired lease went back by itself).
        eval { $lease->release unless $lease->settled };
        die $err;
    }
    $lease->ack unless $lease->settled;
    return $want ? @r : $r[0];
}

# ---- variables and listings ----

sub declare {
    my ($self, $var, $mode) = @_;
    my $v = $self->_var($var);
    my $m = NWS::Native::name($mode);
    NWS::Native::call(sub { $self->{raw}->declare($v, $m) });
    return;
}

sub delete_var {
    my ($self, $var) = @_;
    my $v = $self->_var($var);
    NWS::Native::call(sub { $self->{raw}->delete_var($v) });
    return;
}

sub list_vars {
    my ($self, @args) = @_;
    my %opt = NWS::Native::options('list_vars', [qw(ws format)], @args);
    return $self->{server}->list_vars($opt{ws}, format => $opt{format})
        if defined $opt{ws} && $opt{ws} ne $self->{name};
    my $format = NWS::Server::_format($opt{format});
    return NWS::Server::_var_listing(NWS::Native::call(sub { $self->{raw}->list_vars }), $format);
}

# ---- iterators ----

sub ifetch     { my ($self, $var, @args) = @_; NWS::Iterator->_new($self, $var, 'ifetch', 1, @args) }
sub ifind      { my ($self, $var, @args) = @_; NWS::Iterator->_new($self, $var, 'ifind', 1, @args) }
sub ifetch_try { my ($self, $var) = @_; NWS::Iterator->_new($self, $var, 'ifetch', 0) }
sub ifind_try  { my ($self, $var) = @_; NWS::Iterator->_new($self, $var, 'ifind', 0) }

# ---- files ----

# The handle's file descriptor, if it has one (in-memory and tied handles do not).
sub _fileno {
    my ($fh, $what) = @_;
    NWS::Error::InvalidArgument->throw(message => "$what: not an open file handle")
        unless defined Scalar::Util::openhandle($fh);
    my $fd = fileno($fh);
    return defined $fd && $fd >= 0 ? $fd : undef;
}

sub store_file {
    my ($self, $var, $fh, $n) = @_;
    my $v = $self->_var($var);
    my $fd = _fileno($fh, 'store_file');
    NWS::Error::InvalidArgument->throw(message => "store_file: the byte count must be a whole number >= 0")
        if defined $n && !($n =~ /\A\d+\z/);
    if (defined $fd && !$n && -f $fh) {
        # A regular file: the core streams it from the descriptor, from the
        # handle's position (Perl may have read ahead into its buffer).
        my $pos = tell($fh);
        $pos = 0 if $pos < 0;
        my $left = (-s $fh) - $pos;
        return 0 if $left <= 0;
        defined sysseek($fh, $pos, Fcntl::SEEK_SET)
            or NWS::Error::InvalidArgument->throw(message => "store_file: cannot seek the file: $!");
        NWS::Native::call(sub { $self->{raw}->store_file($v, NWS::Codec::bytes_descriptor(), $fd) });
        seek($fh, 0, Fcntl::SEEK_END);   # read to its end, as the handle now says
        return $left;
    }
    # A pipe, a socket or a handle without a descriptor: read here, so bytes
    # Perl already holds in the handle's buffer are stored too (the length
    # of such a stream is known only at its end, so it is held in memory).
    my $data = '';
    while (1) {
        my $want = 1 << 16;
        if ($n) {
            last if length($data) >= $n;
            $want = $n - length $data if $n - length $data < $want;
        }
        my $got = read($fh, $data, $want, length $data);
        NWS::Error::InvalidArgument->throw(message => "store_file: cannot read the file: $!") unless defined $got;
        last if $got == 0;
    }
    utf8::encode($data) if utf8::is_utf8($data);   # a handle with an :encoding layer
    return 0 if $data eq '';
    NWS::Native::call(sub { $self->{raw}->store($v, NWS::Codec::bytes_descriptor(), $data) });
    return length $data;
}

sub _to_file {
    my ($self, $how, $var, $fh, @args) = @_;
    my %opt = NWS::Native::options("${how}_file", ['timeout'], @args);
    my $v = $self->_var($var);
    my $fd = _fileno($fh, "${how}_file");
    my $t = NWS::Native::timeout($opt{timeout});
    my $what = "${how}_file '" . ($var // '') . "'";
    if (!defined $fd) {
        # No descriptor (an in-memory or tied handle): the bytes come here.
        my $got = $how =~ /_try\z/ ? NWS::Native::call(sub { $self->{raw}->$how($v) })
                : NWS::Native::blocking($what, sub { $self->{raw}->$how($v, $t) }, sub { $_[0] });
        return undef unless $got->{found};
        print {$fh} $got->{bytes} or NWS::Error::InvalidArgument->throw(message => "$what: cannot write: $!");
        return length $got->{bytes};
    }
    # Earlier output first, then the core writes to the descriptor.
    IO::Handle::flush($fh);
    my $n = NWS::Native::blocking($what, sub { $self->{raw}->retrieve_file($FILE_HOW{$how}, $v, $fd, $t) },
                                  sub { $_[0]{found} ? $_[0]{size} : undef });
    seek($fh, 0, Fcntl::SEEK_CUR) if -f $fh;   # Perl learns the descriptor's new position
    return $n;
}

sub fetch_file     { my ($self, $var, $fh, @args) = @_; $self->_to_file('fetch', $var, $fh, @args) // 0 }
sub find_file      { my ($self, $var, $fh, @args) = @_; $self->_to_file('find', $var, $fh, @args) // 0 }
sub fetch_try_file { my ($self, $var, $fh) = @_; $self->_to_file('fetch_try', $var, $fh) }
sub find_try_file  { my ($self, $var, $fh) = @_; $self->_to_file('find_try', $var, $fh) }

sub makefile {
    my ($self, $var, $mode) = @_;
    return NWS::TextFile->open($self, $var, $mode // '<');
}

# ---- lifetime ----

sub close {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->close });
    return;
}

sub closed { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->closed }) ? 1 : 0 }

1;

__END__

=head1 NAME

NWS::NetWorkSpace - a workspace on an NWS server: store, fetch and find values

=head1 SYNOPSIS

    use NWS;
    my $ws = NWS::NetWorkSpace->new('work');        # $NWS_HOST/$NWS_PORT, else localhost:8765
    $ws->store('x', 'text');                        # strings go direct
    $ws->store('h', { list => [1, 2] });            # references by Storable
    $ws->store('p', { list => [1, 2] }, portable => 1);   # or for every language
    my $v = $ws->fetch('x', timeout => 5);          # waits; NWS::Error::Timeout after 5 s
    my $w = $ws->fetch_try('x', 'default');         # never waits
    $ws->with_lease('task', sub { my ($task) = @_; ... });   # acked unless it dies
    $ws->declare('q', 'lifo');
    my $it = $ws->ifind_try('q');
    while (my ($value) = $it->next) { ... }
    $ws->store_file('log', $fh);                    # a file's bytes as one value
    $ws->close;

=head1 DESCRIPTION

A workspace is a set of named variables on a server, shared by every program
that names the workspace.  A variable holds a queue of values: C<store>
adds one, C<fetch> removes and returns one (waiting until there is one),
C<find> returns one and leaves it; the C<_try> forms never wait.  When
several programs wait in C<fetch> on one variable, each value goes to
exactly one of them.

Each C<NWS::NetWorkSpace> uses a connection (an L<NWS::Server>).  C<new>
makes one of its own; L<NWS::Server>'s C<open_ws> and C<use_ws> make
workspaces that share the server's connection.

B<Ownership and persistence>: the connection that first opens a workspace
owns it; when that connection closes (or its program exits) the server
deletes the workspace and its variables, unless it was opened
C<< persistent => 1 >>.  Programs that only use a workspace
(C<< use_only => 1 >>) never own it.

B<Names>: strings; an undef name, or an unknown mode, dies with
C<NWS::Error::InvalidArgument> before anything is sent.

B<Timeouts>: every call that waits takes C<< timeout => $seconds >>; not given
(or undef) waits for ever; a negative timeout is refused.  When it passes,
the call dies with C<NWS::Error::Timeout> and the request is withdrawn, so a
later value goes to someone else.

B<Ctrl-C>: SIGINT during a call that waits ends it with
C<NWS::Error::Cancelled> (the request is withdrawn and the connection stays
usable).  If the value had already arrived, the error carries it
(C<< $err->value >>): neither the value nor the interrupt is lost.  A process
that ignores SIGINT keeps ignoring it.

B<Values>: see L<NWS/Values>.

=head1 METHODS

=over 4

=item new($name, %options)

Connects and opens the workspace C<$name>.  Options:

=over 4

=item host, port, connect_timeout, kill_server_on_close

The connection, as for L<NWS::Server/new> (not given: C<$NWS_HOST> and
C<$NWS_PORT>, else localhost:8765).

=item tls, tls_ca, tls_cert, tls_key, tls_server_name, user, password, token

TLS and credentials, as for L<NWS::Server/new>:

    my $ws = NWS::NetWorkSpace->new('jobs', host => 'nws.example.org',
        tls_ca => 'ca.pem', user => 'worker1', password => $password);

=item server => $server

An L<NWS::Server> whose connection to use instead of a new one.

=item use_only

True: use the workspace without becoming its owner.

=item persistent

True: if this opens (and so owns) the workspace, it outlives the connection.

=item create

False: a missing workspace dies with C<NWS::Error::NoSuchWorkspace> instead
of being created.

=item portable

True: C<store> writes portable values (see L<NWS/Values>) unless told
otherwise.

=back

=item name, current_ws

The workspace's name.

=item server

The L<NWS::Server> of this workspace's connection (use it to open more
workspaces on the same connection).

=item portable, portable($on)

Whether C<store> writes portable values by default; with an argument, sets it.

=item store($var, $value, portable => undef)

Adds C<$value> to variable C<$var> (created as a FIFO variable if needed).
C<< portable => 1 >> writes it as a portable value, which every language
reads (see L<NWS/Values>); C<< portable => 0 >> by Storable; not given: as
the workspace's C<portable> says.  Plain strings are stored as strings
either way.

=item fetch($var, timeout => undef)

Removes and returns a value of C<$var>, waiting until there is one.  Which
value depends on the variable's mode (see C<declare>).

=item find($var, timeout => undef)

Returns a value of C<$var> without removing it, waiting until there is one.

=item fetch_try($var, $default)

Removes and returns a value of C<$var>, or returns C<$default> (undef if
not given) at once if it has none.

=item find_try($var, $default)

Returns a value of C<$var> without removing it, or C<$default> at once.

=item lease($var, duration => 300, timeout => undef)

A leased fetch: removes a value of C<$var> like C<fetch> (waiting as
C<fetch> does, C<timeout> included) and returns it held under an
L<NWS::Lease>.  The value stays the server's until the lease is settled;
if this connection closes, or C<duration> seconds pass (fractions allowed;
not given: 300), first, it goes back to the head of its variable for the
next fetcher.  Ctrl-C while it waits ends it with C<NWS::Error::Cancelled>,
and a value that had arrived goes back.  A duration that is not from 0.001
to about 24 days dies with C<NWS::Error::InvalidArgument>; a server without
leases, with C<NWS::Error::Unsupported>.

=item lease_try($var, duration => 300)

Like C<lease> without waiting: an L<NWS::Lease>, or undef at once if C<$var>
has no value.

=item with_lease($var, $code, duration => 300, timeout => undef)

The block form of C<lease>: leases a value of C<$var>, calls
C<< $code->($value, $lease) >>, and acknowledges the lease when C<$code>
returns, returning what it returned (in the caller's context).  If C<$code>
dies, the lease is released (the value goes back to the head of its
variable) and the error propagates.  If C<$code> settled the lease itself
(C<< $lease->ack_store(...) >>, C<< $lease->release >>), nothing more is
done.  An acknowledgement that fails (the lease expired meanwhile) dies with
C<NWS::Error::LeaseLost>.

=item declare($var, $mode)

Gives C<$var> a mode: C<fifo> (first in, first out: the default),
C<lifo> (a stack), C<multi> (no particular order) or C<single> (only the
latest value is kept); see the constants in L<NWS>.  Declaring the mode a
variable already has does nothing; another mode dies with
C<NWS::Error::DeclarationFailed>; an unknown mode dies with
C<NWS::Error::InvalidArgument> (nothing is sent).

=item delete_var($var)

Deletes the variable and its values; programs waiting on it are released
with an error.

=item list_vars(ws => undef, format => 'rows')

The variables of this workspace, or of workspace C<ws> (which this
connection must have opened or used).  Rows are hashes with the keys
C<name>, C<values>, C<fetchers>, C<finders> and C<mode>; C<< format => 'hash' >>
gives a hash reference of rows by name, C<< format => 'text' >> the server's
listing (one line per variable, TAB-separated).

=item ifetch($var, timeout => undef), ifind($var, timeout => undef)

L<NWS::Iterator>s over the values of C<$var> whose C<next> waits for each
value (C<timeout> per step): C<ifetch> removes the values it returns,
C<ifind> leaves them.  For FIFO and single variables.

=item ifetch_try($var), ifind_try($var)

Iterators whose C<next> never waits: it returns the empty list when there
is no further value.  The end is not final: a later C<next> returns values
stored since.

=item store_file($var, $fh, $n)

Stores the bytes of the file C<$fh> from its current position as one binary
value: all of them, or at most C<$n>.  A regular file is streamed by the core
from its descriptor (never all in memory); a pipe, socket or in-memory
handle is read to its end first.  Returns the number of bytes stored; a file
with nothing left stores nothing and returns 0.

=item fetch_file($var, $fh, timeout => undef), find_file($var, $fh, timeout => undef)

Like C<fetch> and C<find>, but write the value's raw bytes to C<$fh>
(flushed first; a regular file or pipe is written through its descriptor,
in chunks as they arrive).  Return the number of bytes written.

=item fetch_try_file($var, $fh), find_try_file($var, $fh)

Like C<fetch_file> and C<find_file> without waiting: return the number of
bytes written, or undef when there is no value.

=item makefile($var, $mode)

A file handle over a variable holding lines of text (see L<NWS::TextFile>):
C<< '<' >> reads the values as one text stream (leaving them in place),
C<< '>' >> empties the variable and stores each line written as one value,
C<<< '>>' >>> appends lines.

=item close

Closes this workspace's connection (and so every workspace sharing it).
Again does nothing; other calls afterwards die with C<NWS::Error::Closed>.

=item closed

True once the connection is closed.

=back

=head1 SEE ALSO

L<NWS>, L<NWS::Server>, L<NWS::Iterator>, L<NWS::Lease>, L<NWS::Error>

=cut
