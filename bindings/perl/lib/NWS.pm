package NWS;
# NWS - the Perl client (and embedded server) for NetWorkSpaces.  This file
# loads the public modules and exports the constants; the API is in
# NWS::Server, NWS::NetWorkSpace, NWS::Iterator, NWS::Lease,
# NWS::LocalServer and NWS::Error.  The SWIG module NWS::Raw underneath is
# not public API.
use strict;
use warnings;
use Exporter ();
use NWS::Tables;
use NWS::Raw;
use NWS::Error;
use NWS::Server;
use NWS::NetWorkSpace;
use NWS::Iterator;
use NWS::Lease;
use NWS::LocalServer;
use NWS::Timestamp;
use NWS::Table;

# core/VERSION, through the generated tables.
our $VERSION = $NWS::Tables::VERSION;

our @ISA = ('Exporter');
our @EXPORT_OK = qw(FIFO LIFO MULTI SINGLE);
our %EXPORT_TAGS = (modes => [qw(FIFO LIFO MULTI SINGLE)]);
*FIFO   = \&NWS::Tables::FIFO;
*LIFO   = \&NWS::Tables::LIFO;
*MULTI  = \&NWS::Tables::MULTI;
*SINGLE = \&NWS::Tables::SINGLE;

# The version of the native core this module runs on.
sub native_version { NWS::Raw::version() }

1;

__END__

=head1 NAME

NWS - Perl client (and embedded server) for NetWorkSpaces

=head1 SYNOPSIS

    use NWS;

    # A workspace on the server at $NWS_HOST:$NWS_PORT (else localhost:8765).
    my $ws = NWS::NetWorkSpace->new('work');
    $ws->store('x', 'hello');              # plain strings go direct
    $ws->store('h', { a => [1, 2] });      # references go by Storable
    $ws->store('p', { a => [1, 2.5] }, portable => 1);   # any language reads it
    my $v = $ws->fetch('x', timeout => 5); # waits for a value (5 s at most)
    my $w = $ws->fetch_try('x', 'none');   # never waits
    $ws->close;

    # A server inside this program.
    my $server = NWS::LocalServer->start;
    my $demo = NWS::NetWorkSpace->new('demo', $server->connect_options);

    # Several workspaces on one connection.
    my $conn = NWS::Server->new;
    my $a = $conn->open_ws('a');
    my $b = $conn->use_ws('b');
    print "$_->{name}\n" for $conn->list_wss;

=head1 DESCRIPTION

NetWorkSpaces (NWS) lets programs on many machines, written in many
languages, coordinate through named I<workspaces> of named I<variables>
held by an NWS server.  C<store> adds a value to a variable; C<fetch>
removes and returns one, waiting until there is one; C<find> returns one
without removing it; the C<_try> forms never wait.

The modules:

=over 4

=item L<NWS::NetWorkSpace>

A workspace: store, fetch, find, declare, iterators, leased fetch, file forms.

=item L<NWS::Server>

A connection: open, use, create (C<mktemp_ws>), delete and list workspaces;
several workspaces share one connection.

=item L<NWS::Iterator>

Steps through a variable's values.

=item L<NWS::Lease>

A value held under a lease (C<< $ws->lease >>, C<< $ws->with_lease >>):
acknowledge it when done, or it goes back to its variable for the next
fetcher (reliable consume).

=item L<NWS::LocalServer>

A server inside this process, for programs and tests that need nothing
installed but this distribution.

=item L<NWS::Sleigh>

A pool of worker processes (local, ssh, SLURM) running functions named
C<Module::function> over lists (C<eachElem>) or once on each worker
(C<eachWorker>); the workers may be of another of the project's languages.
C<use NWS::Sleigh> to load it.

=item L<NWS::Error>

The exceptions, one class per kind of error.

=item L<NWS::Timestamp>, L<NWS::Table>

The timestamps and tables of portable values.

=item L<NWS::TextFile>

A file handle over a variable holding lines of text.

=item L<NWS::Tables>

The core's constants and error classes (generated).

=back

=head2 Values

A defined plain scalar is stored as a direct string, which every language
reads: as text if it carries the UTF-8 flag or is plain ASCII, as binary
otherwise; it comes back with the UTF-8 flag on for text and off for binary.
A number is stored as its string form.  Anything else (references, undef)
is stored with Storable under Perl's language id, and only Perl reads it
back.  Reading a value another language serialised dies with
C<NWS::Error::Serialisation>, naming the variable and the writer's language.

B<Portable values> are read by every language of the project (the project's
docs/values.md).  C<< $ws->store($var, $value, portable => 1) >> writes one
(or every C<store> of a workspace made with C<< portable => 1 >>); reading
needs nothing: C<fetch>, C<find>, the C<_try> forms and the iterators
return portable values as Perl data, whoever wrote them.  What writes as
what:

    undef                                 null
    JSON::PP::true / false (or !!1, !!0)  boolean (read as $JSON::PP::true / false)
    a scalar created as an integer        integer (64-bit; beyond that: an error)
    a scalar created as a floating number real (a double)
    a string                              a plain string, as without portable
    NWS::Timestamp                        timestamp (nanoseconds)
    [numbers], all integers               vector of int64
    [numbers], one floating               vector of float64
    [booleans] / [strings] / [NWS::Timestamps]   vectors of those
    any other array reference, or empty   list
    hash reference                        map (keys written sorted)
    NWS::Table                            table

In a vector, C<undef> is a missing element (and missing elements read back
as C<undef>).  A vector read from another language (int32 too) is an array
reference.  A string stays a string even when it looks like a number
(one read from a file, say): C<0 + $s> makes it a number.  Anything else (code references, globs, other objects) dies
with C<NWS::Error::Serialisation> naming it, before anything is sent.

=head2 The server

Without C<host> and C<port> a connection goes to C<$NWS_HOST> and
C<$NWS_PORT> when they are set, else to localhost:8765 (where a standalone
C<nws-server> listens by default).  L<NWS::LocalServer> starts one inside
the program.

=head2 Timeouts and Ctrl-C

Every call that waits takes C<< timeout => $seconds >> (undef or not given:
for ever; negative: refused) and dies with C<NWS::Error::Timeout> when it
passes.  SIGINT (Ctrl-C) during such a call dies with
C<NWS::Error::Cancelled>; if the value had already arrived it is in
C<< $err->value >>, so neither is lost.

=head1 FUNCTIONS AND CONSTANTS

=over 4

=item $NWS::VERSION

The version of this distribution, which is the version of the NWS core
(one number for every package of the project).

=item NWS::native_version()

The version of the native core this module runs on (the same number).

=item FIFO, LIFO, MULTI, SINGLE

The modes for C<declare> (C<'fifo'>, ...), exported on request:
C<use NWS qw(:modes)>.

=back

=head1 SEE ALSO

L<NWS::NetWorkSpace>, L<NWS::Server>, L<NWS::LocalServer>, L<NWS::Sleigh>, L<NWS::Error>;
the project's README and docs/ for the protocol.

=cut
