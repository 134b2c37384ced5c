# Portable values (docs/values.md): every type round-trips through a real
# server, missing elements, NWS::Table and NWS::Timestamp, what stays a plain
# string, the workspace's default, errors for what a portable value cannot
# hold (nothing stored), an unreadable portable value, and a 1-million
# element float64 vector.
use strict;
use warnings;
use utf8;
use B ();
use Test::More;
use Time::HiRes ();
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('portable');
my ($T, $F) = ($JSON::PP::true, $JSON::PP::false);
my $PERL = $NWS::Tables::LANGUAGE{perl};

sub round_trip { my ($v) = @_; $ws->store('v', $v, portable => 1); return $ws->fetch('v') }
sub descriptor_of { my ($v, @opt) = @_; $ws->store('d', $v, @opt); my $g = $ws->{raw}->fetch_try('d'); $g->{descriptor} }
sub number_kind {   # 1 integer, 2 floating, 0 not a number
    my $f = B::svref_2object(\$_[0])->FLAGS;
    return 0 if $f & B::SVf_POK || !($f & (B::SVf_IOK | B::SVf_NOK));
    return $f & B::SVf_IOK ? 1 : 2;
}
sub bits { unpack 'H*', pack 'd>', $_[0] }
sub error_of { my ($code) = @_; eval { $code->(); 1 } ? undef : $@ }

# ---- scalars ----
my @got = (round_trip(undef));
is_deeply(\@got, [undef], 'undef: null');
is(ref round_trip($T), 'JSON::PP::Boolean', 'a JSON::PP boolean');
ok(round_trip($T) && !round_trip($F), 'true and false');
ok(round_trip($T) == $JSON::PP::true, 'read as $JSON::PP::true');
my $i = round_trip(-1234567890123);
is($i, -1234567890123, 'an integer');
is(number_kind($i), 1, 'read as an integer scalar');
is(round_trip(9223372036854775807), 9223372036854775807, 'the largest int64');
my $r = round_trip(3.25);
is(number_kind($r), 2, 'a floating scalar reads as one');
is(bits(round_trip(unpack 'd>', pack 'H16', '8000000000000000')), '8000000000000000', '-0.0 keeps its sign bit');
my $nan = unpack 'd>', pack 'H16', '7ff8000000000001';
is(bits(round_trip($nan)), '7ff8000000000001', 'a NaN keeps its payload');
is(round_trip(9**9**9), 9**9**9, 'infinity');

# Plain strings stay plain strings, portable or not; numbers and booleans go portable.
my $direct = NWS::Tables::DIRECT_STRING;
my $portable = NWS::Raw::portable_descriptor($PERL);
ok(NWS::Raw::is_portable($portable), "the core's portable descriptor");
is(descriptor_of('text', portable => 1), ($PERL << NWS::Tables::LANGUAGE_SHIFT) | $direct, 'a string stays direct');
ok(descriptor_of("\xff\x00", portable => 1) & NWS::Tables::BINARY, 'bytes stay direct binary');
is(descriptor_of('42', portable => 1) & $direct, $direct, "the string '42' stays a string");
is(descriptor_of(42, portable => 1), $portable, 'the number 42 is portable');
is(descriptor_of([1], portable => 1), $portable, 'an array reference is portable');
is(descriptor_of([1]), $PERL << NWS::Tables::LANGUAGE_SHIFT, 'not asked: Storable');
is(round_trip('héllo ✓'), 'héllo ✓', 'text');
is(round_trip("\x00\xfe"), "\x00\xfe", 'bytes');

# ---- containers ----
my $list = [1, 'two', 3.5, undef, $T, [], {}];
is_deeply(round_trip($list), $list, 'a list of mixed values');
my $map = { alpha => 1, 'β' => 'b', nested => { list => [1, ['x', $F]], empty => [] } };
is_deeply(round_trip($map), $map, 'a map (UTF-8 keys), nested');
is_deeply(round_trip([]), [], 'an empty array: a list');
is_deeply(round_trip([undef, undef]), [undef, undef], 'all undef: a list of nulls');

