# NWS::Sleigh's SLURM launch with Perl workers, against the one-node SLURM
# that scripts/test-sleigh.sh starts (SLURM_CONF): sbatch from outside an
# allocation, srun steps inside one (a master run by salloc).  Run by
# tests/sleigh_launchers/perl.sh; no SLURM is a failure, not a skip.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use FindBin ();
use lib "$FindBin::Bin/../../t/lib";
use NWSTestServer;
use SleighSupport;
use NWS::Sleigh;

$ENV{SLURM_CONF} or BAIL_OUT('SLURM_CONF is not set (scripts/test-sleigh.sh sets it)');
my $T_LIB = "$FindBin::Bin/../../t/lib";

subtest 'sbatch from outside an allocation' => sub {
    local $ENV{SLURM_JOB_ID};
    delete $ENV{SLURM_JOB_ID};
    my $srv = NWSTestServer->start;
    my $logs = File::Temp::tempdir('nws-perl-slurm-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $s = NWS::Sleigh->new(nwsHost => $srv->host, nwsPort => $srv->port, launch => 'slurm', workerCount => 2,
                             logDir => $logs);
    is_deeply([$s->status(1, 120)], [2, 1], 'both batch workers joined');
    is_deeply([$s->eachElem('SleighTest::add', [0 .. 49], { fixedArgs => [1] })], [1 .. 50], 'eachElem');
    my @info = $s->workerInfo;
    is_deeply([sort map { $_->{id} } @info], [0, 1], 'the workers are tasks 0 and 1 (SLURM_PROCID)');
    my @pids = map { $_->{pid} } @info;
    my $ws = $s->wsName;
    $s->stop;
    ok(NWSTestServer::poll_until(10, sub { !grep({ SleighSupport::running($_) } @pids) && !SleighSupport::processes_of($ws) }),
       "after stop the batch job's workers are gone");
    is(scalar(`squeue --noheader --name $ws`), '', 'and the job is no longer queued');
    opendir(my $d, $logs) or die;
    is_deeply([sort grep { !/\A\./ } readdir $d], ["$ws.txt", "${ws}_0000.txt", "${ws}_0001.txt"], 'logDir holds the output files');
};

subtest 'srun steps inside an allocation' => sub {
    my $dir = File::Temp::tempdir('nws-perl-salloc-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    open(my $fh, '>', "$dir/master.pl") or die;
    print $fh <<'PERL';
use strict;
use warnings;
use NWS;
use NWS::Sleigh;
my $srv = NWS::LocalServer->start;
my $s = NWS::Sleigh->new(nwsHost => $srv->host, nwsPort => $srv->port, launch => 'slurm');
print "job $ENV{SLURM_JOB_ID} ntasks $ENV{SLURM_NTASKS}\n";
print "status ", join(' ', $s->status(1, 120)), "\n";
my $sum = 0;
$sum += $_ for $s->eachElem('SleighTest::square', [0 .. 99]);
print "sum $sum\n";
print "ranks ", join(' ', sort map { $_->[0] } $s->eachWorker('SleighTest::whoami')), "\n";
$s->stop;
$srv->stop;
PERL
    close $fh;
    my $out = `salloc --ntasks=2 $^X -I$T_LIB $dir/master.pl 2>$dir/err`;
    is($?, 0, 'the master ran under salloc') or diag(do { local (@ARGV, $/) = "$dir/err"; <> });
    my %line = map { split / /, $_, 2 } split /\n/, $out;
    is($line{status}, '2 1', 'the allocation\'s two tasks joined');
    is($line{sum}, 328350, 'eachElem');
    is($line{ranks}, '0 1', 'eachWorker');
};

done_testing;
