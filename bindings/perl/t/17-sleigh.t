# NWS::Sleigh against a real server (the test's own NWS::LocalServer) with
# real Perl workers (local launch): eachElem's argument rules, values of
# every kind, order, callbacks, non-blocking jobs, load factor, eachWorker,
# failing tasks, bad names and options, progress, and stop (checked in the
# process table).  The functions are t/lib/SleighTest.pm's.
use strict;
use warnings;
use utf8;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use SleighSupport;
use SleighTest;
use NWS::Sleigh;

my $srv = NWSTestServer->start;
my %at = (nwsHost => $srv->host, nwsPort => $srv->port);
sub error_of { my ($code) = @_; eval { $code->(); 1 } ? undef : $@ }
sub is_task_error { ref $_[0] && $_[0]->isa('NWS::Sleigh::TaskError') }

my $s = NWS::Sleigh->new(%at, workerCount => 2, load => ['SleighTest::Loaded']);
isa_ok($s, 'NWS::Sleigh');
is_deeply([$s->status(0, 60)], [2, 1], 'status: two workers, the group closed');
is($s->language, 'perl', 'the workers are Perl');
my @info = $s->workerInfo;
is_deeply([map { $_->{rank} } @info], [0, 1], 'workerInfo: one record per worker, in rank order');
like($info[0]{language}, qr/\APerl 5\.\d+\.\d+\z/, '... naming the interpreter');
ok((grep { SleighSupport::in_process_table($_->{pid}) } @info) == 2, '... with the pids of live processes');
like($s->wsName, qr/\Asleigh_ride_\d{4}/, 'wsName: from the template');

# ---- eachElem: results in element order ----
my @squares = $s->eachElem('SleighTest::square', [0 .. 24]);
is_deeply(\@squares, [map { $_ * $_ } 0 .. 24], 'eachElem: a list in element order');
my $ref = $s->eachElem('SleighTest::square', [1 .. 3]);
is_deeply($ref, [1, 4, 9], '... an array reference in scalar context');
is_deeply([$s->eachElem('SleighTest::square', [])], [], '... no elements, no results');
is_deeply([$s->eachElem('SleighTest::add', [0 .. 19], { fixedArgs => [100] })], [map { $_ + 100 } 0 .. 19],
          'fixedArgs follow each element');
is_deeply([$s->eachElem('SleighTest::add', [[1, 2], [3, 4], [5, 6.5]], { by => 'arrays' })], [3, 7, 11.5],
          "by 'arrays': each element is a task's arguments");
is_deeply([$s->eachElem('SleighTest::add', [[1, 3, 5], [2, 4, 6]], { by => 'columns' })], [3, 7, 11],
          "by 'columns': one array per argument");
my $i = 0;
is_deeply([$s->eachElem('SleighTest::square', sub { $i < 30 ? ($i++) : () })], [map { $_ * $_ } 0 .. 29],
          'a code reference: a stream of elements');
is_deeply([$s->eachElem('SleighTest::square', [0 .. 99], { chunkSize => 7 })], [map { $_ * $_ } 0 .. 99],
          'chunkSize');

# ---- values of every kind, both ways ----
my @values = (42, -7, 1.5, -0.25, 1 << 40, 'text', 'héllo ✓', "\x00\xff", undef, [1, 2, 3], [1.5, 2],
              ['a', 'b'], [1, 'a', undef], { a => 1, b => [2.5, 3.5], c => { d => 'e' } }, [], {});
my @back = $s->eachElem('SleighTest::identity', \@values);
is_deeply(\@back, \@values, 'integers, floats, strings, bytes, undef, arrays and hashes come back as they went');
is_deeply([map { SleighTest::kind($_) } @back[0 .. 7]],
          [qw(integer integer float float integer string string string)], '... numbers as numbers, strings as strings');
