package NWS;
# NWS - Perl client for NetWorkSpaces.
#
#   use NWS;
#   my $ws = NWS::NetWorkSpace->new('work', host => 'localhost', port => 8765);
#   $ws->store('x', 'hello');            # plain strings go direct
#   $ws->store('h', { a => [1, 2] });    # references go by Storable
#   my $v = $ws->fetch('x', timeout => 5);
#
# The generated SWIG module NWS::Raw is an implementation detail; this file
# is the API.  Values: a defined non-reference scalar is stored as a direct
# string (text if it carries the UTF-8 flag or is plain ASCII, binary
# otherwise) and comes back with the UTF-8 flag on for text and off for
# binary.  Anything else (references, undef) is stored with Storable under
# Perl's language id.  Errors die with NWS::Error objects (NWS/Error.pm).
use strict;
use warnings;
use Carp ();
use Encode ();
use Storable ();
use NWS::Error;
use NWS::Raw;

our $VERSION = '0.1.0';

use constant {
    LANG_PERL      => 4,
    DIRECT_STRING  => 0x1,
    BINARY         => 0x2,
};

# Runs a native call; native errors become the right NWS::Error subclass.
sub _call {
    my ($code) = @_;
    my @r;
    my $ok = eval { @r = $code->(); 1 };
    return wantarray ? @r : $r[0] if $ok;
    my $err = $@;
    die NWS::Error::_classify($err) if ref $err;
    die NWS::Error->new(code => 'internal', message => "$err");
}

sub _encode {
    my ($value) = @_;
    if (defined $value && !ref $value) {
        if (utf8::is_utf8($value)) {
            return ((LANG_PERL << 24) | DIRECT_STRING, Encode::encode('UTF-8', $value));
        }
        my $bytes = "$value";
        my $binary = $bytes =~ /[^\x00-\x7f]/ ? BINARY : 0;
        return ((LANG_PERL << 24) | DIRECT_STRING | $binary, $bytes);
    }
    my $frozen = eval { Storable::nfreeze(\$value) };
    NWS::Error::Serialisation->throw(code => 'serialisation', message => "cannot serialise value with Storable: $@")
        unless defined $frozen;
    return ((LANG_PERL << 24), $frozen);
}

sub _decode {
    my ($var, $desc, $bytes) = @_;
    if ($desc & DIRECT_STRING) {
        return $bytes if $desc & BINARY;
        # Text from any writer is UTF-8; bytes that are not stay bytes.
        my $copy = $bytes;
        my $text = eval { Encode::decode('UTF-8', $copy, Encode::FB_CROAK) };
        return defined $text ? $text : $bytes;
    }
    my $lang = ($desc >> 24) & 0xff;
    if ($lang != LANG_PERL) {
        my $name = NWS::Raw::language_name($lang);
        NWS::Error::Serialisation->throw(
            code => 'serialisation', descriptor => $desc, bytes => $bytes, language => $name,
            message => "variable '$var' holds a value serialised by $name (language id $lang); "
                     . "NWS for Perl reads only Perl (Storable) values and direct strings");
    }
    my $ref = eval { Storable::thaw($bytes) };
    NWS::Error::Serialisation->throw(code => 'serialisation', descriptor => $desc, bytes => $bytes,
                                     language => 'Perl', message => "variable '$var': Storable could not decode the value: $@")
        unless ref $ref eq 'SCALAR' || ref $ref eq 'REF';
    return $$ref;
}

