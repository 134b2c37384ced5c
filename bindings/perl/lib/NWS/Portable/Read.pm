package NWS::Portable::Read;
# A portable value (docs/values.md) -> Perl data.  The core decodes and
# validates (NWS::Raw::PortableReader holds the tree); this walks it, node
# by number, and unpacks each packed vector with one unpack().
use strict;
use warnings;
use JSON::PP ();
use NWS::Tables;
use NWS::Error;
use NWS::Raw;
use NWS::Timestamp;
use NWS::Table;

our $VERSION = $NWS::Tables::VERSION;

no warnings 'recursion';   # nesting is bounded by the core's reader (256 levels)

# How packed vectors unpack (little-endian, as the core gives them).
my %UNPACK = (float64 => 'd<*', int64 => 'q<*', int32 => 'l<*', timestamp => 'q<*', boolean => 'C*');

my %READ = (
    null      => sub { undef },
    boolean   => sub { $_[0]->flag($_[1]) ? $JSON::PP::true : $JSON::PP::false },
    integer   => sub { $_[0]->integer($_[1]) },
    real      => sub { $_[0]->real($_[1]) },
    string    => sub { _text($_[0]->text($_[1])) },
    bytes     => sub { $_[0]->text($_[1]) },
    timestamp => sub { NWS::Timestamp->_from_ns($_[0]->integer($_[1])) },
    list      => sub { my ($r, $i) = @_; [map { _node($r, $r->child($i, $_)) } 0 .. $r->size($i) - 1] },
    map       => sub {
        my ($r, $i) = @_;
        return { map { (_text($r->key($i, $_)), _node($r, $r->child($i, $_))) } 0 .. $r->size($i) - 1 };
    },
    vector    => \&_vector,
    table     => sub {
        my ($r, $i) = @_;
        return NWS::Table->new(map { (_text($r->key($i, $_)), _vector($r, $r->child($i, $_))) } 0 .. $r->size($i) - 1);
    },
);

# The Perl value of the portable value in $bytes (the core's error, an
# NWS::Error::Serialisation, when they are not one).
sub decode {
    my ($bytes) = @_;
    return _node(NWS::Raw::PortableReader->new($bytes), 0);
}

sub _node {
    my ($r, $i) = @_;
    my $kind = $r->kind($i);
    my $read = $READ{$kind}
        or NWS::Error::Serialisation->throw(message => "a portable $kind, which this version of NWS cannot read");
    return $read->($r, $i);
}

# UTF-8 (validated by the core) as a character string.
sub _text { my ($s) = @_; utf8::decode($s); $s }

sub _vector {
    my ($r, $i) = @_;
    my $type = $r->element($i);
    my $n = $r->size($i);
    if ($type eq 'string') {
        return [map { my $c = $r->child($i, $_); $r->kind($c) eq 'null' ? undef : _text($r->text($c)) } 0 .. $n - 1];
    }
    my $format = $UNPACK{$type}
        or NWS::Error::Serialisation->throw(message => "a portable vector of $type, which this version of NWS cannot read");
    my @v = unpack($format, $r->text($i));
    if ($type eq 'boolean') { $_ = $_ ? $JSON::PP::true : $JSON::PP::false for @v }
    elsif ($type eq 'timestamp') { $_ = NWS::Timestamp->_from_ns($_) for @v }
    my $missing = $r->missing($i);
    if (length $missing) {
        my $bits = unpack("b$n", $missing);
        for (my $p = index($bits, '1'); $p >= 0; $p = index($bits, '1', $p + 1)) { $v[$p] = undef }
    }
    return \@v;
}

1;

__END__

=head1 NAME

NWS::Portable::Read - portable values to Perl data (internal)

=head1 DESCRIPTION

Internal to the NWS distribution; see L<NWS/Values> for the rules.

=cut
