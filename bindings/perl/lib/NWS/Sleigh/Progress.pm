package NWS::Sleigh::Progress;
# A job's progress on STDERR: "LABEL: DONE/TOTAL (PERCENT%)".  On a
# terminal one line is rewritten in place (at most ten times a second, so
# a fast job is not slowed by its display); otherwise, as in a log file, a
# line at most once a second.  The last count is always shown.
use strict;
use warnings;
use IO::Handle ();
use Time::HiRes ();
use NWS::Tables;

our $VERSION = $NWS::Tables::VERSION;

sub new {
    my ($class, %args) = @_;
    my $fh = $args{fh} // \*STDERR;
    return bless { fh => $fh, label => $args{label}, total => $args{total}, done => 0, shown => -1,
                   at => 0, tty => -t $fh ? 1 : 0 }, $class;
}

# One more result (or `$n` more).
sub add {
    my ($self, $n) = @_;
    $self->{done} += $n // 1;
    my $now = Time::HiRes::time();
    $self->_show($now) if $now - $self->{at} >= ($self->{tty} ? 0.1 : 1);
    return;
}

sub set_total { $_[0]{total} = $_[1]; return }

# The final count (a job that ends, or stops being read).
sub finish {
    my ($self) = @_;
    return if $self->{finished}++;
    $self->_show(Time::HiRes::time()) if $self->{shown} != $self->{done};
    print { $self->{fh} } "\n" if $self->{tty} && $self->{shown} >= 0;
    return;
}

sub _show {
    my ($self, $now) = @_;
    my ($done, $total) = @$self{qw(done total)};
    my $line = "$self->{label}: $done/" . ($total // '?');
    $line .= sprintf(' (%d%%)', 100 * $done / $total) if $total;
    if ($self->{tty}) { print { $self->{fh} } "\r$line\e[K" } else { print { $self->{fh} } "$line\n" }
    $self->{fh}->flush;
    @$self{qw(shown at)} = ($done, $now);
    return;
}

1;

__END__

=head1 NAME

NWS::Sleigh::Progress - the progress line of a sleigh job (internal)

=head1 DESCRIPTION

Internal to the NWS distribution: L<NWS::Sleigh>'s C<progress> option.

=cut