# ---- vectors ----
my $vec = round_trip([1, -2, 1 << 40, -(1 << 53)]);
is_deeply($vec, [1, -2, 1 << 40, -(1 << 53)], 'integers: an int64 vector');
is_deeply([map { number_kind($_) } @$vec], [1, 1, 1, 1], 'read as integers');
$vec = round_trip([1.5, 2, -3]);
is_deeply([map { bits($_) } @$vec], [map { bits($_) } 1.5, 2, -3], 'one floating number: a float64 vector');
is_deeply([map { number_kind($_) } @$vec], [2, 2, 2], 'read as floating numbers');
is_deeply(round_trip([$T, $F, undef, $T]), [$T, $F, undef, $T], 'booleans, one missing');
is_deeply(round_trip(['a', 'β', '', undef]), ['a', 'β', '', undef], 'strings, one missing');
is_deeply(round_trip([1, undef, 3]), [1, undef, 3], 'integers, one missing');
is_deeply(round_trip([undef, 2.5, undef]), [undef, 2.5, undef], 'floats, missing');
is_deeply(round_trip(['a', 1]), ['a', 1], 'strings and numbers: a list');
is_deeply(round_trip(['a', "\xff"]), ['a', "\xff"], 'text and bytes: a list');
my $bits = [map { $_ % 3 ? $_ : undef } 0 .. 20];
is_deeply(round_trip($bits), $bits, 'a missing bitmap of several bytes');
my $decoded = NWS::Portable::Read::decode(NWS::Portable::Write::encode([1, 2, 3]));
is_deeply($decoded, [1, 2, 3], 'the encoding and decoding without a server');

# Another language's int32 vector (Perl never writes one), one missing, and table column.
my $w32 = NWS::Raw::PortableWriter->new;
$w32->table(1, 3);
$w32->key('n');
$w32->vector('int32', 3, pack('l<*', 1, 0, -2147483647), pack('b*', '010'));
$ws->{raw}->store('i32', NWS::Raw::portable_descriptor($NWS::Tables::LANGUAGE{python}), $w32->finish);
my $t32 = $ws->fetch('i32');
is_deeply($t32->column('n'), [1, undef, -2147483647], "another language's int32 column, one missing");
is(number_kind($t32->column('n')->[2]), 1, 'read as integers');

# ---- timestamps ----
my $ts = NWS::Timestamp->new(nanoseconds => 1_796_572_474_123_456_789);
my $back = round_trip($ts);
isa_ok($back, 'NWS::Timestamp');
is($back->nanoseconds, 1_796_572_474_123_456_789, 'a timestamp keeps its nanoseconds');
is("$back", '2026-12-06T15:54:34.123456789Z', 'ISO 8601 in UTC');
is($back->seconds, 1_796_572_474, 'whole seconds');
ok($back == $ts, 'timestamps compare');
is(NWS::Timestamp->new(epoch => 1.5)->nanoseconds, 1_500_000_000, 'from epoch seconds');
is(NWS::Timestamp->new(nanoseconds => -1)->seconds, -1, 'before the epoch: seconds round down');
is(NWS::Timestamp->new(nanoseconds => -1)->iso8601, '1969-12-31T23:59:59.999999999Z', 'and print so');
is(NWS::Timestamp->new(epoch => 0)->epoch, 0, 'epoch');
isa_ok(error_of(sub { NWS::Timestamp->new(epoch => 'soon') }), 'NWS::Error::InvalidArgument');
isa_ok(error_of(sub { NWS::Timestamp->new(epoch => 1, nanoseconds => 1) }), 'NWS::Error::InvalidArgument');
my $tsv = round_trip([NWS::Timestamp->new(epoch => 0), undef, $ts]);
is_deeply([map { defined $_ ? $_->nanoseconds : undef } @$tsv], [0, undef, $ts->nanoseconds],
          'a timestamp vector, one missing');

# ---- tables ----
my $table = NWS::Table->new(x => [1.5, 2.5, undef], n => [1, 2, 3], s => ['a', undef, 'c'], b => [$T, $F, $T],
                            t => [$ts, $ts, undef], empty => [undef, undef, undef]);
my $tb = round_trip($table);
isa_ok($tb, 'NWS::Table');
is_deeply([$tb->names], [qw(x n s b t empty)], 'the columns keep their order');
is($tb->rows, 3, 'rows');
is_deeply($tb->column('x'), [1.5, 2.5, undef], 'a float64 column, missing');
is_deeply($tb->column('n'), [1, 2, 3], 'an int64 column');
is_deeply($tb->column('s'), ['a', undef, 'c'], 'a string column');
is_deeply($tb->column('b'), [$T, $F, $T], 'a boolean column');
is($tb->column('t')->[0]->nanoseconds, $ts->nanoseconds, 'a timestamp column');
is_deeply($tb->column('empty'), [undef, undef, undef], 'an all-missing column');
is_deeply([round_trip(NWS::Table->new)->names], [], 'a table without columns');
is(ref round_trip({ x => [1, 2] }), 'HASH', 'a hash of arrays is a map, not a table');
isa_ok(error_of(sub { NWS::Table->new(a => [1], b => [1, 2]) }), 'NWS::Error::InvalidArgument', 'unequal columns');
isa_ok(error_of(sub { NWS::Table->new(a => 1) }), 'NWS::Error::InvalidArgument', 'a column not an array');
isa_ok(error_of(sub { NWS::Table->new(a => [1], a => [2]) }), 'NWS::Error::InvalidArgument', 'a name twice');

