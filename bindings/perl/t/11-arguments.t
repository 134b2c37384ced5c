# Bad arguments are refused by the core's rules, with its messages, before
# anything is sent: a scripted server records every request, and the only
# ones it sees are the workspace's opening and the store that follows the
# refused calls.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use POSIX ();
use NWS;

my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1, ReuseAddr => 1)
    or die "listen: $!";
pipe(my $log_r, my $log_w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if (!$pid) {
    close $log_r;
    $log_w->autoflush(1);
    my $conn = $listener->accept or POSIX::_exit(2);
    my $read = sub {
        my ($n) = @_;
        my $buf = '';
        while (length $buf < $n) { my $got = sysread($conn, $buf, $n - length $buf, length $buf); return undef unless $got }
        return $buf;
    };
    my $read_dict = sub { my $count = $read->(4); for (1 .. $count) { $read->($read->(4)); $read->($read->(4)) } };
    # The handshake, offering no options (the original server's way).
    $read->(4) =~ /^X/ or POSIX::_exit(3);
    syswrite($conn, 'P0000000');
    $read->(4) eq 'R000' or POSIX::_exit(4);
    $read_dict->();
    syswrite($conn, 'A000');
    while (defined(my $argc = $read->(4))) {
        my @args = map { $read->($read->(20)) } 1 .. $argc;
        print $log_w join("\t", @args[0 .. ($#args < 1 ? $#args : 1)]), "\n";
        syswrite($conn, '0000');   # status 0, a short reply
    }
    POSIX::_exit(0);
}
close $log_w;
my $port = $listener->sockport;
close $listener;

my $ws = NWS::NetWorkSpace->new('args', host => '127.0.0.1', port => $port);
my $server = $ws->server;
open(my $fh, '<', \"file") or die;
my $name_missing = qr/^the (variable|workspace) name is missing \(null\): pass a string$/;
for my $case (
    ['store(undef)'         => sub { $ws->store(undef, 1) }, $name_missing],
    ['fetch(undef)'         => sub { $ws->fetch(undef) }, $name_missing],
    ['find(undef)'          => sub { $ws->find(undef, timeout => 1) }, $name_missing],
    ['fetch_try(undef)'     => sub { $ws->fetch_try(undef) }, $name_missing],
    ['find_try(undef)'      => sub { $ws->find_try(undef) }, $name_missing],
    ['declare(undef)'       => sub { $ws->declare(undef, 'fifo') }, $name_missing],
    ['delete_var(undef)'    => sub { $ws->delete_var(undef) }, $name_missing],
    ['ifetch(undef)'        => sub { $ws->ifetch(undef) }, $name_missing],
    ['ifind_try(undef)'     => sub { $ws->ifind_try(undef) }, $name_missing],
    ['store_file(undef)'    => sub { $ws->store_file(undef, $fh) }, $name_missing],
    ['fetch_file(undef)'    => sub { $ws->fetch_file(undef, \*STDOUT) }, $name_missing],
    ['open_ws(undef)'       => sub { $server->open_ws(undef) }, $name_missing],
    ['use_ws(undef)'        => sub { $server->use_ws(undef) }, $name_missing],
    ['delete_ws(undef)'     => sub { $server->delete_ws(undef) }, $name_missing],
    ['list_vars(undef)'     => sub { $server->list_vars(undef) }, $name_missing],
    ["declare(v, 'stack')"  => sub { $ws->declare('v', 'stack') },
        qr/^unknown mode 'stack': use fifo, lifo, multi or single$/],
    ['declare(v, undef)'    => sub { $ws->declare('v', undef) }, qr/^the mode is missing \(null\)/],
    ['fetch(v, timeout -1)' => sub { $ws->fetch('v', timeout => -1) }, qr/^timeout must be a number of seconds >= 0/],
    ['new(undef)'           => sub { NWS::NetWorkSpace->new(undef, host => '127.0.0.1', port => $port) }, $name_missing],
    ['connect_timeout -1'   => sub { NWS::Server->new(host => '127.0.0.1', port => $port, connect_timeout => -1) },
        qr/^connect timeout must be a number of seconds > 0, not -1$/],
    ['connect_timeout 0'    => sub { NWS::Server->new(host => '127.0.0.1', port => $port, connect_timeout => 0) },
        qr/^connect timeout must be a number of seconds > 0, not 0$/],
) {
    my ($what, $call, $message) = @$case;
    my $err = do { eval { $call->() }; $@ };
    isa_ok($err, 'NWS::Error::InvalidArgument', $what);
    like(ref $err ? $err->message : "$err", $message, "$what: the core's message");
}
$ws->store('marker', 'sent');
$ws->close;
my @requests = <$log_r>;
waitpid($pid, 0);
is($? >> 8, 0, 'the scripted server served the connection');
chomp @requests;
is_deeply(\@requests, ["open ws\targs", "store\targs"], 'the server saw only the opening and the valid store');
done_testing;