ok(utf8::is_utf8($back[6]), '... text as characters');
ok(!utf8::is_utf8($back[7]), '... bytes as bytes');
my ($seen) = $s->eachElem('SleighTest::describe', [[7, 2.5, 'x', [1], { k => 'v' }, undef]], { by => 'arrays' });
is_deeply($seen->{kinds}, [qw(integer float string ARRAY HASH undef)], 'the worker sees each argument as its kind');
is($seen->{count}, 6, '... and every argument, undef too');
my $err = error_of(sub { $s->eachElem('SleighTest::identity', [1, sub { 1 }]) });
isa_ok($err, 'NWS::Error::Serialisation', 'an argument that is not portable');
like($err->message, qr/CODE reference/, '... says what it is');

# ---- callbacks, ranks, the load factor ----
my (%got, %by_rank);
my $count = $s->eachElem('SleighTest::square', [0 .. 39], {
    chunkSize => 1, loadFactor => 1,
    callback => sub { my ($index, $value, $rank) = @_; $got{$index}++; $by_rank{$rank}++; is($value, $index * $index, "callback for $index") if $value != $index * $index },
});
is($count, 40, 'with a callback eachElem returns the number of results');
is_deeply([sort { $a <=> $b } keys %got], [0 .. 39], '... every element called back');
ok(!grep({ $_ != 1 } values %got), '... each once');
is_deeply([sort keys %by_rank], [0, 1], '... from both workers');

# ---- non-blocking ----
my $p = $s->eachElem('SleighTest::square', [0 .. 49], { blocking => 0 });
isa_ok($p, 'NWS::Sleigh::Pending');
my $left = $p->check;
ok($left >= 0 && $left <= 50, "check says how many are to come ($left)");
NWSTestServer::poll_until(30, sub { $p->check == 0 });
is($p->check, 0, 'check reaches 0 once every result is in');
is_deeply([$p->wait], [map { $_ * $_ } 0 .. 49], 'wait gives the results in order');
is_deeply([sort { $a <=> $b } keys %{ { map { $_ => 1 } $p->ranks } }], [0, 1], 'ranks: both workers ran some');

# ---- eachWorker ----
my @who = $s->eachWorker('SleighTest::whoami');
is_deeply([map { [@$_[0, 1]] } @who], [[0, 2], [1, 2]], 'eachWorker: once on each worker, in rank order');
is_deeply([map { $_->[2] } @who], [map { $_->{pid} } @info], '... the workers of workerInfo');
is_deeply([$s->eachWorker('SleighTest::add', 2, 3)], [5, 5], 'eachWorker with arguments');
is_deeply($s->eachWorker({ timeout => 30 }, 'SleighTest::describe', { a => 1 })->[0]{args}, [{ a => 1 }],
          '... options first, so a hash reference is an argument');
like(($s->eachWorker('SleighTest::loaded'))[1], qr/\Aloaded by worker \d+\z/, 'load: the workers loaded the module');
$s->userNws->store('parameter', 'shared value');
is_deeply([$s->eachWorker('SleighTest::shared', 'parameter')], ['shared value', 'shared value'],
          'userNws: what the master stores there, the workers find');
my $pw = $s->eachWorker({ blocking => 0 }, 'SleighTest::square', 3);
is_deeply([$pw->wait], [9, 9], 'eachWorker, non-blocking');

# ---- tasks that fail ----
my @mixed = $s->eachElem('SleighTest::fails_on_multiples_of', [map { [3, $_] } 0 .. 11], { by => 'arrays' });
is_deeply([map { is_task_error($_) ? 'E' : $_ } @mixed], [map { $_ % 3 ? $_ : 'E' } 0 .. 11],
          'a task that dies: its element is an NWS::Sleigh::TaskError, the others are values');
