package BenchTasks;
# The Perl sleigh benchmark's task (bench/sleigh/perl/bench.pl).
use strict;
use warnings;

sub inc { return $_[0] + 1 }

1;
