#!/usr/bin/env perl
# Perl's part of the pipeline: the reporter.  Turns Java's "aggregate" into
# report lines, prints them and stores them as "report" (Python checks it).
#   perl report.pl PORT WS
use strict; use warnings;
use NWS;
my ($port, $wsname) = @ARGV;
my $ws = NWS::NetWorkSpace->new($wsname, host => '127.0.0.1', port => $port, use_only => 1);
my $aggregate = $ws->fetch('aggregate', timeout => 120);
my $report = '';
for my $line (split /\n/, $aggregate) {
    my ($id, $value) = split / /, $line;
    $report .= $id eq 'total' ? "total: $value\n" : sprintf("item %02d: sum of squares %s\n", $id, $value);
}
print "perl: report\n", map { "  $_\n" } split /\n/, $report;
$ws->store('report', $report);
$ws->close;
