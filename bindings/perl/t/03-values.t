# Value encoding: UTF-8 text and binary strings go direct with the flag
# right both ways; references and undef go by Storable; a large value; a
# value written by another language raises an error naming it.
use strict;
use warnings;
use utf8;
use Test::More;
use lib 't';
use NWSTestServer;
use NWS;

# A small spool threshold so the large value also crosses the server's spool path.
my $srv = NWSTestServer->start('spool-threshold' => 65536);
my $ws = NWS::NetWorkSpace->new('values', host => $srv->host, port => $srv->port);

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

my $data = { list => [1, 2, { deep => 'yes' }], text => $text, undef => undef };
$ws->store('r', $data);
is_deeply($ws->fetch('r'), $data, 'a nested reference round trips by Storable');
$ws->store('u', undef);
my @got = ($ws->fetch('u'));
is_deeply(\@got, [undef], 'undef round trips');
$ws->store('sr', \'scalar');
is(${ $ws->fetch('sr') }, 'scalar', 'a scalar reference round trips');

my $large = join '', map { chr(($_ * 7) % 256) } 1 .. (3 * 1024 * 1024 + 17);
$ws->store('big', $large);
my $big = $ws->fetch('big');
is(length $big, length $large, 'large value: length');
ok($big eq $large, 'large value: bytes');

# A value with another language's descriptor (Python = 1, not direct).
$ws->{raw}->store('py', 1 << 24, "\x80\x04K\x01.");
my $err = do { eval { $ws->fetch('py') }; $@ };
isa_ok($err, 'NWS::Error::Serialisation', 'a Python-serialised value');
like("$err", qr/Python/, 'the message names the language');
is($err->language, 'Python', 'the error names the language');
is($err->bytes, "\x80\x04K\x01.", 'the raw bytes are kept');
$ws->{raw}->store('rb', 5 << 24, "\x04\bi\x06");
$err = do { eval { $ws->find('rb') }; $@ };
like("$err", qr/Ruby/, 'a Ruby-serialised value names Ruby');

# A direct string from another language is just a string.
$ws->{raw}->store('pystr', (1 << 24) | 1, 'from python');
is($ws->fetch('pystr'), 'from python', "another language's direct string is readable");
$ws->close;
done_testing;
