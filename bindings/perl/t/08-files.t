# The file forms: store_file from a regular file (streamed from its
# position), a pipe and an in-memory handle; fetch_file / find_file and their
# _try forms into a regular file, a pipe and an in-memory handle; makefile.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempfile);
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('files');

sub slurp { my ($path) = @_; open(my $fh, '<:raw', $path) or die "$path: $!"; local $/; my $d = <$fh>; $d // '' }

my $content = join('', map { chr(($_ * 13) % 256) } 0 .. 200_000) . "end";
my ($in, $in_path) = tempfile(UNLINK => 1);
binmode $in;
print $in $content;
close $in;

# A regular file, from its start and from a position Perl read up to.
open($in, '<:raw', $in_path) or die;
is($ws->store_file('whole', $in), length $content, 'store_file: the number of bytes');
ok(eof($in), 'the handle is at the end afterwards');
close $in;
is($ws->find('whole'), $content, 'the bytes are the value (binary)');
open($in, '<:raw', $in_path) or die;
read($in, my $head, 1000) == 1000 or die;
is($ws->store_file('rest', $in), length($content) - 1000, 'store_file from the handle\'s position');
close $in;
is($ws->fetch('rest'), substr($content, 1000), 'what Perl had not read yet');
open($in, '<:raw', $in_path) or die;
is($ws->store_file('part', $in, 10), 10, 'store_file with a byte count');
is($ws->fetch('part'), substr($content, 0, 10), 'at most that many bytes');
read($in, my $next, 5);
is($next, substr($content, 10, 5), 'the handle goes on after them');
close $in;
open($in, '<:raw', $in_path) or die;
seek($in, 0, 2);
is($ws->store_file('none', $in), 0, 'nothing left: stores nothing');
is($ws->fetch_try('none'), undef, 'and the variable has no value');
close $in;

# A pipe (a length known only at its end).
open(my $pipe, '-|', $^X, '-e', 'binmode STDOUT; print "line $_\n" for 1 .. 5000') or die "pipe: $!";
my $first = <$pipe>;
is($first, "line 1\n", 'read a line from the pipe first');
my $n = $ws->store_file('piped', $pipe);
close $pipe;
my $expect = join '', map { "line $_\n" } 2 .. 5000;
is($n, length $expect, 'store_file from a pipe: the number of bytes');
is($ws->fetch('piped'), $expect, 'including what Perl had buffered');

# An in-memory handle.
open(my $mem, '<', \"in memory") or die;
is($ws->store_file('mem', $mem), 9, 'store_file from an in-memory handle');
is($ws->fetch('mem'), 'in memory', 'its bytes');

# Into a regular file: what was printed before stays first.
$ws->store('out', 'value bytes');
my ($out, $out_path) = tempfile(UNLINK => 1);
binmode $out;
print $out "header:";
is($ws->find_file('out', $out), 11, 'find_file: the number of bytes');
print $out ":trailer";
close $out;
is(slurp($out_path), 'header:value bytes:trailer', 'flushed before, positioned after');
is($ws->find('out'), 'value bytes', 'find_file left the value');

open($out, '>:raw', $out_path) or die;
is($ws->fetch_file('out', $out, timeout => 5), 11, 'fetch_file');
close $out;
is(slurp($out_path), 'value bytes', 'its bytes');
is($ws->fetch_try('out'), undef, 'fetch_file took the value');

open($out, '>:raw', $out_path) or die;
is($ws->fetch_try_file('out', $out), undef, 'fetch_try_file without a value: undef');
is($ws->find_try_file('out', $out), undef, 'find_try_file without a value: undef');
$ws->store('out', '');
is($ws->find_try_file('out', $out), 0, 'an empty value: 0 bytes (defined)');
$ws->store('out', "more");
is($ws->fetch_try_file('out', $out), 0, 'fetch_try_file takes the first (empty) value');
is($ws->fetch_try_file('out', $out), 4, 'then the next');
close $out;
is(slurp($out_path), 'more', 'the bytes');
my $err = do { eval { $ws->fetch_file('out', $out, timeout => 0.2) }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'a closed handle');
$err = do { eval { $ws->fetch_file('out', 'not a handle', timeout => 0.2) }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'not a handle');
open($out, '>:raw', $out_path) or die;
$err = do { eval { $ws->fetch_file('never', $out, timeout => 0.2) }; $@ };
isa_ok($err, 'NWS::Error::Timeout', 'fetch_file with a timeout');
close $out;

# Into a pipe: the big value, in chunks through the descriptor.
open(my $to, '|-', $^X, '-e', 'binmode STDIN; local $/; my $d = <STDIN>; open(my $o, ">:raw", $ARGV[0]) or die; print $o $d',
     $out_path) or die "pipe: $!";
is($ws->find_file('whole', $to), length $content, 'find_file into a pipe');
close $to or die "the reader failed: $?";
ok(slurp($out_path) eq $content, 'the bytes came through the pipe');

# Into an in-memory handle (no descriptor).
open(my $buf_fh, '>', \my $buf) or die;
is($ws->find_file('whole', $buf_fh), length $content, 'find_file into an in-memory handle');
close $buf_fh;
ok($buf eq $content, 'its bytes');

# makefile: lines of text both ways.
my $w = $ws->makefile('log', '>');
print $w "first line\n", "second ";
printf $w "%s\n", 'line';
print $w "no newline";
close $w;
is_deeply([map { $_->{values} } grep { $_->{name} eq 'log' } $ws->list_vars], [3], 'one value per line, the rest on close');
my $r = $ws->makefile('log', '<');
is_deeply([<$r>], ["first line\n", "second line\n", "no newline"], 'read back line by line');
ok(eof($r), 'then at its end');
close $r;
$w = $ws->makefile('log', '>>');
print $w "appended\n";
close $w;
$r = $ws->makefile('log');
local $/;
is(<$r>, "first line\nsecond line\nno newlineappended\n", 'append mode; slurp with $/ undef');
$err = do { eval { $ws->makefile('log', 'rw') }; $@ };
isa_ok($err, 'NWS::Error::InvalidArgument', 'an unknown makefile mode');
$ws->close;
done_testing;