# timeout => seconds (undef: for ever) from trailing option pairs.
sub _timeout {
    my (%opt) = @_;
    my $t = delete $opt{timeout};
    Carp::croak("unknown option(s): " . join(', ', sort keys %opt)) if %opt;
    return -1 unless defined $t;
    NWS::Error::InvalidArgument->throw(code => 'invalid argument', message => "timeout must be a number >= 0")
        unless $t =~ /^\s*(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
    return 0 + $t;
}

# A blocking native call under the SIGINT guard: Ctrl-C dies with
# NWS::Error::Interrupted; if the value won the race, the error carries it.
sub _blocking {
    my ($var, $code) = @_;
    my $got = eval { $code->() };
    my $err = $@;
    my $interrupted = NWS::Raw::take_interrupt();
    if (!defined $got) {
        die NWS::Error::_classify($err) if ref $err;
        die NWS::Error->new(code => 'internal', message => "$err");
    }
    my $value = _decode($var, $got->{descriptor}, $got->{bytes});
    die NWS::Error::Interrupted->new(code => 'cancelled', value => $value,
                                     message => "interrupted; the value of '$var' arrived first and is attached")
        if $interrupted;
    return $value;
}

package NWS::NetWorkSpace;
use strict;
use warnings;

sub new {
    my ($class, $name, %opt) = @_;
    Carp::croak('usage: NWS::NetWorkSpace->new($name, host => ..., port => ...)') unless defined $name;
    my $host = delete $opt{host} // 'localhost';
    my $port = delete $opt{port} // 8765;
    my $use = delete $opt{use_only} ? 1 : 0;
    my $persistent = delete $opt{persistent} ? 1 : 0;
    Carp::croak("unknown option(s): " . join(', ', sort keys %opt)) if %opt;
    my $raw = NWS::_call(sub { NWS::Raw::Space->new("$name", "$host", 0 + $port, $use, $persistent) });
    return bless { raw => $raw, name => "$name" }, $class;
}

sub name { $_[0]{name} }

sub store {
    my ($self, $var, $value) = @_;
    my ($desc, $bytes) = NWS::_encode($value);
    NWS::_call(sub { $self->{raw}->store("$var", $desc, $bytes) });
    return;
}

sub fetch {
    my ($self, $var, %opt) = @_;
    my $t = NWS::_timeout(%opt);
    return NWS::_blocking($var, sub { $self->{raw}->fetch("$var", $t) });
}

sub find {
    my ($self, $var, %opt) = @_;
    my $t = NWS::_timeout(%opt);
    return NWS::_blocking($var, sub { $self->{raw}->find("$var", $t) });
}

sub _try {
    my ($self, $method, $var, $default) = @_;
    my $got = NWS::_call(sub { $self->{raw}->$method("$var") });
    return $default unless $got->{found};
    return NWS::_decode($var, $got->{descriptor}, $got->{bytes});
}
sub fetch_try { my ($self, $var, $default) = @_; $self->_try('fetch_try', $var, $default) }
sub find_try  { my ($self, $var, $default) = @_; $self->_try('find_try', $var, $default) }

sub declare {
    my ($self, $var, $mode) = @_;
    NWS::_call(sub { $self->{raw}->declare("$var", "$mode") });
    return;
}

sub delete_var {
    my ($self, $var) = @_;
    NWS::_call(sub { $self->{raw}->delete_var("$var") });
    return;
}

# A list of { name, values, fetchers, finders, mode } hashes, by name.
sub list_vars {
    my ($self) = @_;
    return NWS::_call(sub {
        my $rows = $self->{raw}->list_vars;
        map {
            my $r = $rows->get($_);
            +{ name => $r->{name}, values => $r->{values}, fetchers => $r->{fetchers},
               finders => $r->{finders}, mode => $r->{mode} }
        } 0 .. $rows->size - 1;
    });
}

sub ifetch { my ($self, $var) = @_; NWS::Iterator->_new($self, $var, 'ifetch') }
sub ifind  { my ($self, $var) = @_; NWS::Iterator->_new($self, $var, 'ifind') }

# Idempotent; later calls die with NWS::Error::Closed.
sub close {
    my ($self) = @_;
    NWS::_call(sub { $self->{raw}->close });
    return;
}

sub closed { my ($self) = @_; NWS::_call(sub { $self->{raw}->closed }) }

package NWS::Iterator;
# Steps through a variable's values: ifetch consumes them, ifind does not.
#   while (my ($v) = $it->next_try) { ... }   # non-blocking, empty list at the end
#   my $v = $it->next(timeout => 5);          # blocking
use strict;
use warnings;

sub _new {
    my ($class, $ws, $var, $how) = @_;
    my $raw = NWS::_call(sub { $ws->{raw}->$how("$var") });
    return bless { raw => $raw, var => "$var", ws => $ws }, $class;
}

sub next {
    my ($self, %opt) = @_;
    my $t = NWS::_timeout(%opt);
    return NWS::_blocking($self->{var}, sub { $self->{raw}->next_value($t) });
}

sub next_try {
    my ($self) = @_;
    my $got = NWS::_call(sub { $self->{raw}->try_next });
    return () unless $got->{found};
    return (NWS::_decode($self->{var}, $got->{descriptor}, $got->{bytes}));
}

# All remaining values (non-blocking).
sub all {
    my ($self) = @_;
    my @out;
    while (my ($v) = $self->next_try) { push @out, $v }
    return @out;
}

sub reset { my ($self) = @_; NWS::_call(sub { $self->{raw}->reset }); return }

1;
