package NWS::Sleigh::TaskError;
# One element of a sleigh job that did not give a value: its task died on
# the worker (the message carries the worker's error and where it was
# raised), the worker could not run its chunk, or the sleigh stopped first.
# It takes the element's place among the results, so one failure never
# hides the other results.
use strict;
use warnings;
use NWS::Tables;
use overload '""' => \&as_string, 'bool' => sub { 1 }, fallback => 1;

our $VERSION = $NWS::Tables::VERSION;

sub new {
    my ($class, %args) = @_;
    return bless { index => $args{index}, rank => $args{rank} // -1, message => $args{message} // '' }, $class;
}

sub index   { $_[0]{index} }
sub rank    { $_[0]{rank} }
sub message { $_[0]{message} }

sub as_string {
    my ($self) = @_;
    my $where = defined $self->{index} ? "task $self->{index}" : 'task';
    $where .= " on worker $self->{rank}" if $self->{rank} >= 0;
    return "$where: $self->{message}";
}

1;

__END__

=head1 NAME

NWS::Sleigh::TaskError - an element of a sleigh job whose task failed

=head1 SYNOPSIS

    my @results = $sleigh->eachElem('Stats::inverse', [1, 0, 2]);
    for my $r (@results) {
        if (ref $r && $r->isa('NWS::Sleigh::TaskError')) {
            warn "element ", $r->index, " failed on worker ", $r->rank, ": ", $r->message, "\n";
        }
    }

=head1 DESCRIPTION

L<NWS::Sleigh> puts one of these in the place of every element whose task
did not return: the task died (the message is the worker's error, with the
file and line where it was raised and the calls that led there), the
worker could not run the task at all (its function could not be found, its
arguments could not be read), or the sleigh was stopped first.  The other
elements' results are unaffected.

It is true in boolean context and stringifies to
C<task INDEX on worker RANK: MESSAGE>.

=head1 METHODS

=over 4

=item new(index => $i, rank => $r, message => $text)

Makes one (the sleigh does).

=item index

The element's position in the job (0-based); for C<eachWorker>, the
worker's rank.

=item rank

The rank of the worker that ran it, or -1 when none did (the sleigh
stopped, or the chunk was lost with its worker).

=item message

What went wrong, as the worker reported it.

=item as_string

C<task INDEX on worker RANK: MESSAGE>, also what it stringifies to.

=back

=cut
