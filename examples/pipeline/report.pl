#!/usr/bin/env perl
# Perl's part of the pipeline: the reporter.  Turns Java's "aggregate" (a
# portable table, read as an NWS::Table) into report lines, prints them and
# stores them as "report" (Python checks it).
#   perl report.pl PORT WS
use strict; use warnings;
use NWS;
my ($port, $wsname) = @ARGV;
my $ws = NWS::NetWorkSpace->new($wsname, host => '127.0.0.1', port => $port, use_only => 1);
my $aggregate = $ws->fetch('aggregate', timeout => 120);
my ($ids, $sums) = ($aggregate->column('id'), $aggregate->column('sum_of_squares'));
my ($report, $total) = ('', 0);
for my $row (0 .. $#$ids) {
    $report .= sprintf("item %02d: sum of squares %d\n", $ids->[$row], $sums->[$row]);
    $total += $sums->[$row];
}
$report .= "total: $total\n";
print "perl: report\n", map { "  $_\n" } split /\n/, $report;
$ws->store('report', $report);
$ws->close;
