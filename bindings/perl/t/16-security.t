# TLS, users and permissions (the project's docs/security.md) against real
# nws-server processes: a TLS round trip, the certificates a client must
# refuse, TLS on one side only, SCRAM users and a token, permissions, and
# the options' argument checks.  The certificates are made for this run
# (make-test-certs.sh) in a temporary directory.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use Time::HiRes ();
use lib 't/lib';
use NWSTestServer;
use NWS;

# Only what each test gives: nothing from the environment of the run.
delete @ENV{qw(NWS_TLS NWS_TLS_CA NWS_TLS_CERT NWS_TLS_KEY NWS_USER NWS_PASSWORD NWS_TOKEN)};

my $tmp = File::Temp::tempdir('nws-perl-security-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $certs = NWSTestServer::make_certs("$tmp/certs");
my %pem = map { $_ => "$certs/$_.pem" } qw(ca other-ca server expired wronghost untrusted client rogue-client);
my %key = map { $_ => "$certs/$_.key" } qw(server expired wronghost untrusted client rogue-client);

# A TLS server with the certificate `$name`.
sub tls_server {
    my ($name, @more) = @_;
    return NWSTestServer->standalone('--tls-cert', $pem{$name}, '--tls-key', $key{$name}, @more);
}

# The error `$code` dies with (undef if it does not die).
sub error_of {
    my ($code) = @_;
    return eval { $code->(); 1 } ? undef : $@;
}

# A store and fetch on a new connection with `%opt`.
sub round_trip {
    my ($srv, $ws_name, %opt) = @_;
    my $ws = NWS::NetWorkSpace->new($ws_name, $srv->connect_options, %opt);
    my $value = "over $ws_name " . rand();
    $ws->store('x', $value);
    my $got = $ws->fetch('x', timeout => 10);
    $ws->close;
    return $got eq $value;
}

# ---- 1. a TLS round trip ----

my $tls = tls_server('server');
ok(round_trip($tls, 'tls1', tls => 1, tls_ca => $pem{ca}), 'TLS round trip: tls => 1, tls_ca => ca.pem');
ok(round_trip($tls, 'tls2', tls_ca => $pem{ca}), 'tls_ca alone turns TLS on');
{
    local $ENV{NWS_TLS_CA} = $pem{ca};
    ok(round_trip($tls, 'tls3'), 'NWS_TLS_CA from the environment when no option is given');
}
my $conn = NWS::Server->new($tls->connect_options, tls_ca => $pem{ca});
my $ws = $conn->open_ws('shared');
$ws->store('v', { a => [1, 2] });
is_deeply($ws->find('v'), { a => [1, 2] }, 'a Storable value over TLS, through NWS::Server->open_ws');
$conn->close;

# ---- 2. certificates the client refuses ----

my $untrusted = tls_server('untrusted');
my $err = error_of(sub { NWS::Server->new($untrusted->connect_options, tls_ca => $pem{ca}) });
isa_ok($err, 'NWS::Error::Tls', 'a server certificate from another CA');
isa_ok($err, 'NWS::Error::Connection', 'a TLS error');
like(eval { $err->message } // "$err", qr/certificate verify failed|not trusted/, "  says it is not trusted: $err");

$err = error_of(sub { NWS::Server->new($tls->connect_options, tls_ca => $pem{'other-ca'}) });
isa_ok($err, 'NWS::Error::Tls', 'trusting only another CA');
like(eval { $err->message } // "$err", qr/certificate verify failed|not trusted/, "  says it is not trusted: $err");

my $expired = tls_server('expired');
$err = error_of(sub { NWS::Server->new($expired->connect_options, tls_ca => $pem{ca}) });
isa_ok($err, 'NWS::Error::Tls', 'an expired server certificate');
like(eval { $err->message } // "$err", qr/certificate has expired/, "  says it has expired: $err");

my $wronghost = tls_server('wronghost');
$err = error_of(sub { NWS::Server->new($wronghost->connect_options, tls_ca => $pem{ca}) });
isa_ok($err, 'NWS::Error::Tls', 'a certificate for another host');
like(eval { $err->message } // "$err", qr/does not match/, "  says the name does not match: $err");
ok(round_trip($wronghost, 'named', tls_ca => $pem{ca}, tls_server_name => 'wrong.example'),
   'tls_server_name => the name the certificate carries: accepted');
$err = error_of(sub { NWS::Server->new($tls->connect_options, tls_ca => $pem{ca}, tls_server_name => 'other.example') });
isa_ok($err, 'NWS::Error::Tls', 'tls_server_name => a name the certificate does not carry');
like(eval { $err->message } // "$err", qr/does not match/, "  says the name does not match: $err");

# ---- 3. TLS on one side only: an error at once ----

my $plain = NWSTestServer->standalone;
for my $case (['a plain client to a TLS server', $tls, [], qr/requires TLS/],
              ['a TLS client to a plain server', $plain, [tls_ca => $pem{ca}], qr/does not offer TLS/]) {
    my ($what, $srv, $opt, $says) = @$case;
    my $t0 = Time::HiRes::time();
    $err = error_of(sub { NWS::Server->new($srv->connect_options, connect_timeout => 30, @$opt)->list_wss });
    my $took = Time::HiRes::time() - $t0;
    isa_ok($err, 'NWS::Error::Tls', $what);
    like(eval { $err->message } // "$err", $says, "  says so: $err");
    cmp_ok($took, '<', 5, sprintf('  at once (%.2f s), not after the 30 s connect timeout', $took));
}

# ---- client certificates ----

my $mutual = tls_server('server', '--tls-ca', $pem{ca});
ok(round_trip($mutual, 'mutual', tls_ca => $pem{ca}, tls_cert => $pem{client}, tls_key => $key{client}),
   'a server requiring client certificates: tls_cert and tls_key accepted');
for my $case (['no client certificate', []],
              ['a client certificate from another CA', [tls_cert => $pem{'rogue-client'}, tls_key => $key{'rogue-client'}]]) {
    my ($what, $opt) = @$case;
    $err = error_of(sub { round_trip($mutual, 'refused', tls_ca => $pem{ca}, @$opt) });
    ok(ref $err && ($err->isa('NWS::Error::Tls') || $err->isa('NWS::Error::Connection')),
       "$what: refused with a TLS or connection error (" . ($err // 'none') . ')');
}

# ---- 4. users and a token ----

my %password = (producer => 'producer pw', worker1 => 'worker1 pw');
my $users_file = "$tmp/users";
open(my $uf, '>', $users_file) or die "$users_file: $!";
print $uf "# the security test's users\n";
print $uf "user $_ ", NWSTestServer::hash_password($password{$_}), "\n" for sort keys %password;
print $uf "group workers worker1\n",
          "allow producer create,store,read jobs\n",
          "allow \@workers fetch,read jobs\n",
          "allow token all *\n";
close $uf or die "$users_file: $!";
open(my $tf, '>', "$tmp/token") or die "$tmp/token: $!";
print $tf "the-shared-token\n";
close $tf or die "$tmp/token: $!";

my $users = NWSTestServer->standalone('--users', $users_file, '--token-file', "$tmp/token");
my $producer = NWS::Server->new($users->connect_options, user => 'producer', password => $password{producer});
my $jobs = $producer->open_ws('jobs');
$jobs->store('job', 'job 1');
is($jobs->find('job'), 'job 1', 'the right password: connected, opened, stored and found');

my %refused;
for my $case (['a wrong password', user => 'producer', password => 'not it'],
              ['an unknown user', user => 'nobody', password => 'any'],
              ['no credentials']) {
    my ($what, @opt) = @$case;
    $err = error_of(sub { NWS::Server->new($users->connect_options, @opt) });
    isa_ok($err, 'NWS::Error::Authentication', $what);
    like(eval { $err->message } // "$err", qr/authentication failed/, "  says authentication failed: $err");
    $refused{ eval { $err->message } // "$err" } = 1;
}
is(scalar keys %refused, 1, 'the same message for a wrong password, an unknown user and none');

ok(round_trip($users, 'by-token', token => 'the-shared-token'), 'the token: connected, stored and fetched');
$err = error_of(sub { NWS::Server->new($users->connect_options, token => 'a wrong token') });
isa_ok($err, 'NWS::Error::Authentication', 'a wrong token');
like(eval { $err->message } // "$err", qr/authentication failed/, "  says authentication failed: $err");
{
    local @ENV{qw(NWS_USER NWS_PASSWORD)} = ('worker1', $password{worker1});
    my $from_env = NWS::Server->new($users->connect_options);
    is($from_env->use_ws('jobs')->find('job'), 'job 1', 'NWS_USER and NWS_PASSWORD from the environment');
    $from_env->close;
}

# ---- 5. permissions: refused, and the connection goes on ----

$err = error_of(sub { $jobs->fetch('job', timeout => 5) });
isa_ok($err, 'NWS::Error::PermissionDenied', 'the producer may not fetch from jobs');
isa_ok($err, 'NWS::Error::Operation', 'an operation error');
like(eval { $err->message } // "$err", qr/permission denied: user 'producer' may not fetch from workspace 'jobs'/i,
     "  names the user, the operation and the workspace: $err");
$jobs->store('job', 'job 2');
is($jobs->find('job'), 'job 1', 'the same connection then stores and finds (store, read allowed)');

my $worker = NWS::NetWorkSpace->new('jobs', $users->connect_options, use_only => 1,
                                    user => 'worker1', password => $password{worker1});
$err = error_of(sub { $worker->store('job', 'from a worker') });
isa_ok($err, 'NWS::Error::PermissionDenied', 'a worker may not store into jobs');
like(eval { $err->message } // "$err", qr/user 'worker1'/, "  says who: $err");
is($worker->fetch('job', timeout => 5), 'job 1', 'the same connection then fetches (fetch allowed)');
is($worker->fetch('job', timeout => 5), 'job 2', '  and again');
$err = error_of(sub { $worker->server->open_ws('elsewhere') });
isa_ok($err, 'NWS::Error::PermissionDenied', 'a worker may not create a workspace');
is($worker->fetch_try('job', 'empty'), 'empty', 'the connection is still usable');
$worker->close;
$producer->close;

# ---- TLS and credentials together ----

my $both = tls_server('server', '--users', $users_file);
my $secure = NWS::NetWorkSpace->new('jobs', $both->connect_options, tls_ca => $pem{ca},
                                    user => 'producer', password => $password{producer});
$secure->store('job', 'over TLS');
is($secure->find('job'), 'over TLS', 'TLS and a user together');
$err = error_of(sub { NWS::Server->new($both->connect_options, tls_ca => $pem{ca}, user => 'producer', password => 'x') });
isa_ok($err, 'NWS::Error::Authentication', 'a wrong password over TLS');
$secure->close;

# ---- 6. the options' argument checks (before anything is sent) ----

{ package Local::Path; use overload '""' => sub { ${ $_[0] } }, fallback => 1; }
ok(round_trip($tls, 'path-object', tls_ca => bless(\(my $p = $pem{ca}), 'Local::Path')),
   'an object that stringifies (a path object) is a file name');

for my $case (
    ['tls_ca => [...]',       [tls_ca => [$pem{ca}]],        qr/tls_ca must be a string, not an ARRAY reference/],
    ['tls_cert => {...}',     [tls_cert => {}],               qr/tls_cert must be a string, not a HASH reference/],
    ['tls_key => sub',        [tls_key => sub { }],           qr/tls_key must be a string, not a CODE reference/],
    ['tls_server_name => \\', [tls_server_name => \'x'],      qr/tls_server_name must be a string/],
    ['user => [...]',         [user => ['producer']],         qr/user must be a string/],
    ['password => \\"..."',   [password => \'secret-value'],  qr/password must be a string, not a SCALAR reference/],
    ['token => {...}',        [token => { t => 1 }],          qr/token must be a string/],
    ['tls => {...}',          [tls => { ca => $pem{ca} }],    qr/tls must be true or false, not a HASH reference/],
    ['an unknown option',     [tls_ca_file => $pem{ca}],      qr/unknown option\(s\) tls_ca_file/],
) {
    my ($what, $opt, $says) = @$case;
    for my $how (['NWS::Server->new', sub { NWS::Server->new($tls->connect_options, @$opt) }],
                 ['NWS::NetWorkSpace->new', sub { NWS::NetWorkSpace->new('args', $tls->connect_options, @$opt) }]) {
        my ($class, $call) = @$how;
        $err = error_of($call);
        isa_ok($err, 'NWS::Error::InvalidArgument', "$class($what)");
        like(eval { $err->message } // "$err", $says, "  $err");
        unlike("$err", qr/secret-value/, '  and does not show the value') if $what =~ /password/;
    }
}
$err = error_of(sub { NWS::NetWorkSpace->new('args', server => NWS::Server->new($tls->connect_options, tls_ca => $pem{ca}),
                                             user => 'producer') });
isa_ok($err, 'NWS::Error::InvalidArgument', 'server => and credentials together');

$_->stop for $tls, $untrusted, $expired, $wronghost, $plain, $mutual, $users, $both;
done_testing;
