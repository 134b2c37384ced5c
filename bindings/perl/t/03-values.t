# Value encoding: UTF-8 text and binary strings go direct with the flag
# right both ways; references and undef go by Storable; a large value; a
# value written by another language raises an error naming it.
use strict;
use warnings;
use utf8;
use Test::More;
use lib 't/lib';
use NWSTestServer;
use NWS;

my $srv = NWSTestServer->start;
my $ws = $srv->workspace('values');

my $text = "Grüße, 日本語 ✓";
$ws->store('t', $text);
my $back = $ws->fetch('t');
is($back, $text, 'UTF-8 text round trip');
ok(utf8::is_utf8($back), 'text comes back with the UTF-8 flag on');
is(length $back, length $text, 'same number of characters');

my $bin = join '', map { chr } 0 .. 255;
$ws->store('b', $bin);
$back = $ws->fetch('b');
is($back, $bin, 'binary round trip (all 256 bytes)');
ok(!utf8::is_utf8($back), 'binary comes back without the UTF-8 flag');

$ws->store('e', '');
is($ws->fetch('e'), '', 'empty string round trip');

$ws->store('ascii', 'plain');
is($ws->fetch('ascii'), 'plain', 'ASCII round trip');

# The descriptors are the core's: direct strings carry Perl's language id.
$ws->store('d', 'text');
my $got = $ws->{raw}->find_try('d');
is($got->{descriptor}, ($NWS::Tables::LANGUAGE{perl} << NWS::Tables::LANGUAGE_SHIFT) | NWS::Tables::DIRECT_STRING,
   'a text string: Perl, direct');
$ws->store('d2', "\xff");
$got = $ws->{raw}->find_try('d2');
ok(($got->{descriptor} & NWS::Tables::BINARY), 'a byte string: binary');

my $data = { list => [1, 2, { deep => 'yes' }], text => $text, undef => undef };
$ws->store('r', $data);
is_deeply($ws->fetch('r'), $data, 'a nested reference round trips by Storable');
$ws->store('u', undef);
my @got = ($ws->fetch('u'));
is_deeply(\@got, [undef], 'undef round trips');
$ws->store('sr', \'scalar');
is(${ $ws->fetch('sr') }, 'scalar', 'a scalar reference round trips');

# Larger than the server's spool threshold (16 MiB): the value crosses the
# server's spool path both ways.
my $block = join '', map { chr(($_ * 7) % 256) } 0 .. 65535;
my $large = ($block x 260) . "tail\x00\xff";
cmp_ok(length $large, '>', 16 * 1024 * 1024, 'the large value is beyond the spool threshold');
$ws->store('big', $large);
my $big = $ws->fetch('big');
is(length $big, length $large, 'large value: length');
ok($big eq $large, 'large value: bytes');

# A value with another language's descriptor (Python = 1, not direct).
$ws->{raw}->store('py', 1 << 24, "\x80\x04K\x01.");
my $err = do { eval { $ws->fetch('py') }; $@ };
isa_ok($err, 'NWS::Error::Serialisation', 'a Python-serialised value');
is($err->message, NWS::Raw::unreadable_value_message('values', 'py', 1 << 24, $NWS::Tables::LANGUAGE{perl}, ''),
   "the core's message");
like("$err", qr/\bPython\b/, 'the message names the language');
like("$err", qr/'py'/, 'and the variable');
is($err->language, 'Python', 'the error names the language');
is($err->descriptor, 1 << 24, 'the descriptor is kept');
is($err->bytes, "\x80\x04K\x01.", 'the raw bytes are kept');
$ws->{raw}->store('rb', 5 << 24, "\x04\bi\x06");
$err = do { eval { $ws->find('rb') }; $@ };
like("$err", qr/Ruby/, 'a Ruby-serialised value names Ruby');
$ws->{raw}->store('bad', $NWS::Tables::LANGUAGE{perl} << 24, "not Storable");
$err = do { eval { $ws->fetch('bad') }; $@ };
isa_ok($err, 'NWS::Error::Serialisation', 'a broken Perl value');
like("$err", qr/Storable/, 'the message says why');

# A direct string from another language is just a string.
$ws->{raw}->store('pystr', (1 << 24) | 1, 'from python');
is($ws->fetch('pystr'), 'from python', "another language's direct string is readable");
$ws->close;
done_testing;
