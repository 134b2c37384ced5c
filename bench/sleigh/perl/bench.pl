# The Perl sleigh's trivial-task throughput: 20,000 tasks of x -> x + 1
# (BenchTasks::inc) on 2 local Perl workers, automatic chunks, the pool
# started and warmed up before it is timed, best of --repeat runs (3).
# Prints one table row:
#
#   | Perl sleigh | <tasks/s> |
#
#   perl bench/sleigh/perl/bench.pl [--repeat N] [--tasks N]
# (with NWS installed, e.g. PERL5LIB=build-perl/inst/lib/perl5 after scripts/test-perl.sh)
use strict;
use warnings;
use FindBin ();
use lib $FindBin::Bin;
use Getopt::Long ();
use Time::HiRes ();
use NWS;
use NWS::Sleigh;

my ($repeat, $tasks) = (3, 20_000);
Getopt::Long::GetOptions('repeat=i' => \$repeat, 'tasks=i' => \$tasks) or die "usage: bench.pl [--repeat N] [--tasks N]\n";

my $server = NWS::LocalServer->start;
my $s = NWS::Sleigh->new(nwsHost => $server->host, nwsPort => $server->port, workerCount => 2);
$s->status(0, 60);
$s->eachElem('BenchTasks::inc', [1 .. 100]);   # warm-up: both workers have loaded the task

my @xs = (0 .. $tasks - 1);
my $best;
for (1 .. $repeat) {
    my $t0 = Time::HiRes::time();
    my @r = $s->eachElem('BenchTasks::inc', \@xs);
    my $dt = Time::HiRes::time() - $t0;
    die "wrong results\n" unless @r == $tasks && $r[0] == 1 && $r[-1] == $tasks;
    $best = $dt if !defined $best || $dt < $best;
}
$s->stop;
$server->stop;
printf "| Perl sleigh | %.0f |\n", $tasks / $best;
