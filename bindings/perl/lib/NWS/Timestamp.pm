package NWS::Timestamp;
# A point in time as portable values hold it: whole nanoseconds since
# 1970-01-01T00:00:00Z.  Perl has no time type of its own that keeps
# nanoseconds (an epoch in a double keeps about microseconds today), so
# portable timestamps read as these objects and these objects write as
# timestamps.  The object is a blessed scalar holding the integer.
use strict;
use warnings;
use POSIX ();
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use overload
    '""'  => \&iso8601,
    '<=>' => sub { my ($a, $b, $swap) = @_; my $r = $$a <=> _ns_of($b); $swap ? -$r : $r },
    'cmp' => sub { my ($a, $b, $swap) = @_; my $r = "$a" cmp "$b"; $swap ? -$r : $r },
    fallback => 1;

our $VERSION = $NWS::Tables::VERSION;

use constant NS => 1_000_000_000;

sub new {
    my ($class, %arg) = @_;
    my @given = grep { exists $arg{$_} } qw(epoch nanoseconds);
    NWS::Error::InvalidArgument->throw(message => "$class->new: give exactly one of epoch => or nanoseconds =>")
        unless @given == 1 && keys %arg == 1;
    my $v = $arg{ $given[0] };
    NWS::Error::InvalidArgument->throw(message => "$class->new: $given[0] must be a number, not "
                                                . (defined $v ? "'$v'" : 'undef'))
        unless defined $v && Scalar::Util::looks_like_number($v) && $v == $v && abs($v) != 9**9**9;
    if ($given[0] eq 'nanoseconds') {
        NWS::Error::InvalidArgument->throw(message => "$class->new: nanoseconds must be a whole number, not $v")
            unless $v == int $v && abs($v) < 2**63;
        return $class->_from_ns(int $v);
    }
    # Whole seconds and the fraction apart, so the integer part stays exact.
    my $whole = POSIX::floor($v);
    NWS::Error::InvalidArgument->throw(message => "$class->new: epoch $v is outside the range of a timestamp")
        unless abs($whole) < 9.2e9;
    return $class->_from_ns(int($whole) * NS + int(($v - $whole) * NS + 0.5));
}

# Without checks: what the portable reader makes.
sub _from_ns { my ($class, $ns) = @_; bless \$ns, $class }

sub nanoseconds { ${ $_[0] } }

# Whole seconds since the epoch (rounded down) and the nanoseconds past them.
sub _split {
    my ($ns) = @_;
    use integer;
    my ($s, $r) = ($ns / NS, $ns % NS);
    ($s, $r) = ($s - 1, $r + NS) if $r < 0;
    return ($s, $r);
}

sub seconds { (_split(${ $_[0] }))[0] }

# Seconds as a floating number (nanoseconds beyond a double's precision are lost).
sub epoch {
    my ($s, $r) = _split(${ $_[0] });
    return $s + $r / NS;
}

# "2026-12-06T15:54:34.123456Z": the fraction without trailing zeros.
sub iso8601 {
    my ($s, $r) = _split(${ $_[0] });
    my @t = gmtime($s);
    my $text = sprintf('%04d-%02d-%02dT%02d:%02d:%02d', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0]);
    if ($r) {
        (my $frac = sprintf('%09d', $r)) =~ s/0+\z//;
        $text .= ".$frac";
    }
    return "${text}Z";
}

sub _ns_of { my ($v) = @_; Scalar::Util::blessed($v) && $v->isa(__PACKAGE__) ? $$v : $v }

1;

__END__

=head1 NAME

NWS::Timestamp - a point in time, to the nanosecond, as portable values hold it

=head1 SYNOPSIS

    use NWS;
    my $t = NWS::Timestamp->new(epoch => time);          # seconds (fractions too)
    my $u = NWS::Timestamp->new(nanoseconds => 1_780_000_000_123_456_789);
    $ws->store('when', $t, portable => 1);
    my $back = $ws->fetch('when');                        # an NWS::Timestamp
    print $back->seconds, ' ', $back->nanoseconds, " $back\n";   # ISO 8601, UTC

=head1 DESCRIPTION

Portable values (see L<NWS/Values>) carry timestamps as whole nanoseconds
since 1970-01-01T00:00:00Z.  They are read as C<NWS::Timestamp> objects, and
these objects (alone, or in an array reference of them) are written as
timestamps.  Objects compare with C<< <=> >> and C<==>; as strings they are
ISO 8601 in UTC.

=head1 METHODS

=over 4

=item new(epoch => $seconds), new(nanoseconds => $ns)

A timestamp from seconds since the epoch (fractions rounded to the nearest
nanosecond) or from whole nanoseconds.  Anything else dies with
C<NWS::Error::InvalidArgument>.

=item nanoseconds

Nanoseconds since the epoch (an integer).

=item seconds

Whole seconds since the epoch, rounded down.

=item epoch

Seconds since the epoch as a floating number (for C<gmtime> and friends;
a double does not keep every nanosecond).

=item iso8601

The time in UTC, as C<2026-12-06T15:54:34.123456Z>; also the string form.

=back

=cut
