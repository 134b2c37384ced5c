package SleighSupport;
# The process table, for the sleigh tests: which processes are a sleigh's
# workers (they carry the sleigh workspace's name in their environment),
# and whether a process is still there (zombies included).
use strict;
use warnings;

sub in_process_table { my ($pid) = @_; return -e "/proc/$pid" }

# In the process table and not a zombie (a dead child nobody reaped yet).
sub running {
    my ($pid) = @_;
    open(my $fh, '<', "/proc/$pid/stat") or return 0;
    my $stat = <$fh> // '';
    return $stat =~ /\)\s+([A-Za-z])/ && $1 ne 'Z' && $1 ne 'X' ? 1 : 0;
}

# Every process whose environment names the sleigh workspace `$ws` under
# `$prefix` (PerlSleigh, PythonSleigh, ...).
sub processes_of {
    my ($ws, $prefix) = @_;
    my $needle = ($prefix // 'PerlSleigh') . "NwsName=$ws\0";
    my @found;
    opendir(my $d, '/proc') or die "/proc: $!";
    for my $pid (grep { /\A\d+\z/ } readdir $d) {
        open(my $fh, '<:raw', "/proc/$pid/environ") or next;
        my $env = do { local $/; <$fh> } // '';
        push @found, 0 + $pid if index("$env\0", $needle) >= 0;
    }
    my @sorted = sort { $a <=> $b } @found;
    return @sorted;   # in scalar context, how many
}

1;
