package NWS::Iterator;
# Steps through the values of a variable (made by NWS::NetWorkSpace's
# ifetch, ifind, ifetch_try and ifind_try).  The position is kept in the
# client, so iterators never disturb each other.  The end follows the core's
# rule: a step that finds nothing keeps the position, and a later step
# returns the values stored since.
use strict;
use warnings;
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Codec;

our $VERSION = $NWS::Tables::VERSION;

sub _new {
    my ($class, $ws, $var, $how, $blocking, @args) = @_;
    my %opt = $blocking ? NWS::Native::options($how, ['timeout'], @args) : ();
    my $v = NWS::Native::name($var);
    my $timeout = NWS::Native::timeout($opt{timeout});
    my $raw = NWS::Native::call(sub { $ws->{raw}->$how($v) });
    return bless { raw => $raw, ws => $ws, var => $var, how => $how . ($blocking ? '' : '_try'),
                   blocking => $blocking, timeout => $timeout }, $class;
}

sub variable  { $_[0]{var} }
sub consuming { $_[0]{how} =~ /\Aifetch/ ? 1 : 0 }
sub blocking  { $_[0]{blocking} }

sub _decode {
    my ($self, $got) = @_;
    return NWS::Codec::decode($got->{descriptor}, $got->{bytes}, $self->{ws}{name}, $self->{var});
}

# A blocking step: the next value, waiting for it.
sub _wait {
    my ($self, $decode, @args) = @_;
    my %opt = NWS::Native::options('next', ['timeout'], @args);
    my $t = exists $opt{timeout} ? NWS::Native::timeout($opt{timeout}) : $self->{timeout};
    return NWS::Native::blocking("$self->{how} step on '" . ($self->{var} // '') . "'",
                                 sub { $self->{raw}->next_value($t) }, $decode);
}

sub next {
    my ($self, @args) = @_;
    return $self->next_try(@args) unless $self->{blocking};
    return $self->_wait(sub { $self->_decode($_[0]) }, @args);
}

sub next_try {
    my ($self, @args) = @_;
    NWS::Native::options('next_try', [], @args);
    my $got = NWS::Native::call(sub { $self->{raw}->try_next });
    return () unless $got->{found};
    return ($self->_decode($got));
}

sub all {
    my ($self) = @_;
    my @out;
    while (my ($v) = $self->next_try) { push @out, $v }
    return @out;
}

sub write_to {
    my ($self, $fh, @args) = @_;
    NWS::Error::InvalidArgument->throw(message => 'write_to: not an open file handle')
        unless defined Scalar::Util::openhandle($fh);
    # The bytes go to the file as soon as they are here (also when Ctrl-C
    # came after they arrived: then NWS::Error::Cancelled carries the count).
    my $write = sub {
        my ($got) = @_;
        return undef unless $got->{found};
        print {$fh} $got->{bytes} or NWS::Error::InvalidArgument->throw(message => "write_to: cannot write: $!");
        return length $got->{bytes};
    };
    return $self->_wait($write, @args) if $self->{blocking};
    NWS::Native::options('write_to', [], @args);
    return $write->(NWS::Native::call(sub { $self->{raw}->try_next }));
}

sub reset {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->reset });
    return;
}

1;

__END__

=head1 NAME

NWS::Iterator - steps through the values of an NWS variable

=head1 SYNOPSIS

    my $it = $ws->ifind_try('results');     # never waits
    while (my ($v) = $it->next) { print "$v\n" }
    # ... later: only the values stored since
    my @new = $it->all;

    my $jobs = $ws->ifetch('jobs', timeout => 60);   # waits for each value
    while (1) { my $job = $jobs->next; ... }

=head1 DESCRIPTION

Made by L<NWS::NetWorkSpace>'s C<ifetch>, C<ifind>, C<ifetch_try> and
C<ifind_try>.  C<ifetch> iterators remove the values they return; C<ifind>
iterators leave them, and unlike repeated C<find> return each value once.
The position is kept here, in the client, so iterators never disturb each
other.  For FIFO and single variables.

B<The end>: a step that finds no further value returns the empty list and
keeps its position; a later step goes on from there, so it returns the
values stored in the meantime.

=head1 METHODS

=over 4

=item next(timeout => ...)

The next value.  For C<ifetch>/C<ifind> iterators it waits for one (at most
C<timeout> seconds: the option given here, else the iterator's; then
C<NWS::Error::Timeout>; Ctrl-C: C<NWS::Error::Cancelled>, carrying the value
if it had arrived, the position advanced).  For the C<_try> iterators it is
C<next_try>.

=item next_try

The next value as a one-element list, or the empty list at the end; never
waits.  Use it as C<< while (my ($v) = $it->next_try) { ... } >> (values may be
undef or false).

=item all

Every remaining value (never waits).

=item write_to($fh, timeout => ...)

Writes the next value's raw bytes to C<$fh> (waiting as C<next> does for
the waiting iterators); returns the number of bytes, or undef at the end.

=item reset

Starts again from the oldest value.

=item variable, consuming, blocking

The variable's name; true for C<ifetch> iterators; true for the iterators
that wait.

=back

=cut
