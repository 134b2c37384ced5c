package NWS::Sleigh::Worker;
# A Perl sleigh worker: `perl -MNWS::Sleigh::Worker -e 'NWS::Sleigh::Worker::main()'`,
# started by a sleigh's launcher with the environment contract
# (PerlSleighNwsHost, ...).  The core joins the sleigh, runs the sentinel
# and hands out one call at a time; this resolves each call's name to a
# sub, decodes its arguments, calls it and encodes its value.
use strict;
use warnings;
use File::Spec ();
use Scalar::Util ();
use NWS;
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Portable::Write;
use NWS::Portable::Read;

our $VERSION = $NWS::Tables::VERSION;

# What a task may want to know about where it runs.
our $Rank = -1;          # this worker's rank, 0-based
our $WorkerCount = -1;   # the number of workers in the sleigh
our %Env;                # the contract: host, port, sleigh_ws, user_ws, working_dir, module_path, load

my %SUBS;       # function id -> code reference (resolved once)
my $USER_NWS;

# Runs the worker; never returns (exits 0 when the sleigh is over, 1 when
# the worker cannot start).
sub main {
    $| = 1;
    my $ok = eval { run(); 1 };
    if (!$ok) {
        my $err = $@;
        $err =~ s/\s+\z//;
        print STDERR "NWS::Sleigh::Worker: $err\n";
    }
    exit($ok ? 0 : 1);
}

# The worker's life: the contract, the modules to load, then calls until
# the sleigh is over.
sub run {
    my $env = NWS::Native::call(sub { NWS::Raw::sleigh_worker_env('perl') });
    %Env = map { $_ => $env->{$_} } qw(host port sleigh_ws user_ws working_dir module_path load language);
    unshift @INC, grep { length } split /:/, $Env{module_path};
    # Relative names in Load mean the working directory (the core goes
    # there too, when it joins).
    if (length $Env{working_dir}) { chdir $Env{working_dir} or die "cannot change to $Env{working_dir}: $!\n" }
    # A module that does not load fails every task with its error, rather
    # than the worker: the master hears why, and does not wait for it.
    my $load_error;
    # Entries are ':'-separated; a module's '::' is part of its name.
    for my $item (grep { length } split /(?<!:):(?!:)/, $Env{load}) {
        next if eval { _load($item); 1 };
        $load_error = "loading $item failed: " . _message($@);
        last;
    }
    $ENV{PerlSleighAllowed} = 'FALSE';   # no sleigh inside a worker: its workers would be ours
    # The core's sentinel thread takes no asynchronous signal: a task's
    # %SIG handler runs on Perl's own thread only.
    my $w = NWS::Native::call(sub { NWS::Raw::SleighWorker->new('perl', sprintf('Perl %vd', $^V)) });
    $Rank = $w->rank;
    $WorkerCount = $w->worker_count;
    while (1) {
        my $c = NWS::Native::call(sub { $w->next_call });
        # The fields through their accessors: a field read through the
        # struct's tied hash costs a method lookup by name, per call.
        last unless NWS::Rawc::SleighCall_found_get($c);
        if (defined $load_error) {
            $w->reply_error($load_error);
            next;
        }
        my ($bytes, $error) = _call(NWS::Rawc::SleighCall_function_id_get($c), NWS::Rawc::SleighCall_name_get($c),
                                    NWS::Rawc::SleighCall_args_get($c));
        if (defined $error) { $w->reply_error($error) } else { $w->reply($bytes) }
    }
    undef $w;
    return;
}

# One call: (the value's portable bytes, undef) or (undef, the error).
sub _call {
    my ($id, $name, $args_bytes) = @_;
    my ($bytes, $trace);
    my $ok = eval {
        my $sub = $SUBS{$id} //= _resolve($name);
        my $args = NWS::Portable::Read::decode($args_bytes);
        die "the arguments are not a list\n" unless ref $args eq 'ARRAY';
        my $value = do {
            # The calls that led to a die inside the task, for the master.
            local $SIG{__DIE__} = sub { $trace = _trace() };
            $sub->(@$args);
        };
        $bytes = NWS::Portable::Write::encode($value);
        1;
    };
    return ($bytes, undef) if $ok;
    my $err = $@;
    my $message = _message($err);
    $message .= "\n$trace" if defined $trace && length $trace;
    return (undef, $message);
}

