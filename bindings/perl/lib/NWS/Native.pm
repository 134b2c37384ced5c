package NWS::Native;
# Calling the native layer (the SWIG module NWS::Raw over the core's
# facade): errors become NWS::Error objects of their kind, Perl arguments
# become what the core's argument rules take (undef stays "missing", so the
# core refuses it before anything is sent), and blocking calls hand over
# their interrupt.
use strict;
use warnings;
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Raw;

our $VERSION = $NWS::Tables::VERSION;

use constant FOREVER => 9**9**9;   # +inf: the core waits for ever
use constant NAN => 9**9**9 - 9**9**9;   # inf - inf

# Runs native code; dies with the NWS::Error of the failure's kind.
sub call {
    my ($code) = @_;
    my @r;
    my $ok = eval { @r = $code->(); 1 };
    die NWS::Error->_from_native($@) unless $ok;
    return wantarray ? @r : $r[0];
}

# A name as the core takes it: a string, or undef (missing: the core refuses it).
sub name { defined $_[0] ? "$_[0]" : undef }

# A number for the core's rules: undef stays undef; a string that is not a
# number becomes NaN, which the core refuses with its message.
sub number {
    my ($v) = @_;
    return undef unless defined $v;
    return Scalar::Util::looks_like_number($v) ? 0 + $v : NAN;
}

# A timeout for the core: undef (none) waits for ever.
sub timeout {
    my ($t) = @_;
    return defined $t ? number($t) : FOREVER;
}

# A lease duration for the facade: (given, seconds); undef is "not given"
# (the core's default).  The core refuses what is out of its range.
sub duration {
    my ($d) = @_;
    return (0, 0) unless defined $d;
    return (1, number($d));
}

# Trailing option pairs, checked against the allowed names.
sub options {
    my ($what, $allowed, @pairs) = @_;
    NWS::Error::InvalidArgument->throw(message => "$what: options come in name => value pairs")
        if @pairs % 2;
    my %opt = @pairs;
    my %ok = map { $_ => 1 } @$allowed;
    my @bad = sort grep { !$ok{$_} } keys %opt;
    NWS::Error::InvalidArgument->throw(
        message => "$what: unknown option(s) " . join(', ', @bad) . " (known: " . join(', ', @$allowed) . ")")
        if @bad;
    return %opt;
}

# A blocking native call returning a Got.  `$decode` turns the Got into the
# caller's result.  SIGINT during the call ends it with NWS::Error::Cancelled;
# if the value had arrived (the facade marks the Got `interrupted`, or the
# interrupt came just after the value), the error carries it, so neither
# the value nor the interrupt is lost.
sub blocking {
    my ($what, $code, $decode) = @_;
    my $got = eval { $code->() };
    my $err = $@;
    my $sigint = NWS::Raw::take_interrupt();
    if (!defined $got) {
        $err = NWS::Error->_from_native($err);
        die $err if !$sigint || $err->isa('NWS::Error::Cancelled');
        die NWS::Error::Cancelled->new(message => "$what was interrupted (SIGINT); it had also failed: "
                                                . $err->message, cause => $err);
    }
    return $decode->($got) unless $got->{interrupted} || $sigint;
    my $value = eval { $decode->($got) };
    if (my $bad = $@) {
        $bad = NWS::Error->_from_native($bad);
        die NWS::Error::Cancelled->new(message => "$what was interrupted (SIGINT); its value had arrived but "
                                                . "cannot be read: " . $bad->message, cause => $bad);
    }
    die NWS::Error::Cancelled->new(
        message => "$what was interrupted (SIGINT) after its value had arrived: the value is attached (->value)",
        value   => $value);
}

# A blocking native call returning an object that holds a value (a lease).
# SIGINT during the call ends it with NWS::Error::Cancelled (the core gives
# a value that had arrived back itself); if SIGINT came just after the call
# returned, `$give_back` hands the object's value back and the call dies
# with NWS::Error::Cancelled all the same, so the interrupt is not lost.
sub blocking_object {
    my ($what, $code, $give_back) = @_;
    my $obj = eval { $code->() };
    my $err = $@;
    my $sigint = NWS::Raw::take_interrupt();
    if (!defined $obj) {
        $err = NWS::Error->_from_native($err);
        die $err if !$sigint || $err->isa('NWS::Error::Cancelled');
        die NWS::Error::Cancelled->new(message => "$what was interrupted (SIGINT); it had also failed: "
                                                . $err->message, cause => $err);
    }
    return $obj unless $sigint;
    my $ok = eval { $give_back->($obj); 1 };
    my $bad = $ok ? undef : NWS::Error->_from_native($@);
    die NWS::Error::Cancelled->new(
        message => "$what was interrupted (SIGINT) after its value had arrived: "
                 . ($ok ? 'the value went back to its variable' : 'giving it back failed: ' . $bad->message),
        ($ok ? () : (cause => $bad)));
}

1;

__END__

=head1 NAME

NWS::Native - calling the native layer of NWS (internal)

=head1 DESCRIPTION

Internal to the NWS distribution.

=cut
