package NWS::Sleigh::Options;
# NWS::Sleigh->new's options, checked and turned into the facade's
# SleighOptions.  The rules behind them (which server, how many workers,
# the launchers, the names' forms) are the core's; this only says what a
# Perl master adds: its own interpreter and library path for Perl workers.
use strict;
use warnings;
use Config ();
use Cwd ();
use File::Spec ();
use Scalar::Util ();
use NWS::Tables;
use NWS::Error;
use NWS::Native;
use NWS::Server;

our $VERSION = $NWS::Tables::VERSION;

# The options and their defaults (undef: the core's default).
our %DEFAULTS = (
    nwsHost            => undef,      # else $PerlSleighNwsHost, $NWS_HOST, else localhost or a server of its own
    nwsPort            => undef,
    nwsHostRemote      => undef,      # where workers connect, if not where the master does
    nwsPortRemote      => undef,
    launch             => 'local',    # local ssh sshforward command slurm manual (web: manual)
    workerCount        => undef,      # local: one per core; ssh/command: one per node; slurm: $SLURM_NTASKS
    nodeList           => undef,
    user               => undef,      # the ssh login; with password, the NWS user too
    commandPrefix      => undef,      # launch 'command': words before the worker's command, "{node}" replaced
    language           => 'perl',     # the workers' language
    load               => undef,      # what workers load first: modules (Perl), files or packages
    modulePath         => undef,      # the workers' extra library path
    perl               => undef,      # Perl workers' interpreter (default: this one, $^X)
    workerProgram      => undef,      # the whole worker command, instead of the language's
    workingDir         => undef,      # default: the master's current directory
    logDir             => undef,      # workers' output files (<ws>_<id>.txt) go there
    wsNameTemplate     => 'sleigh_ride_%04d',
    userWsNameTemplate => 'sleigh_user_%04d',
    slurmArgs          => undef,      # extra srun / sbatch options
    manualCommand      => undef,      # launch 'manual': the command a person runs ({ws} {userws} {host} {port})
    inboxDepth         => 2,
    stopTimeout        => 10,         # seconds stop waits for the workers to go
    joinTimeout        => undef,      # seconds eachWorker waits for the group (undef: for ever)
    progress           => 0,          # a progress line on STDERR for every job
    # TLS and credentials, as NWS::Server takes them (docs/security.md).
    map { $_ => undef } qw(tls tls_ca tls_cert tls_key tls_server_name password token),
);

my %LAUNCH = map { $_ => 1 } qw(local ssh sshforward command slurm manual);

# (SleighOptions, the options with their defaults) for new(@pairs).
sub build {
    my ($what, @pairs) = @_;
    my %o = NWS::Native::options($what, [sort keys %DEFAULTS], @pairs);
    %o = (%DEFAULTS, map { $_ => $o{$_} } grep { defined $o{$_} } keys %o);
    $o{launch} = 'manual' if $o{launch} eq 'web';   # the original's name
    NWS::Error::InvalidArgument->throw(
        message => "$what: launch must be one of " . join(', ', sort keys %LAUNCH) . ", not '$o{launch}'")
        unless $LAUNCH{ $o{launch} };
    my $language = NWS::Native::call(sub { NWS::Raw::sleigh_language_id("$o{language}") });
    $o{language} = $language;

    my $f = NWS::Raw::SleighOptions->new;
    $f->{host} = "$o{nwsHost}" if defined $o{nwsHost};
    _port($f, 'port', $o{nwsPort}, "$what: nwsPort");
    _port($f, 'remote_port', $o{nwsPortRemote}, "$what: nwsPortRemote");
    $f->{remote_host} = "$o{nwsHostRemote}" if defined $o{nwsHostRemote};
    my $security = _security($what, \%o);
    if ($security) { $f->{security} = $security; $f->{has_security} = 1 }
    $f->{launch} = $o{launch};
    $f->{worker_count} = _count($what, 'workerCount', $o{workerCount}) // 0;
    $f->{node_list} = _strings(_words($what, 'nodeList', $o{nodeList}));
    $f->{user} = "$o{user}" if defined $o{user};
    $f->{command_prefix} = _strings(_words($what, 'commandPrefix', $o{commandPrefix}));
    $f->{language} = $language;
    my @program = worker_program($what, \%o);
    $f->{worker_program} = _strings(@program);
    $f->{load} = _path($what, 'load', $o{load});
    $f->{module_path} = _path($what, 'modulePath', $o{modulePath});
    $f->{working_dir} = defined $o{workingDir} ? "$o{workingDir}" : Cwd::getcwd();
    $f->{log_dir} = "$o{logDir}" if defined $o{logDir};
    $f->{ws_template} = "$o{wsNameTemplate}";
    $f->{user_ws_template} = "$o{userWsNameTemplate}";
    $f->{slurm_args} = _strings(_words($what, 'slurmArgs', $o{slurmArgs}));
    $f->{manual_command} = defined $o{manualCommand} ? "$o{manualCommand}" : manual_command(\@program);
    $f->{inbox_depth} = _count($what, 'inboxDepth', $o{inboxDepth});
    $f->{stop_wait} = _seconds($what, 'stopTimeout', $o{stopTimeout});
    _seconds($what, 'joinTimeout', $o{joinTimeout}) if defined $o{joinTimeout};
    return ($f, \%o);
}

