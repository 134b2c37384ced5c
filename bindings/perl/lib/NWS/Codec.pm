package NWS::Codec;
# Perl values <-> NWS values (a descriptor and bytes).  A defined plain
# scalar goes as a direct string, readable by every language: text if it
# carries the UTF-8 flag or is plain ASCII, binary otherwise; it comes back
# with the UTF-8 flag on for text and off for binary.  Anything else
# (references, undef) goes by Storable under Perl's language id.
use strict;
use warnings;
use Encode ();
use Storable ();
use NWS::Tables;
use NWS::Error;
use NWS::Raw;

our $VERSION = $NWS::Tables::VERSION;

use constant PERL => $NWS::Tables::LANGUAGE{perl};
use constant PERL_DESCRIPTOR => PERL << NWS::Tables::LANGUAGE_SHIFT;
use constant DIRECT => NWS::Tables::DIRECT_STRING;
use constant BINARY => NWS::Tables::BINARY;

# The descriptor of raw bytes (the file forms store them so).
sub bytes_descriptor { PERL_DESCRIPTOR | DIRECT | BINARY }

# (descriptor, bytes) for a value; `$ws`/`$var` name it in errors.
sub encode {
    my ($value, $ws, $var) = @_;
    if (defined $value && !ref $value) {
        if (utf8::is_utf8($value)) {
            return (PERL_DESCRIPTOR | DIRECT, Encode::encode('UTF-8', $value));
        }
        my $bytes = "$value";
        return (PERL_DESCRIPTOR | DIRECT | ($bytes =~ /[^\x00-\x7f]/ ? BINARY : 0), $bytes);
    }
    my $frozen = eval { Storable::nfreeze(\$value) };
    NWS::Error::Serialisation->throw(
        message => "cannot store the value of variable '" . ($var // '') . "' in workspace '" . ($ws // '')
                 . "': Storable cannot serialise it: " . _first_line($@))
        unless defined $frozen;
    return (PERL_DESCRIPTOR, $frozen);
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
