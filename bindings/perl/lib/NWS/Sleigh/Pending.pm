package NWS::Sleigh::Pending;
# One job of a sleigh: feeds its elements (each task's arguments as a
# portable list) and takes its outcomes (portable values, or errors) into
# results by element, or hands them to a callback as they arrive.  A
# blocking call runs it to the end at once; blocking => 0 returns it, and
# check() / wait() take what has arrived.
#
# Outcomes are always taken in arrival order: a result list is filled by
# index, so a callback and a progress line see each result as soon as it
# is in, and a full window never waits on one slow element.
use strict;
use warnings;
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Portable::Write;
use NWS::Portable::Read;
use NWS::Sleigh::TaskError;

our $VERSION = $NWS::Tables::VERSION;

use constant FOREVER => NWS::Native::FOREVER;

# %args: sleigh (keeps the master alive as long as the job), job (the
# facade's SleighJob), what ('eachElem Stats::mean'), by_rank (eachWorker:
# one result per worker, in rank order), callback, progress.
sub _new {
    my ($class, %args) = @_;
    return bless { %args, results => [], ranks => [], received => 0, done => 0 }, $class;
}

# Adds the elements: the arguments of each come from `$next` (undef after
# the last), followed by `$fixed`.  With `$paced` (a load factor), a
# full window is waited out by taking outcomes, so a callback and the
# progress line keep up while the elements go in.
sub _feed {
    my ($self, $next, $fixed, $paced) = @_;
    my $job = $self->{job};
    # Who watches results as they come (a callback, a progress line) gets
    # those that arrived while a slow stream of elements is still read.
    my $watched = $self->{callback} || $self->{progress};
    my $n = 0;
    my $ok = eval {
        while (defined(my $args = $next->())) {
            my $bytes = NWS::Portable::Write::encode_list([@$args, @$fixed]);
            if (!$paced) {
                _blocking('eachElem', sub { $job->add($bytes, FOREVER) });
                $self->_drain if $watched && ++$n % 64 == 0;
                next;
            }
            # Without room the core refuses at once, and only at a chunk's
            # start: nothing of this job is held back then, so outcomes
            # can be read while the window is full.
            until (_try_add($job, $bytes)) {
                next if $self->_take(FOREVER);
                _blocking('eachElem', sub { $job->add($bytes, FOREVER) });   # nothing in flight: room
                last;
            }
        }
        1;
    };
    my $err = $@;
    # The elements given so far run; their outcomes stay readable.
    eval { NWS::Native::call(sub { $job->close }) };
    $self->{closed} = 1;
    die $err unless $ok;
    return;
}

sub _try_add {
    my ($job, $bytes) = @_;
    my $ok = eval { _blocking('eachElem', sub { $job->add($bytes, 0) }); 1 };
    return 1 if $ok;
    my $err = $@;
    die $err unless Scalar::Util::blessed($err) && $err->isa('NWS::Error::Timeout');
    return 0;
}

# Takes the next outcome (waiting up to $timeout seconds) and whatever else
# has arrived.  False when none came: the job is over, or the wait passed.
sub _take {
    my ($self, $timeout) = @_;
    return 0 if $self->{done};
    my $job = $self->{job};
    my $o = eval { _blocking($self->{what}, sub { $job->next_outcome($timeout) }) };
    if (!$o) {
        my $err = $@;
        return 0 if Scalar::Util::blessed($err) && $err->isa('NWS::Error::Timeout');
        die $err;
    }
    if (!NWS::Rawc::SleighOutcome_found_get($o)) {
        # Before close() this only says that nothing is in flight.
        return 0 unless $self->{closed};
        $self->{done} = 1;
        $self->{progress}->finish if $self->{progress};
        return 0;
    }
    $self->_one($o);
    $self->_drain;
    return 1;
}

# Takes the outcomes that have arrived, without waiting (and without
# sending elements still gathering into a chunk).
sub _drain {
    my ($self) = @_;
    my $job = $self->{job};
    $self->_one($_) for NWS::Server::_items(NWS::Native::call(sub { $job->drain }));
    return;
}