# The worker command: workerProgram if given; for Perl workers this
# interpreter (or `perl`) with this program's library path, so that workers
# load the NWS and the modules the master loads; else empty (the core runs
# the language's default, from $NWS_SLEIGH_PYTHON, $NWS_SLEIGH_RSCRIPT, ...).
sub worker_program {
    my ($what, $o) = @_;
    return _words($what, 'workerProgram', $o->{workerProgram}) if defined $o->{workerProgram};
    return () unless $o->{language} eq 'perl';
    return (defined $o->{perl} ? "$o->{perl}" : $^X, map({ "-I$_" } library_path()),
            '-MNWS::Sleigh::Worker', '-e', 'NWS::Sleigh::Worker::main()');
}

# This program's @INC directories beyond the interpreter's own (this
# distribution's, PERL5LIB's, -I's, `use lib`'s), absolute, first first.
sub library_path {
    my %standard = map { $_ => 1 } grep { defined && length }
        (map { $Config::Config{$_} } qw(privlibexp archlibexp sitelibexp sitearchexp vendorlibexp vendorarchexp)),
        split / /, $Config::Config{otherlibdirs} // '';
    my (%seen, @dirs);
    for my $dir (@INC) {
        next if ref $dir || !-d $dir;
        my $abs = Cwd::abs_path($dir) // next;
        next if $standard{$dir} || $standard{$abs} || $seen{$abs}++;
        push @dirs, $abs;
    }
    return @dirs;
}

# The shell line a person runs for a manual launch: the worker command with
# the contract's variables ({ws} ... filled in by the core).
sub manual_command {
    my ($program) = @_;
    return '' unless @$program;
    my $p = 'PerlSleigh';
    return "env ${p}NwsName={ws} ${p}UserNwsName={userws} ${p}NwsHost={host} ${p}NwsPort={port} "
         . "${p}WorkerCount=-1 ${p}Language=perl " . join(' ', map { NWS::Raw::sleigh_shell_quote($_) } @$program);
}

sub _security {
    my ($what, $o) = @_;
    my %s = map { defined $o->{$_} ? ($_ => $o->{$_}) : () } qw(tls tls_ca tls_cert tls_key tls_server_name password token);
    # `user` is the ssh login (as the original's); with a password it names
    # the NWS user as well, as for NWS::Server.
    $s{user} = $o->{user} if defined $o->{password} && defined $o->{user};
    return NWS::Server::_security($what, \%s);
}

sub _port {
    my ($f, $field, $v, $what) = @_;
    return unless defined $v;
    $f->{$field} = NWS::Native::number($v);
    $f->{"has_$field"} = 1;
    return;
}

sub _count {
    my ($what, $name, $v) = @_;
    return undef unless defined $v;
    NWS::Error::InvalidArgument->throw(message => "$what: $name must be a whole number of 0 or more, not '$v'")
        unless !ref $v && $v =~ /\A\d+\z/ && $v < 2**31;
    return 0 + $v;
}

sub _seconds {
    my ($what, $name, $v) = @_;
    my $n = NWS::Native::number($v);
    NWS::Error::InvalidArgument->throw(message => "$what: $name must be a number of seconds, 0 or more")
        unless defined $n && $n >= 0;
    return $n;
}

# The facade's vector of strings.  (A plain array reference is not taken
# for a struct's member: SWIG declares the vector's typemaps after the
# structs.)
sub _strings {
    my $v = NWS::Raw::StringVector->new;
    $v->push($_) for @_;
    return $v;
}

# A list option: an array reference of strings (or a single string).
sub _words {
    my ($what, $name, $v) = @_;
    return () unless defined $v;
    return ("$v") unless ref $v;
    NWS::Error::InvalidArgument->throw(message => "$what: $name must be an array reference of strings")
        unless ref $v eq 'ARRAY' && !grep { !defined || (ref && !Scalar::Util::blessed($_)) } @$v;
    return map { "$_" } @$v;
}

# A path-like option: an array reference, or a string already ':'-separated.
# A Perl module's '::' is no separator (Perl workers split at lone colons).
sub _path {
    my ($what, $name, $v) = @_;
    my @parts = _words($what, $name, $v);
    NWS::Error::InvalidArgument->throw(message => "$what: $name entries cannot contain ':' ('$_')")
        for grep { /(?<!:):(?!:)/ } (ref $v ? @parts : ());
    return join ':', @parts;
}

1;

__END__

=head1 NAME

NWS::Sleigh::Options - NWS::Sleigh's options (internal)

=head1 DESCRIPTION

Internal to the NWS distribution: see L<NWS::Sleigh/OPTIONS>.

=cut
