package NWS::Lease;
# A value held under a lease (made by NWS::NetWorkSpace's lease, lease_try
# and with_lease): the core's nws::Lease through the facade.  The value is
# decoded as fetch decodes it; ack_store's value is encoded as store encodes
# it.  What leases mean (expiry, the value going back) is the core's.
use strict;
use warnings;
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Codec;

our $VERSION = $NWS::Tables::VERSION;

# A lease the facade returned for `$var` of the workspace `$ws`.
sub _new {
    my ($class, $raw, $ws, $var) = @_;
    return bless { raw => $raw, ws => $ws, var => $var }, $class;
}

sub variable { $_[0]{var} }
sub id       { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->id }) }
sub settled  { my ($self) = @_; NWS::Native::call(sub { $self->{raw}->settled }) ? 1 : 0 }

# The value, decoded once (as fetch decodes it).
sub value {
    my ($self) = @_;
    return $self->{value} if exists $self->{value};
    my $got = NWS::Native::call(sub { $self->{raw}->value });
    my $value = NWS::Codec::decode($got->{descriptor}, $got->{bytes}, $self->{ws}{name}, $self->{var});
    $self->{value} = $value;
    return $value;
}

sub ack {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->ack });
    return;
}

sub ack_store {
    my ($self, $var, $value, @args) = @_;
    my %opt = NWS::Native::options('ack_store', ['portable'], @args);
    my $portable = exists $opt{portable} ? $opt{portable} : $self->{ws}{portable};
    my $v = NWS::Native::name($var);
    my ($desc, $bytes) = NWS::Codec::encode($value, $self->{ws}{name}, $var, $portable);
    NWS::Native::call(sub { $self->{raw}->ack_store($v, $desc, $bytes) });
    return;
}

sub release {
    my ($self) = @_;
    NWS::Native::call(sub { $self->{raw}->release });
    return;
}

sub renew {
    my ($self, $seconds) = @_;
    NWS::Error::InvalidArgument->throw(message => 'renew: give the new duration in seconds')
        unless defined $seconds;
    my $d = NWS::Native::number($seconds);
    NWS::Native::call(sub { $self->{raw}->renew($d) });
    return;
}

# An unsettled lease gives its value back when it goes: the facade's
# object does that (errors ignored) when Perl frees it, except in a forked
# child, whose copy the lease is not.

1;

__END__

=head1 NAME

NWS::Lease - a value held under a lease (leased fetch, reliable consume)

=head1 SYNOPSIS

    use NWS;
    my $ws = NWS::NetWorkSpace->new('jobs');

    # The block form: acknowledged when the sub returns, given back if it dies.
    my $result = $ws->with_lease('task', sub {
        my ($task, $lease) = @_;
        return work_on($task);
    }, duration => 300);

    # By hand.
    my $lease = $ws->lease('task', duration => 60, timeout => 10);
    my $task = $lease->value;
    $lease->renew(60) if more_time_needed();
    $lease->ack_store('result', work_on($task));   # store the result and ack, in one step

    my $maybe = $ws->lease_try('task');             # undef when there is no value
    $maybe->release if $maybe;                      # give it back now

=head1 DESCRIPTION

A leased fetch takes a value out of its variable like C<fetch>, but the
value stays the server's until the lease is I<settled>.  If the holder's
connection closes (its program dies, say), or the lease's duration passes,
first, the value goes back to the head of its variable (a FIFO variable's
front, a LIFO variable's top) and the next fetcher gets it.  So a worker
that dies halfway through a task loses no task.

Settle a lease once: C<ack> when done (the value is gone for good),
C<ack_store> to store a result and acknowledge in one step (both or neither
happen: a worker that dies in between never duplicates its result), or
C<release> to give the value back now.  C<renew> extends a lease that needs
longer.  An C<NWS::Lease> that goes out of scope unsettled releases its
value (errors ignored); a copy in a child made with C<fork> does not (the
lease is the parent's).

B<Errors>: settling a lease that is no longer held (it expired, or the
server restarted) dies with C<NWS::Error::LeaseLost>, whose message says
what became of the value; settling one a second time dies with
C<NWS::Error::InvalidArgument>.  A server without leases (an original NWS
server) makes C<lease> die with C<NWS::Error::Unsupported>.

=head1 METHODS

=over 4

=item value

The value, decoded as C<fetch> would return it (once; later calls return
the same value).  A value this program cannot read dies with
C<NWS::Error::Serialisation>, and the lease stays held.

=item id

The server's number for this lease.

=item variable

The name of the variable the value came from.

=item settled

True once the lease was acknowledged or released (or found lost by a
settling call).

=item ack

Done with the value: the server forgets it for good.

=item ack_store($var, $value, portable => undef)

Stores C<$value> into the variable C<$var> of the same workspace and
acknowledges the lease, atomically.  C<$value> is written exactly as
L<NWS::NetWorkSpace/store> writes it (C<< portable => 1 >> for a portable
value; not given: as the workspace's C<portable> says).  If the store is
refused, nothing happens and the lease is still held.

=item release

Gives the value back now: it goes to the head of its variable.

=item renew($seconds)

The lease now ends C<$seconds> from now (fractions allowed; from 0.001 to
about 24 days, else C<NWS::Error::InvalidArgument>).

=back

=head1 SEE ALSO

L<NWS::NetWorkSpace> (C<lease>, C<lease_try>, C<with_lease>), L<NWS::Error>

=cut