# The code of `A::B::f`: requires A::B unless A::B::f is defined already.
sub _resolve {
    my ($name) = @_;
    my ($module, $sub) = $name =~ /\A(.+)::(\w+)\z/
        or die "'$name' is not a Perl function name (Module::function)\n";
    no strict 'refs';
    if (!defined &{"${module}::${sub}"}) {
        _load($module);
        die "module $module (" . ($INC{ _module_file($module) } // 'already loaded') . ") has no function $sub\n"
            unless defined &{"${module}::${sub}"};
    }
    return \&{"${module}::${sub}"};
}

# Loads a module by name (Module::Name) or a file of Perl code (a path).
sub _load {
    my ($item) = @_;
    if ($item =~ /\A[A-Za-z_]\w*(?:::\w+)*\z/) {
        require(_module_file($item));
    } else {
        my $file = File::Spec->rel2abs($item);
        require $file;
    }
    return;
}

sub _module_file { my ($m) = @_; (my $f = $m) =~ s{::}{/}g; return "$f.pm" }

# An NWS::NetWorkSpace on the sleigh's user workspace (the master's
# userNws), opened on first use.
sub userNws {
    return $USER_NWS //= NWS::NetWorkSpace->new($Env{user_ws}, host => $Env{host}, port => $Env{port},
                                                use_only => 1, create => 0);
}

# An error as one line: its class for an object, "at FILE line N." as
# "(at FILE line N)".
sub _message {
    my ($err) = @_;
    my $class = Scalar::Util::blessed($err);
    my $text = "$err";
    $text =~ s/\s+\z//;
    $text =~ s/ at (\S+) line (\d+)\.?\z/ (at $1 line $2)/;
    return defined $class && index($text, $class) < 0 ? "$class: $text" : $text;
}

# A short backtrace of the task's calls, innermost first: at most eight
# frames, down to the task's own sub (the frames of this worker are left
# out: they are the same for every task).
sub _trace {
    my @lines;
    for (my $i = 2; my @f = caller($i); ++$i) {   # 0: _trace, 1: the __DIE__ handler
        last if $f[1] eq __FILE__;
        push @lines, "  $f[3] called at $f[1] line $f[2]";
        last if @lines >= 8;
    }
    return join "\n", @lines;
}

1;

__END__

=head1 NAME

NWS::Sleigh::Worker - the Perl worker of a sleigh

=head1 SYNOPSIS

    # Started by a sleigh (NWS::Sleigh, or a master in another language):
    perl -MNWS::Sleigh::Worker -e 'NWS::Sleigh::Worker::main()'

    # In a task:
    package Stats;
    sub whoami { "worker $NWS::Sleigh::Worker::Rank of $NWS::Sleigh::Worker::WorkerCount" }
    sub shared { NWS::Sleigh::Worker::userNws()->find('parameters') }
    1;

=head1 DESCRIPTION

A sleigh's launcher starts this program with the sleigh's environment
contract (C<PerlSleighNwsHost>, C<PerlSleighNwsName>, ...).  It puts
C<PerlSleighModulePath> in front of C<@INC>, loads the modules (or files)
of C<PerlSleighLoad>, joins the sleigh, and then runs calls until the
sleigh is over:

=over 4

=item *

a function named C<A::B::f> is C<A::B::f> if it is defined already, else
C<require A::B> first (once per function);

=item *

it is called in B<scalar context> with the element's arguments (portable
values as Perl data: L<NWS/Values>);

=item *

its value goes back as a portable value, so a master of any language can
read it; a value that is not portable (an object, a code reference) is
that element's error;

=item *

if it dies, the element's error is the message, the file and line where
it died and the calls that led there; the worker goes on with the next
element.

=back

If a module of C<PerlSleighLoad> does not load, every task fails with that
error (the worker still joins, so the master is not left waiting).

=head1 VARIABLES AND FUNCTIONS

=over 4

=item $NWS::Sleigh::Worker::Rank, $NWS::Sleigh::Worker::WorkerCount

This worker's rank (0-based) and the number of workers.

=item NWS::Sleigh::Worker::userNws()

An L<NWS::NetWorkSpace> on the sleigh's user workspace.

=item main(), run()

The worker program (C<main> exits); C<run> returns when the sleigh is over.

=back

=cut