# One outcome into its place.  Its fields are read through their
# accessors: through the struct's tied hash each read costs a method
# lookup by name.
sub _one {
    my ($self, $o) = @_;
    my ($index, $rank) = (NWS::Rawc::SleighOutcome_index_get($o), NWS::Rawc::SleighOutcome_rank_get($o));
    $index = $rank if $self->{by_rank};
    my $value;
    if (NWS::Rawc::SleighOutcome_ok_get($o)) {
        my $bytes = NWS::Rawc::SleighOutcome_value_get($o);
        my $ok = eval { $value = NWS::Portable::Read::decode($bytes); 1 };
        $value = NWS::Sleigh::TaskError->new(index => $index, rank => $rank,
                                             message => 'its value cannot be read here: ' . NWS::Error->_from_native($@)->message)
            unless $ok;
    } else {
        my $message = NWS::Rawc::SleighOutcome_error_get($o);
        utf8::decode($message);   # the core's text is UTF-8 (left as bytes if it is not)
        $value = NWS::Sleigh::TaskError->new(index => $index, rank => $rank, message => $message);
    }
    ++$self->{received};
    if ($self->{callback}) {
        $self->{callback}->($index, $value, $rank);
    } elsif ($self->{by_rank}) {
        push @{ $self->{by_worker} }, [$rank, $value];
    } else {
        $self->{results}[$index] = $value;
        $self->{ranks}[$index] = $rank;
    }
    $self->{progress}->add if $self->{progress};
    return;
}

# A blocking native call: the core's error as an NWS::Error, and Ctrl-C
# (which the call's own SIGINT handler caught) as NWS::Error::Cancelled,
# even if the call returned.
sub _blocking {
    my ($what, $code) = @_;
    my @r;
    my $ok = eval { @r = $code->(); 1 };
    my $err = $@;
    my $sigint = NWS::Raw::take_interrupt();
    die NWS::Error->_from_native($err) unless $ok;
    die NWS::Error::Cancelled->new(message => "$what was interrupted (SIGINT)") if $sigint;
    return $r[0];
}

# The number of results still to come; takes what has arrived, never waits.
sub check {
    my ($self) = @_;
    1 while $self->_take(0);
    return $self->remaining;
}

sub remaining {
    my ($self) = @_;
    return 0 if $self->{done};
    return NWS::Native::call(sub { $self->{job}->remaining });
}

# Waits for every result; returns them as a blocking call would have: the
# list (an array reference in scalar context) in element order (eachWorker:
# rank order), or with a callback the number of results it was given.
sub wait {
    my ($self) = @_;
    1 while $self->_take(FOREVER);
    return $self->{received} if $self->{callback};
    if ($self->{by_rank}) {
        # Rank order; an outcome no worker gave (its worker died) last.
        my @sorted = sort { ($a->[0] < 0) <=> ($b->[0] < 0) || $a->[0] <=> $b->[0] } @{ $self->{by_worker} || [] };
        $self->{results} = [map { $_->[1] } @sorted];
        $self->{ranks} = [map { $_->[0] } @sorted];
    }
    my @r = @{ $self->{results} };
    return wantarray ? @r : \@r;
}

# The ranks of the workers that ran each element (-1: none), in element order.
sub ranks { my @r = @{ $_[0]{ranks} }; wantarray ? @r : \@r }

sub DESTROY {
    my ($self) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';
    local ($@, $!, $?);
    $self->{progress}->finish if $self->{progress};
}

1;

__END__

=head1 NAME

NWS::Sleigh::Pending - a sleigh job running in the background

=head1 SYNOPSIS

    my $p = $sleigh->eachElem('Stats::square', [1 .. 100], { blocking => 0 });
    while ((my $left = $p->check) > 0) {
        print "$left to go\n";
        do_something_else();
    }
    my @squares = $p->wait;

=head1 DESCRIPTION

What C<eachElem> and C<eachWorker> of L<NWS::Sleigh> return with
C<< blocking => 0 >>: every element has been sent, and the workers are
running them.

=head1 METHODS

=over 4

=item check

The number of results that have not arrived yet; never waits (results
that have arrived are taken, and a callback is called for them).

=item remaining

The number of results not taken yet, as of the last C<check> or C<wait>
(never waits, takes nothing).

=item wait

Waits for every result and returns them as the blocking call would have:
the results in element order (C<eachWorker>: in rank order), as a list, or
an array reference in scalar context, a task that failed giving an
L<NWS::Sleigh::TaskError> in its place; with a C<callback>, the number of
results it was given.

=item ranks

The rank of the worker that ran each element, in element order (-1 where
none did), once their results are in (not with a callback, which gets
the rank itself).

=back

=cut