# ---- booleans of Perl 5.36 ----
SKIP: {
    skip 'Perl before 5.36 has no booleans of its own', 1 unless defined &builtin::is_bool;
    is_deeply(round_trip([!!1, !!0]), [$T, $F], '!!1 and !!0 write as booleans');
}

# ---- the workspace's default ----
my $pws = $srv->workspace('portable', portable => 1);
ok($pws->portable, 'NWS::NetWorkSpace->new(portable => 1)');
$pws->store('w', { a => [1, 2] });
is($pws->{raw}->fetch_try('w')->{descriptor}, $portable, 'stores portable values');
$pws->store('w', { a => [1, 2] }, portable => 0);
is($pws->{raw}->fetch_try('w')->{descriptor}, $PERL << NWS::Tables::LANGUAGE_SHIFT, 'portable => 0: Storable');
$pws->portable(0);
ok(!$pws->portable, 'portable(0) turns it off');
ok(!$ws->portable, 'off by default');
isa_ok(error_of(sub { $ws->store('w', 1, portable => 1, colour => 'red') }), 'NWS::Error::InvalidArgument',
       'an unknown store option');
$pws->close;

# ---- reading is automatic ----
$ws->store('it', [1.5, 2.5], portable => 1);
$ws->store('it', { k => 'v' }, portable => 1);
is_deeply([$ws->ifind_try('it')->all], [[1.5, 2.5], { k => 'v' }], 'iterators read portable values');
is_deeply($ws->find_try('it'), [1.5, 2.5], 'find_try too');
$ws->delete_var('it');

# ---- what a portable value cannot hold ----
for my $case (['a code reference', sub { 1 }, qr/CODE reference/],
              ['a glob reference', \*STDOUT, qr/GLOB reference/],
              ['a scalar reference', \'x', qr/SCALAR reference/],
              ['another class', bless({}, 'Some::Class'), qr/object of class Some::Class/],
              ['one deep inside', { a => [1, { b => sub { 1 } }] }, qr/CODE reference at \{a\}\[1\]\{b\}/],
              ['an integer beyond int64', [1, 18446744073709551615], qr/18446744073709551615/],
              ['a column of references', NWS::Table->new(c => [[1], [2]]), qr/column 'c'/]) {
    my ($what, $value, $says) = @$case;
    my $err = error_of(sub { $ws->store('bad', $value, portable => 1) });
    isa_ok($err, 'NWS::Error::Serialisation', $what);
    like("$err", $says, "$what: the error names it");
    like("$err", qr/variable 'bad' in workspace 'portable'/, "$what: and the variable");
}
my $deep = [];
my $c = $deep;
$c = $c->[0] = [] for 1 .. 300;
like(error_of(sub { $ws->store('bad', $deep, portable => 1) }), qr/deeper than 256/, 'nesting deeper than 256');
my $cycle = [];
push @$cycle, $cycle;
isa_ok(error_of(sub { $ws->store('bad', $cycle, portable => 1) }), 'NWS::Error::Serialisation', 'a cycle');
ok(!defined $ws->find_try('bad'), 'nothing was stored');

# ---- an unreadable portable value ----
$ws->{raw}->store('broken', $portable, "\xc1NP\x01\xc1");
my $err = error_of(sub { $ws->fetch('broken') });
isa_ok($err, 'NWS::Error::Serialisation', 'a corrupt portable value');
like("$err", qr/variable 'broken'/, 'names the variable');
is($err->bytes, "\xc1NP\x01\xc1", 'keeps the bytes');

# ---- a large vector ----
my @big = map { $_ * 0.5 } 1 .. 1_000_000;
my $t0 = Time::HiRes::time();
$ws->store('big', \@big, portable => 1);
my $t1 = Time::HiRes::time();
my $bigback = $ws->fetch('big');
my $t2 = Time::HiRes::time();
is(scalar @$bigback, 1_000_000, 'a 1-million element float64 vector: length');
ok(pack('d<*', @$bigback) eq pack('d<*', @big), 'and every element');
diag sprintf('1M float64: store %.2f s, fetch %.2f s', $t1 - $t0, $t2 - $t1);
$ws->close;
done_testing;