my $te = $mixed[3];
is($te->index, 3, '... with its index');
ok($te->rank == 0 || $te->rank == 1, '... and the rank of the worker that ran it');
like($te->message, qr/\Ano multiples of 3, please: 3/, '... the message');
like($te->message, qr/SleighTest::inner_failure called at \S*SleighTest\.pm line \d+/, '... and the calls that led there');
like("$te", qr/\Atask 3 on worker [01]: no multiples of 3/, '... stringified');
($te) = $s->eachElem('SleighTest::dies_with_object', [1]);
like($te->message, qr/\ASleighTest::Oops: Oops: it went wrong/, 'a die with an object: its class and text');
($te) = $s->eachElem('SleighTest::returns_code', [1]);
like($te->message, qr/CODE reference.*not a portable type/, 'a value that is not portable is the error');
($te) = $s->eachElem('SleighTest::no_such_function', [1]);
like($te->message, qr/module SleighTest .*has no function no_such_function/, 'a function the module lacks');
($te) = $s->eachElem('No::Such::Module::f', [1]);
like($te->message, qr{Can't locate No/Such/Module\.pm}, 'a module that is not there');
is_deeply([$s->eachElem('SleighTest::square', [1, 2])], [1, 4], 'the workers go on after failures');

# ---- bad names and options: refused before anything runs ----
$err = error_of(sub { $s->eachElem('square', [1]) });
isa_ok($err, 'NWS::Error::InvalidArgument', 'a name not of the form Module::function');
like($err->message, qr/Module::function/, '... names the form');
$err = error_of(sub { $s->eachElem('SleighTest::square', [1], { bogus => 1 }) });
like($err->message, qr/unknown option\(s\) bogus/, 'an unknown eachElem option');
$err = error_of(sub { $s->eachElem('SleighTest::add', [[1], [2, 3]], { by => 'columns' }) });
like($err->message, qr/must be of one length/, "by 'columns' with arguments of different lengths");
$err = error_of(sub { $s->eachElem('SleighTest::square', { a => 1 }) });
like($err->message, qr/array reference or a code reference/, 'elements that are neither an array nor a code reference');
$err = error_of(sub { NWS::Sleigh->new(%at, language => 'cobol') });
isa_ok($err, 'NWS::Error::InvalidArgument', 'an unknown language');
like($err->message, qr/python, r, java, perl or ruby/, '... names the choices');
$err = error_of(sub { NWS::Sleigh->new(%at, workers => 2) });
like($err->message, qr/unknown option\(s\) workers/, 'an unknown sleigh option');
$err = error_of(sub { NWS::Sleigh->new(%at, launch => 'teleport') });
like($err->message, qr/launch must be one of/, 'an unknown launch');
($te) = $s->eachElem('SleighTest::nested_sleigh', [1]);
like($te->message, qr/cannot be created inside a sleigh worker/, 'a task cannot start a sleigh of its own');

# ---- progress ----
{
    my $out = '';
    open(my $fh, '>', \$out) or die;
    local *STDERR = $fh;
    $s->eachElem('SleighTest::square', [1 .. 20], { progress => 1 });
    close $fh;
    like($out, qr{eachElem SleighTest::square: 20/20 \(100%\)}, 'progress: a line with done/total on STDERR');
}

# ---- a Perl master with Python workers (where the test is given a Python) ----
if ($ENV{NWS_SLEIGH_PYTHON}) {
    my $dir = NWSTestServer::_above('tests/interop/sleigh/python') // die 'tests/interop/sleigh/python not found';
    my $py = NWS::Sleigh->new(%at, workerCount => 2, language => 'python', modulePath => [$dir]);
    my @r = $py->eachElem('nws_matrix:combine', [map { [$_, $_ + 0.5, "e$_", [qw(a b c)]] } 0 .. 19], { by => 'arrays' });
    is_deeply(\@r, [map { +{ i => $_ + 1, x => ($_ + 0.5) * 2, label => "e$_\@python", n => 3, lang => 'python' } } 0 .. 19],
              'Python workers run nws_matrix:combine');
    $py->stop;
}

# ---- stop: nothing left ----
my $ws = $s->wsName;
my @pids = map { $_->{pid} } $s->workerInfo;
is(scalar(SleighSupport::processes_of($ws)), 2, 'before stop: two worker processes');
$s->stop;
ok($s->stopped, 'stopped');
ok(NWSTestServer::poll_until(10, sub { !grep({ SleighSupport::in_process_table($_) } @pids) && !SleighSupport::processes_of($ws) }),
   'after stop no worker process is left');
$err = error_of(sub { $s->eachElem('SleighTest::square', [1]) });
like($err->message, qr/stopped/, 'a stopped sleigh takes no more jobs');
$s->stop;
pass('stop again does nothing');

done_testing;
