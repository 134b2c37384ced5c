package NWS::Error;
# Exceptions of the NWS client.  Every error is an NWS::Error object (a
# subclass per error code) carrying the code's stable name, a message, the
# server's status (-1 when the error is local) and its reason text.  They
# stringify to a clear message, so an uncaught one reads well.
use strict;
use warnings;
use overload '""' => \&as_string, 'bool' => sub { 1 }, fallback => 1;

our $VERSION = '0.1.0';

# code name (from the C++ client's Errc) => subclass suffix
my %CLASS_OF = (
    'connection'          => 'Connection',
    'connection dropped'  => 'ConnectionDropped',
    'no such workspace'   => 'NoSuchWorkspace',
    'not opened'          => 'NotOpened',
    'declaration failed'  => 'DeclarationFailed',
    'operation failed'    => 'OperationFailed',
    'server error'        => 'ServerError',
    'protocol'            => 'Protocol',
    'serialisation'       => 'Serialisation',
    'cancelled'           => 'Interrupted',
    'timeout'             => 'Timeout',
    'closed'              => 'Closed',
    'unsupported'         => 'Unsupported',
    'invalid argument'    => 'InvalidArgument',
);
for my $suffix (values %CLASS_OF) {
    no strict 'refs';
    @{"NWS::Error::${suffix}::ISA"} = ('NWS::Error');
}

sub new {
    my ($class, %args) = @_;
    my $self = bless { code => 'internal', status => -1, reason => '', message => '', %args }, $class;
    return $self;
}

# Gives a raw error from the native layer (blessed NWS::Error) its subclass.
sub _classify {
    my ($err) = @_;
    return $err unless ref $err && ref $err eq 'NWS::Error';
    my $suffix = $CLASS_OF{ $err->{code} } // $CLASS_OF{ $err->{code} =~ s/_/ /gr };
    bless $err, "NWS::Error::$suffix" if $suffix;
    return $err;
}

sub code    { $_[0]{code} }
sub message { $_[0]{message} }
sub status  { $_[0]{status} }
sub reason  { $_[0]{reason} }
sub throw   { my $class = shift; die $class->new(@_) }

sub as_string {
    my ($self) = @_;
    my $s = "NWS error ($self->{code}): $self->{message}";
    $s .= " [server status $self->{status}]" if defined $self->{status} && $self->{status} >= 0;
    return $s;
}

package NWS::Error::Interrupted;
# Ctrl-C (SIGINT) during a blocking call.  If the value arrived before the
# request could be withdrawn, it is not lost: has_value / value carry it.
sub has_value { exists $_[0]{value} }
sub value     { $_[0]{value} }

package NWS::Error::Serialisation;
# A value this module cannot decode (written by another language): the raw
# descriptor and bytes are kept so nothing is lost.
sub descriptor { $_[0]{descriptor} }
sub bytes      { $_[0]{bytes} }
sub language   { $_[0]{language} }

1;
