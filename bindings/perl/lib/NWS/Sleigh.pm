package NWS::Sleigh;
# A pool of worker processes fed through one NWS workspace, over the core's
# sleigh (docs/sleigh-design.md): tasks are functions named
# Module::function that the workers load; arguments and results travel as
# portable values, so the workers may be of another language.  Launching,
# chunking, order, fault tolerance and stop are the core's; this is the
# Perl face.
use strict;
use warnings;
use Scalar::Util ();
use NWS;
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Server;
use NWS::NetWorkSpace;
use NWS::Portable::Write;
use NWS::Sleigh::Options;
use NWS::Sleigh::Elements;
use NWS::Sleigh::Pending;
use NWS::Sleigh::Progress;
use NWS::Sleigh::TaskError;

our $VERSION = $NWS::Tables::VERSION;

use constant FOREVER => NWS::Native::FOREVER;

# The sleighs this process started and has not stopped (weak references):
# stopped at the latest when the program ends, while the native objects
# can still be reached.
my %LIVE;

sub new {
    my ($class, @args) = @_;
    my $what = "$class->new";
    # The original's rule: a worker's tasks start no sleigh of their own
    # (each would start workers of its own, and so on).
    NWS::Error::InvalidArgument->throw(message => "$what: a sleigh cannot be created inside a sleigh worker")
        if ($ENV{PerlSleighAllowed} // '') eq 'FALSE';
    my ($f, $o) = NWS::Sleigh::Options::build($what, @args);
    # The core starts its threads with asynchronous signals blocked, so a
    # %SIG handler only ever runs on Perl's own thread.
    my $raw = NWS::Sleigh::Pending::_blocking($what, sub { NWS::Raw::SleighMaster->new($f) });
    my $self = bless { raw => $raw, options => $o, pid => $$ }, $class;
    Scalar::Util::weaken($LIVE{ Scalar::Util::refaddr($self) } = $self);
    return $self;
}

sub _m {
    my ($self, $what) = @_;
    NWS::Error::InvalidArgument->throw(message => "NWS::Sleigh: $what: this sleigh has been stopped")
        if !$self->{raw} || NWS::Native::call(sub { $self->{raw}->stopped });
    return $self->{raw};
}

# ---- jobs ----

my @EACH_ELEM_OPTIONS = qw(fixedArgs by blocking loadFactor chunkSize callback progress);

sub eachElem {
    my ($self, $name, $elements, $opt) = @_;
    my $what = 'eachElem' . (defined $name ? " $name" : '');
    my %o = NWS::Native::options($what, \@EACH_ELEM_OPTIONS, %{ _hash($what, $opt) });
    my $m = $self->_m($what);
    my ($next, $total) = NWS::Sleigh::Elements::iterator($what, $elements, $o{by});
    my $fixed = $o{fixedArgs} // [];
    NWS::Error::InvalidArgument->throw(message => "$what: fixedArgs must be an array reference") unless ref $fixed eq 'ARRAY';
    NWS::Error::InvalidArgument->throw(message => "$what: callback must be a code reference")
        if defined $o{callback} && ref $o{callback} ne 'CODE';
    my $blocking = $o{blocking} // 1;
    my $load_factor = NWS::Native::number($o{loadFactor});
    NWS::Error::InvalidArgument->throw(message => "$what: loadFactor must be a number above 0")
        if defined $load_factor && !($load_factor > 0);
    my $chunk = NWS::Native::number($o{chunkSize}) // 0;
    # A non-blocking job sends every element at once (its window would
    # need someone to wait for it).
    my $paced = $blocking && defined $load_factor;
    my $n = NWS::Native::name($name);
    my $job = NWS::Native::call(sub { $m->each_elem($n, $total // -1, $chunk, $paced ? $load_factor : 0, 1) });
    my $p = NWS::Sleigh::Pending->_new(sleigh => $self, job => $job, what => $what, callback => $o{callback},
                                       progress => $self->_progress(\%o, $total, $what));
    $p->_feed($next, $fixed, $paced);
    return $p unless $blocking;
    return $p->wait;
}

my @EACH_WORKER_OPTIONS = qw(blocking callback timeout);

# eachWorker([\%options,] NAME, ARGS...): the options come first, so that
# any argument, a hash reference too, goes to the function.
sub eachWorker {
    my ($self, @args) = @_;
    my $opt = ref $args[0] eq 'HASH' ? shift @args : {};
    my $name = shift @args;
    my $what = 'eachWorker' . (defined $name ? " $name" : '');
    my %o = NWS::Native::options($what, \@EACH_WORKER_OPTIONS, %$opt);
    my $m = $self->_m($what);
    NWS::Error::InvalidArgument->throw(message => "$what: callback must be a code reference")
        if defined $o{callback} && ref $o{callback} ne 'CODE';
    my $bytes = NWS::Portable::Write::encode_list(\@args);
    my $timeout = NWS::Native::timeout($o{timeout} // $self->{options}{joinTimeout});
    my $n = NWS::Native::name($name);
    my $job = NWS::Sleigh::Pending::_blocking($what, sub { $m->each_worker($n, $bytes, $timeout) });
    my $p = NWS::Sleigh::Pending->_new(sleigh => $self, job => $job, what => $what, by_rank => 1, closed => 1,
                                       callback => $o{callback});
    return $p unless $o{blocking} // 1;
    return $p->wait;
}

sub _hash {
    my ($what, $opt) = @_;
    return {} unless defined $opt;
    NWS::Error::InvalidArgument->throw(message => "$what: the options must be a hash reference") unless ref $opt eq 'HASH';
    return $opt;
}

sub _progress {
    my ($self, $o, $total, $what) = @_;
    return undef unless $o->{progress} // $self->{options}{progress};
    return NWS::Sleigh::Progress->new(label => $what, total => $total);
}

# ---- the pool ----

# (workers, closed) in list context, workers in scalar context; waits up to
# `$timeout` seconds for the group to close, and with `$close_group`
# closes it then with the workers that joined.
sub status {
    my ($self, $close_group, $timeout) = @_;
    my $m = $self->_m('status');
    my $t = NWS::Native::number($timeout // 0);
    my $st = NWS::Sleigh::Pending::_blocking('status', sub { $m->status($close_group ? 1 : 0, $t) });
    my ($workers, $closed) = ($st->{workers}, $st->{closed} ? 1 : 0);
    return wantarray ? ($workers, $closed) : $workers;
}

# One hash reference per joined worker, in rank order: rank, host, pid,
# id, name, os, language, nws, logfile.
sub workerInfo {
    my ($self) = @_;
    my $m = $self->_m('workerInfo');
    my @info;
    for my $record (NWS::Server::_items(NWS::Native::call(sub { $m->worker_info }))) {
        my %w = map { split /=/, $_, 2 } grep { /=/ } split /\n/, $record;
        $w{$_} += 0 for grep { defined $w{$_} && $w{$_} =~ /\A-?\d+\z/ } qw(rank pid id);
        push @info, \%w;
    }
    my @sorted = sort { ($a->{rank} // 0) <=> ($b->{rank} // 0) } @info;
    return @sorted;
}

sub wsName       { my ($s) = @_; my $m = $s->_m('wsName'); NWS::Native::call(sub { $m->ws_name }) }
sub userWsName   { my ($s) = @_; my $m = $s->_m('userWsName'); NWS::Native::call(sub { $m->user_ws_name }) }
sub nwsHost      { my ($s) = @_; my $m = $s->_m('nwsHost'); NWS::Native::call(sub { $m->host }) }
sub nwsPort      { my ($s) = @_; my $m = $s->_m('nwsPort'); NWS::Native::call(sub { $m->port }) }
sub language     { my ($s) = @_; my $m = $s->_m('language'); NWS::Native::call(sub { $m->language }) }
sub launched     { my ($s) = @_; my $m = $s->_m('launched'); NWS::Native::call(sub { $m->launched }) }
sub workersAlive { my ($s) = @_; my $m = $s->_m('workersAlive'); NWS::Native::call(sub { $m->workers_alive }) }
sub manualCommand { my ($s) = @_; my $m = $s->_m('manualCommand'); NWS::Native::call(sub { $m->manual_command }) }
sub stopped      { my ($s) = @_; return !$s->{raw} || NWS::Native::call(sub { $s->{raw}->stopped }) ? 1 : 0 }

# Workspaces on the sleigh's server: the sleigh's own (its monitoring
# variables, logError) and the user workspace (workers see it as
# NWS::Sleigh::Worker::userNws).
sub nws     { my ($s) = @_; $s->{nws}      //= $s->_workspace($s->wsName) }
sub userNws { my ($s) = @_; $s->{user_nws} //= $s->_workspace($s->userWsName) }

sub _workspace {
    my ($self, $name) = @_;
    my $o = $self->{options};
    my %security = map { defined $o->{$_} ? ($_ => $o->{$_}) : () } qw(tls tls_ca tls_cert tls_key tls_server_name password token);
    $security{user} = $o->{user} if defined $o->{password} && defined $o->{user};
    return NWS::NetWorkSpace->new($name, host => $self->nwsHost, port => $self->nwsPort, use_only => 1, create => 0,
                                  %security);
}

# Stops the workers (each one's sentinel ends it), deletes the sleigh's
# workspaces and waits for the processes it started.  Idempotent.
sub stop {
    my ($self) = @_;
    return unless $self->{raw};
    return $self->_release unless $self->{pid} == $$;   # a forked child's copy: not ours to stop
    for my $ws (delete @$self{qw(nws user_nws)}) { eval { $ws->close } if $ws }
    NWS::Native::call(sub { $self->{raw}->stop });
    return;
}

sub _release {
    my ($self) = @_;
    delete $LIVE{ Scalar::Util::refaddr($self) };
    my $raw = delete $self->{raw} or return;
    if ($self->{pid} == $$) {
        eval { $raw->stop };
    } else {
        $raw->DISOWN;
    }
    return;
}

sub DESTROY {
    my ($self) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';   # END below did it
    local ($@, $!, $?);
    $self->_release;
}

END {
    local ($@, $!, $?);
    $_->_release for grep { defined } values %LIVE;
}

1;

__END__

=head1 NAME

NWS::Sleigh - run Perl (or Python, R, Java, Ruby) functions on a pool of workers

=head1 SYNOPSIS

    use NWS::Sleigh;

    # Stats.pm, somewhere in @INC:  package Stats; sub square { $_[0] ** 2 } 1;
    my $s = NWS::Sleigh->new(workerCount => 2);       # two local Perl workers
    my @squares = $s->eachElem('Stats::square', [1 .. 10]);
    my $sums    = $s->eachElem('List::Util::sum', [[1, 2], [3, 4]], { by => 'arrays' });
    $s->eachElem('Stats::square', [1 .. 1000], {
        callback => sub { my ($index, $value, $rank) = @_; print "$index: $value\n" },
        loadFactor => 4, progress => 1,
    });
    my $job = $s->eachElem('Stats::square', [1 .. 100], { blocking => 0 });
    my @later = $job->wait;
    my @pids  = $s->eachWorker('Stats::pid');         # once on every worker, in rank order
    my ($workers, $closed) = $s->status;
    $s->stop;

    # Workers of another language: R's fit_model over rows of a table.
    my $r = NWS::Sleigh->new(language => 'r', load => ['/path/to/models.R'], workerCount => 2);
    my @fits = $r->eachElem('fit_model', \@rows);

=head1 DESCRIPTION

A sleigh starts worker processes (here, over ssh, under SLURM, or by
hand), all coordinated through one workspace on an NWS server, and runs a
function on them once per element of a list (C<eachElem>) or once on
every worker (C<eachWorker>).  Work is cut into chunks and paced by the
core; a worker that dies has its unfinished chunks run again elsewhere, so
every element gives exactly one result.

Tasks are functions I<named> C<Module::function>: a Perl worker loads
C<Module> (C<require>) unless the function is defined already, and calls
it in scalar context with the element's arguments.  Arguments and results
travel as portable values (L<NWS/Values>): undef, numbers, strings,
booleans, L<NWS::Timestamp>, L<NWS::Table>, and array and hash references
of them.  So the workers can be of any of the project's languages
(C<language>), each naming functions its own way: Python
C<module:function>, R C<fun> or C<pkg::fun>, Java C<package.Class#method>,
Perl C<Module::function>, Ruby C<Module.method>.

A worker that is a Perl program sees, while its tasks run,
C<$NWS::Sleigh::Worker::Rank> and C<$NWS::Sleigh::Worker::WorkerCount>
(see L<NWS::Sleigh::Worker>).

=head1 CONSTRUCTOR

=head2 new(%options)

Starts the workers and returns the sleigh (not inside a sleigh's Perl
worker, which sets C<$ENV{PerlSleighAllowed}> to C<FALSE>, as the
original workers did); it stops when the object goes,
at the latest when the program ends (in the process that made it: a
forked child leaves it alone).  Without C<nwsHost>/C<nwsPort> (and
without C<$PerlSleighNwsHost>, C<$NWS_HOST>) a local sleigh uses the
server on localhost:8765, or, if none answers, starts one inside this
program.

=head1 OPTIONS

=over 4

=item launch

How workers start: C<local> (default; C<workerCount> child processes,
one per core unless given), C<ssh> (one per C<nodeList> entry, through
C<ssh -n -x [-l user] node>), C<sshforward> (ssh with a reverse tunnel:
workers reach the server through it at C<nwsHostRemote>:C<nwsPortRemote>,
default localhost and the server's port), C<command> (C<commandPrefix>
words before the worker's command line, C<{node}> replaced by each
C<nodeList> entry), C<slurm> (C<srun> steps inside an allocation,
C<sbatch> outside one; C<slurmArgs> adds options), C<manual> (also
C<web>: a person runs C<manualCommand>, stored in the sleigh workspace's
C<runMe>, then deletes C<deleteMeWhenAllWorkersStarted>).

=item workerCount, nodeList, user, commandPrefix, slurmArgs

How many workers, on which nodes, the ssh login, the command prefix, and
extra SLURM options (array references of strings).

=item language

The workers' language: C<perl> (default), C<python>, C<r>, C<java> or
C<ruby>.  Perl workers run this interpreter (C<perl> names another) with
this program's library path (C<-I> for every C<@INC> directory beyond the
interpreter's own); the others run their language's worker program
(C<$NWS_SLEIGH_PYTHON>, C<$NWS_SLEIGH_RSCRIPT>, C<$NWS_SLEIGH_JAVA> with
C<$NWS_SLEIGH_CLASSPATH>, C<$NWS_SLEIGH_RUBY>), unless C<workerProgram>
gives the whole command.

=item load

What each worker loads before its first task, an array reference (or a
':'-separated string): Perl module names or files, Python modules, R
packages or C<.R> files to source, Ruby files or features, Java jars.

=item modulePath

The workers' extra library path (Perl C<@INC>, Python C<sys.path>, Ruby
C<$LOAD_PATH>, R C<.libPaths>), an array reference or a ':'-separated
string.

=item nwsHost, nwsPort, nwsHostRemote, nwsPortRemote

The server, and where workers connect if not there.

=item workingDir, logDir

The workers' directory (default: this one), and a directory for their
output files (C<< <sleigh workspace>_<id>.txt >>).

=item tls, tls_ca, tls_cert, tls_key, tls_server_name, password, token

TLS and credentials (docs/security.md), as L<NWS::Server> takes them; with
C<password>, C<user> is the NWS user too.  The workers get them in their
environment (ssh launches on the command's standard input, never on a
command line).

=item progress, joinTimeout, stopTimeout, inboxDepth, wsNameTemplate, userWsNameTemplate, manualCommand

A progress line on STDERR for every job (each job may say otherwise), how
long C<eachWorker> waits for the group (default: for ever), how long
C<stop> waits for workers to go (10 s; then they are killed), chunks
queued per worker (2), the workspaces' name templates, and the manual
launch's command (default: this interpreter running a Perl worker with the
contract's variables).

=back

=head1 METHODS

=head2 eachElem($name, \@elements, \%options)

Runs the function C<$name> once per element.  Task I<i> gets the
arguments of element I<i> (below) followed by C<fixedArgs>.  Returns the
results in element order, as a list (an array reference in scalar
context); a task that failed gives an L<NWS::Sleigh::TaskError> in its
place.  Options:

=over 4

=item by

How elements become arguments: C<element> (default; each element is the
first argument), C<arrays> (each element is an array reference of
arguments), C<columns> (the elements are array references of equal
length, one per argument, as the original eachElem's list of argument
vectors).  The elements may also be a code reference, called until it
returns an empty list (a stream of unknown length).

=item fixedArgs

An array reference of arguments that follow each element's.

=item callback

C<< sub { my ($index, $value, $rank) = @_; ... } >>, called for each
result as it arrives (in arrival order; C<$rank> is the worker's); the
call then returns the number of results.

=item blocking

With 0, returns at once an L<NWS::Sleigh::Pending> (C<check>, C<wait>);
every element is sent then.

=item loadFactor

At most this many chunks per worker in flight (at least one); elements
wait for room, while results (and the callback) are taken.

=item chunkSize

Elements per task message (default: the core's rule, four chunks per
worker for a known number of elements, growing chunks for a stream).

=item progress

A progress line on STDERR (C<eachElem NAME: done/total>).

=back

=head2 eachWorker([\%options,] $name, @args)

Runs C<$name(@args)> once on every worker, each waiting until all are
done; returns the results in rank order (as C<eachElem> does).  Options,
before the name: C<timeout> (seconds to wait for the group to close;
default C<joinTimeout>), C<blocking>, C<callback> (given the rank as the
index).

=head2 status([$close_group, $timeout])

C<($workers, $closed)> (the number in scalar context); waits up to
C<$timeout> seconds for the group to close, and with C<$close_group>
closes it then with the workers that joined.

=head2 workerInfo

A hash reference per joined worker, in rank order: C<rank>, C<host>,
C<pid>, C<id>, C<name>, C<os>, C<language>, C<nws>, C<logfile>.

=head2 stop, stopped

C<stop> stops the workers, deletes the sleigh's workspaces and waits for
the processes it started (killing any left after C<stopTimeout>); it is
also done when the object goes and when the program ends.  C<stopped>
says whether it was.

=head2 wsName, userWsName, nwsHost, nwsPort, language, launched, workersAlive, manualCommand

The sleigh workspace's and the user workspace's names, the server
workers connect to, the workers' language, the number of workers
launched and alive, and the manual launch's command.

=head2 nws, userNws

L<NWS::NetWorkSpace> objects on the sleigh workspace (its monitoring
variables, C<logError>) and on the user workspace (for data shared with
the workers).

=head1 ERRORS

Bad options and names die with L<NWS::Error::InvalidArgument> before
anything starts (a name not of the language's form says which form);
Ctrl-C during a wait with L<NWS::Error::Cancelled>.  A task's own error
never dies in the master: it is that element's
L<NWS::Sleigh::TaskError>.

=head1 SEE ALSO

L<NWS::Sleigh::Worker>, L<NWS::Sleigh::Pending>,
L<NWS::Sleigh::TaskError>, L<NWS>.

=cut
