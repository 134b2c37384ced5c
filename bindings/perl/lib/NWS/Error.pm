package NWS::Error;
# The root of the NWS exceptions.  The subclasses (one per error kind, and
# the groups NWS::Error::Communication and NWS::Error::Operation) are
# generated from the core's error table into NWS::Tables; this file holds
# what every error has: its kind's name, a message, the server's status and
# reason, and a clear string form.
use strict;
use warnings;
use Scalar::Util ();
use NWS::Tables;
use overload '""' => \&as_string, 'bool' => sub { 1 }, fallback => 1;

our $VERSION = $NWS::Tables::VERSION;

sub new {
    my ($class, %args) = @_;
    $class = ref $class || $class;
    my $self = bless { code => $class->kind_name, errc => $class->kind_code, status => -1, reason => '',
                       message => '', %args }, $class;
    return $self;
}

sub throw { my $class = shift; die $class->new(@_) }

# An error from the native layer (a plain NWS::Error carrying the kind's
# name and code) gets the class of its kind; anything else that died in
# there becomes an NWS::Error saying so.
sub _from_native {
    my ($class, $err) = @_;
    if (Scalar::Util::blessed($err) && ref $err eq 'NWS::Error') {
        my $kind = (defined $err->{errc} && $NWS::Tables::CLASS_OF_CODE{ $err->{errc} })
                || $NWS::Tables::CLASS_OF_NAME{ $err->{code} // '' };
        bless $err, $kind if $kind;
        return $err;
    }
    return $err if Scalar::Util::blessed($err) && $err->isa('NWS::Error');
    my $text = "$err";
    $text =~ s/\s+\z//;
    return NWS::Error->new(code => 'internal', message => $text);
}

sub code    { $_[0]{code} }
sub errc    { $_[0]{errc} }
sub message { $_[0]{message} }
sub status  { $_[0]{status} }
sub reason  { $_[0]{reason} }

sub as_string {
    my ($self) = @_;
    my $s = "NWS error ($self->{code}): $self->{message}";
    # Only errors the server reported have a status; local ones (a timeout,
    # a bad argument, a cancel) do not.
    $s .= " [server status $self->{status}]" if defined $self->{status} && $self->{status} >= 0;
    return $s;
}

package NWS::Error::Cancelled;
# A blocking call interrupted (Ctrl-C).  If the value had already arrived,
# it is here: the server no longer has it.
sub has_value { exists $_[0]{value} }
sub value     { $_[0]{value} }
sub cause     { $_[0]{cause} }

package NWS::Error::Serialisation;
# A value that cannot be read here (written by another language): the raw
# descriptor and bytes are kept so nothing is lost.
sub descriptor { $_[0]{descriptor} }
sub bytes      { $_[0]{bytes} }
sub language   { $_[0]{language} }

1;

__END__

=head1 NAME

NWS::Error - the exceptions of the NWS client

=head1 SYNOPSIS

    use NWS;
    my $v = eval { $ws->fetch('x', timeout => 5) };
    if (my $err = $@) {
        die $err unless ref $err && $err->isa('NWS::Error');
        if ($err->isa('NWS::Error::Timeout'))   { ... }
        if ($err->isa('NWS::Error::Cancelled')) { my $v = $err->value if $err->has_value }
        warn "$err";                 # NWS error (timeout): ...
    }

=head1 DESCRIPTION

Every error of the NWS modules dies with an C<NWS::Error> object.  Its class
says what happened; the classes and their hierarchy come from the core's
one error table (generated into L<NWS::Tables>), so every language names
the same kinds the same way:

    NWS::Error
      NWS::Error::Communication        talking to the server failed
        NWS::Error::Connection           cannot reach the server
          NWS::Error::Tls                  the TLS connection could not be set up
        NWS::Error::ConnectionDropped    the connection was lost
          NWS::Error::Closed               ... because this program closed it
        NWS::Error::Protocol             the server broke the protocol
        NWS::Error::Unsupported          the server cannot do this
        NWS::Error::Authentication       the credentials were refused (or missing)
      NWS::Error::Operation            an operation was refused or did not complete
        NWS::Error::NoSuchWorkspace      no such workspace
          NWS::Error::NotOpened            not opened on this connection
        NWS::Error::DeclarationFailed    the variable has another mode
        NWS::Error::OperationFailed      the server refused the request
        NWS::Error::ServerError          the server could not do it
        NWS::Error::Serialisation        a value cannot be read here
        NWS::Error::Cancelled            a blocking call was interrupted
        NWS::Error::Timeout              a blocking call's timeout passed
        NWS::Error::LeaseLost            a lease was no longer held (see NWS::Lease)
        NWS::Error::PermissionDenied     the server's rules forbid this (the connection stays usable)
      NWS::Error::InvalidArgument      a bad argument (nothing was sent)

=head1 METHODS

=over 4

=item code

The kind's stable lower-case name (C<"timeout">, C<"no such workspace">, ...).

=item errc

The kind's stable number in the core's table (C<undef> for errors that are
not of a kind, such as an internal failure).

=item message

What went wrong, in words.

=item status

The server's status code when the server reported the error, else -1
(local errors: timeouts, cancels, bad arguments, a lost connection).

=item reason

The server's own explanation, when it sent one (else the empty string).

=item as_string

The error as one line: C<NWS error (CODE): MESSAGE>, followed by
C<[server status N]> for errors the server reported.  Used when the object
is stringified, so an uncaught error reads well.

=item kind_id, kind_code, kind_name

Class methods (generated): the kind's id (C<"no_such_workspace">), number
and name in the core's table.

=item new(%fields), throw(%fields)

Make (and die with) an error of the class; C<code> and C<errc> default to
the class's kind.

=back

=head2 NWS::Error::Cancelled

Dies from a blocking call (C<fetch>, C<find>, a blocking iterator step, the
blocking file forms) when SIGINT (Ctrl-C) comes while it waits.  The request
is withdrawn at the server and the connection stays usable.  If the value
had already arrived, neither it nor the interrupt is lost:

=over 4

=item has_value

True when the value had arrived.

=item value

The value (decoded as C<fetch> returns it; for the file forms, the number
of bytes written to the file).

=item cause

When another error ended the call while the interrupt was pending (such as a
timeout), that error.

=back

=head2 NWS::Error::Serialisation

A value that Perl cannot read, e.g. one another language serialised.  The
message is the core's, naming the variable, the workspace and the writer's
language.

=over 4

=item descriptor

The value's descriptor.

=item bytes

Its raw bytes.

=item language

The writer language's name (C<"Python">, ...).

=back

=cut
