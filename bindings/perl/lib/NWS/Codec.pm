package NWS::Codec;
# Perl values <-> NWS values (a descriptor and bytes).  A defined plain
# scalar goes as a direct string, readable by every language: text if it
# carries the UTF-8 flag or is plain ASCII, binary otherwise; it comes back
# with the UTF-8 flag on for text and off for binary.  Anything else
# (references, undef) goes by Storable under Perl's language id, or, when
# asked, as a portable value (docs/values.md), as do numbers and booleans
# then; portable values are read whoever wrote them.
use strict;
use warnings;
use Encode ();
use Storable ();
use NWS::Tables;
use NWS::Error;
use NWS::Raw;
use NWS::Portable::Write;
use NWS::Portable::Read;

our $VERSION = $NWS::Tables::VERSION;

use constant PERL => $NWS::Tables::LANGUAGE{perl};
use constant PERL_DESCRIPTOR => PERL << NWS::Tables::LANGUAGE_SHIFT;
use constant DIRECT => NWS::Tables::DIRECT_STRING;
use constant BINARY => NWS::Tables::BINARY;

# The descriptor of raw bytes (the file forms store them so).
sub bytes_descriptor { PERL_DESCRIPTOR | DIRECT | BINARY }

my $PORTABLE_DESCRIPTOR;

# (descriptor, bytes) for a value, portable when `$portable`; `$ws`/`$var`
# name it in errors.
sub encode {
    my ($value, $ws, $var, $portable) = @_;
    if (defined $value && !ref $value && !($portable && NWS::Portable::Write::is_typed_scalar($value))) {
        if (utf8::is_utf8($value)) {
            return (PERL_DESCRIPTOR | DIRECT, Encode::encode('UTF-8', $value));
        }
        my $bytes = "$value";
        return (PERL_DESCRIPTOR | DIRECT | ($bytes =~ /[^\x00-\x7f]/ ? BINARY : 0), $bytes);
    }
    return _encode_portable($value, $ws, $var) if $portable;
    my $frozen = eval { Storable::nfreeze(\$value) };
    NWS::Error::Serialisation->throw(
        message => "cannot store the value of variable '" . ($var // '') . "' in workspace '" . ($ws // '')
                 . "': Storable cannot serialise it: " . _first_line($@))
        unless defined $frozen;
    return (PERL_DESCRIPTOR, $frozen);
}

sub _encode_portable {
    my ($value, $ws, $var) = @_;
    my $bytes = eval { NWS::Portable::Write::encode($value) };
    if (!defined $bytes) {
        my $err = NWS::Error->_from_native($@);
        die $err unless $err->isa('NWS::Error::Serialisation');
        NWS::Error::Serialisation->throw(
            message => "cannot store the value of variable '" . ($var // '') . "' in workspace '" . ($ws // '')
                     . "': " . $err->message);
    }
    $PORTABLE_DESCRIPTOR //= NWS::Raw::portable_descriptor(PERL);
    return ($PORTABLE_DESCRIPTOR, $bytes);
}

# The Perl value of (descriptor, bytes) read from `$var` of workspace `$ws`.
sub decode {
    my ($desc, $bytes, $ws, $var) = @_;
    if ($desc & DIRECT) {
        return $bytes if $desc & BINARY;
        # Text from any writer is UTF-8; bytes that are not stay bytes.
        my $copy = $bytes;
        my $text = eval { Encode::decode('UTF-8', $copy, Encode::FB_CROAK) };
        return defined $text ? $text : $bytes;
    }
    if (NWS::Raw::is_portable($desc)) {
        my $value;
        return $value if eval { $value = NWS::Portable::Read::decode($bytes); 1 };
        my $err = NWS::Error->_from_native($@);
        die $err unless $err->isa('NWS::Error::Serialisation');
        _unreadable($desc, $bytes, $ws, $var, $err->message);
    }
    my $lang = ($desc >> NWS::Tables::LANGUAGE_SHIFT) & NWS::Tables::LANGUAGE_MASK;
    _unreadable($desc, $bytes, $ws, $var, '') if $lang != PERL;
    my $ref = eval { Storable::thaw($bytes) };
    _unreadable($desc, $bytes, $ws, $var, 'Storable could not decode it: ' . _first_line($@ || 'not a Perl value'))
        unless ref $ref eq 'SCALAR' || ref $ref eq 'REF';
    return $$ref;
}

sub _unreadable {
    my ($desc, $bytes, $ws, $var, $why) = @_;
    my $lang = ($desc >> NWS::Tables::LANGUAGE_SHIFT) & NWS::Tables::LANGUAGE_MASK;
    NWS::Error::Serialisation->throw(
        message => NWS::Raw::unreadable_value_message($ws // '', $var // '', $desc, PERL, $why),
        descriptor => $desc, bytes => $bytes, language => NWS::Raw::language_name($lang));
}

sub _first_line { my ($s) = @_; $s = "$s"; $s =~ s/\n.*//s; $s =~ s/ at \S+ line \d+\.?\z//; $s }

1;

__END__

=head1 NAME

NWS::Codec - how NWS turns Perl values into NWS values and back (internal)

=head1 DESCRIPTION

Internal to the NWS distribution; see L<NWS/Values> for the rules.

=cut
