# TLS, users and permissions (the project's docs/security.md) against real
# nws-server processes: a TLS round trip, the certificates a client must
# refuse, TLS on one side only, SCRAM users and a token, permissions, and
# the options' argument checks.  The certificates are made for this run
# (scripts/make-test-certs.sh) in a temporary directory.
require_relative 'server_helper'
require 'fileutils'
require 'pathname'
require 'tmpdir'

class TestSecurity < Minitest::Test
  SECURITY_ENV = %w[NWS_TLS NWS_TLS_CA NWS_TLS_CERT NWS_TLS_KEY NWS_USER NWS_PASSWORD NWS_TOKEN].freeze
  PASSWORDS = { 'producer' => 'producer pw', 'worker1' => 'worker1 pw' }.freeze
  TOKEN = 'the-shared-token'.freeze
  NOT_TRUSTED = /certificate verify failed|not trusted/.freeze

  # The certificates, users file and token file, made once for the run;
  # the servers, started on first use; all gone after the run.
  def self.fixture
    @fixture ||= begin
      dir = Dir.mktmpdir('nws-ruby-security')
      certs = NWSTest.make_certs(File.join(dir, 'certs'))
      users = File.join(dir, 'users')
      File.write(users, <<~USERS)
        # the security test's users
        #{PASSWORDS.map { |u, pw| "user #{u} #{NWSTest.hash_password(pw)}" }.join("\n")}
        group workers worker1
        allow producer create,store,read jobs*
        allow @workers fetch,read jobs*
        allow token all *
      USERS
      token = File.join(dir, 'token')
      File.write(token, "#{TOKEN}\n")
      servers = {}
      Minitest.after_run do
        servers.each_value(&:stop)
        FileUtils.rm_rf(dir)
      end
      { certs: certs, users: users, token: token, servers: servers }
    end
  end

  def setup
    @saved_env = SECURITY_ENV.to_h { |k| [k, ENV.delete(k)] }
    @opened = []
  end

  def teardown
    @opened.each { |c| c.close unless c.closed? }
    @saved_env.each { |k, v| v.nil? ? ENV.delete(k) : ENV[k] = v }
  end

  def pem(name) = File.join(self.class.fixture[:certs], "#{name}.pem")
  def key(name) = File.join(self.class.fixture[:certs], "#{name}.key")

  # The server of each kind, started once.
  def server(kind)
    f = self.class.fixture
    tls = ->(name, *more) { ['--tls-cert', pem(name), '--tls-key', key(name), *more] }
    f[:servers][kind] ||= NWSTest::Standalone.new(*{
      tls: tls.call('server'), untrusted: tls.call('untrusted'), expired: tls.call('expired'),
      wronghost: tls.call('wronghost'), plain: [], mutual: tls.call('server', '--tls-ca', pem('ca')),
      users: ['--users', f[:users], '--token-file', f[:token]],
      both: tls.call('server', '--users', f[:users])
    }.fetch(kind))
  end

  # A connection to the server of +kind+ with +opts+, closed after the test.
  def connect(kind, **opts)
    s = NWS::Server.new(**server(kind).address, **opts)
    @opened << s
    s
  end

  # A workspace on the server of +kind+ with +opts+, closed after the test.
  def open_ws(kind, name, **opts)
    ws = NWS::NetWorkSpace.new(name, **server(kind).address, **opts)
    @opened << ws
    ws
  end

  # Stores a value and fetches it back on a new connection with +opts+.
  def assert_round_trip(kind, msg, **opts)
    ws = open_ws(kind, "rt-#{name}", **opts)
    value = "#{msg} #{rand}"
    ws.store('x', value)
    assert_equal value, ws.fetch('x', timeout: 10), msg
  end

  # ---- 1. a TLS round trip ----

  def test_tls_round_trip
    assert_round_trip(:tls, 'tls: true, tls_ca: ca.pem', tls: true, tls_ca: pem('ca'))
  end

  def test_tls_ca_alone_turns_tls_on
    assert_round_trip(:tls, 'tls_ca alone', tls_ca: pem('ca'))
  end

  def test_a_pathname_is_a_file_name
    assert_round_trip(:tls, 'tls_ca: a Pathname', tls_ca: Pathname.new(pem('ca')))
  end

  def test_tls_options_from_the_environment
    ENV['NWS_TLS_CA'] = pem('ca')
    assert_round_trip(:tls, 'NWS_TLS_CA from the environment')
  end

  def test_several_workspaces_on_one_tls_connection
    conn = connect(:tls, tls_ca: pem('ca'))
    a = conn.open_ws("a-#{name}")
    b = conn.use_ws("b-#{name}")
    a.store('v', { list: [1, 2] })
    b.store('v', 'b')
    assert_equal({ list: [1, 2] }, a.find('v'))
    assert_equal 'b', b.fetch('v')
  end

  def test_marshal_keeps_the_tls_options
    ws = open_ws(:tls, "marshal-#{name}", tls_ca: pem('ca'))
    ws.store('v', 'kept')
    again = Marshal.load(Marshal.dump(ws))
    @opened << again
    assert_equal 'kept', again.fetch('v'), 'the loaded workspace connected again over TLS'
  end

  # ---- 2. certificates the client refuses ----

  def test_a_server_certificate_from_another_ca
    err = assert_raises(NWS::TlsError) { connect(:untrusted, tls_ca: pem('ca')) }
    assert_kind_of NWS::ConnectionError, err
    assert_equal 'tls', err.code
    assert_match NOT_TRUSTED, err.message
  end

  def test_trusting_only_another_ca
    err = assert_raises(NWS::TlsError) { connect(:tls, tls_ca: pem('other-ca')) }
    assert_match NOT_TRUSTED, err.message
  end

  def test_an_expired_server_certificate
    err = assert_raises(NWS::TlsError) { connect(:expired, tls_ca: pem('ca')) }
    assert_match(/certificate has expired/, err.message)
  end

  def test_a_certificate_for_another_host
    err = assert_raises(NWS::TlsError) { connect(:wronghost, tls_ca: pem('ca')) }
    assert_match(/does not match/, err.message)
  end

  def test_tls_server_name
    assert_round_trip(:wronghost, 'the name the certificate carries', tls_ca: pem('ca'), tls_server_name: 'wrong.example')
    err = assert_raises(NWS::TlsError) { connect(:tls, tls_ca: pem('ca'), tls_server_name: 'other.example') }
    assert_match(/does not match/, err.message)
  end

  # ---- 3. TLS on one side only: an error at once ----

  def assert_refused_at_once(kind, says, **opts)
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    err = assert_raises(NWS::TlsError) { connect(kind, connect_timeout: 30, **opts).list_wss }
    took = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
    assert_match says, err.message
    assert_operator took, :<, 5, "at once (#{took.round(2)} s), not after the 30 s connect timeout"
  end

  def test_a_plain_client_to_a_tls_server
    assert_refused_at_once(:tls, /requires TLS/)
  end

  def test_a_tls_client_to_a_plain_server
    assert_refused_at_once(:plain, /does not offer TLS/, tls_ca: pem('ca'))
  end

  # ---- client certificates ----

  def test_a_client_certificate
    assert_round_trip(:mutual, 'with a client certificate', tls_ca: pem('ca'), tls_cert: pem('client'),
                                                              tls_key: key('client'))
  end

  def test_no_client_certificate_or_one_from_another_ca
    [{}, { tls_cert: pem('rogue-client'), tls_key: key('rogue-client') }].each do |opts|
      err = assert_raises(NWS::TlsError, NWS::ConnectionError, opts.inspect) do
        assert_round_trip(:mutual, 'refused', tls_ca: pem('ca'), **opts)
      end
      assert_includes %w[tls connection], err.code
    end
  end

  # ---- 4. users and a token ----

  def test_the_right_password
    ws = open_ws(:users, "jobs-#{name}", user: 'producer', password: PASSWORDS['producer'])
    ws.store('job', 'one')
    assert_equal 'one', ws.find('job')
  end

  def test_refused_credentials_all_say_the_same
    messages = [
      { user: 'producer', password: 'not it' }, { user: 'nobody', password: 'any' }, {}
    ].map do |opts|
      err = assert_raises(NWS::AuthenticationError, opts.inspect) { connect(:users, **opts) }
      assert_kind_of NWS::CommunicationError, err
      assert_equal 'authentication', err.code
      assert_match(/authentication failed/, err.message)
      err.message
    end
    assert_equal 1, messages.uniq.size, "one message for a wrong password, an unknown user and none: #{messages}"
  end

  def test_the_token
    assert_round_trip(:users, 'with the token', token: TOKEN)
    err = assert_raises(NWS::AuthenticationError) { connect(:users, token: 'a wrong token') }
    assert_match(/authentication failed/, err.message)
  end

  def test_credentials_from_the_environment
    ENV['NWS_TOKEN'] = TOKEN
    assert_round_trip(:users, 'NWS_TOKEN from the environment')
  end

  def test_tls_and_a_user_together
    ws = open_ws(:both, "jobs-#{name}", tls_ca: pem('ca'), user: 'producer', password: PASSWORDS['producer'])
    ws.store('job', 'over TLS')
    assert_equal 'over TLS', ws.find('job'), 'over TLS with a user'
    assert_raises(NWS::AuthenticationError) { connect(:both, tls_ca: pem('ca'), user: 'producer', password: 'x') }
  end

  # ---- 5. permissions: refused, and the connection goes on ----

  def test_permission_denied_and_the_connection_goes_on
    jobs = "jobs-#{name}"
    producer = open_ws(:users, jobs, user: 'producer', password: PASSWORDS['producer'])
    producer.store('job', 'job 1')
    err = assert_raises(NWS::PermissionDeniedError) { producer.fetch('job', timeout: 5) }
    assert_kind_of NWS::OperationError, err
    assert_equal 'permission denied', err.code
    assert_match(/permission denied: user 'producer' may not fetch from workspace '#{jobs}'/i, err.message)
    producer.store('job', 'job 2')
    assert_equal 'job 1', producer.find('job'), 'the same connection then stores and finds'

    worker = open_ws(:users, jobs, use_only: true, user: 'worker1', password: PASSWORDS['worker1'])
    err = assert_raises(NWS::PermissionDeniedError) { worker.store('job', 'from a worker') }
    assert_match(/user 'worker1'/, err.message)
    assert_equal 'job 1', worker.fetch('job', timeout: 5), 'the same connection then fetches'
    assert_equal 'job 2', worker.fetch('job', timeout: 5)
    assert_raises(NWS::PermissionDeniedError) { worker.server.open_ws("other-#{name}") }
    assert_equal :empty, worker.fetch_try('job', :empty), 'still usable'
  end

  # ---- 6. the options' argument checks (before anything is sent) ----

  def test_wrong_types_are_invalid_arguments
    cases = {
      { tls: 'yes' } => /tls must be true or false, not a String/,
      { tls: 1 } => /tls must be true or false, not an Integer/,
      { tls_ca: 42 } => /tls_ca must be a file name \(a String or a Pathname\), not an Integer/,
      { tls_cert: [pem('client')] } => /tls_cert must be a file name/,
      { tls_key: :key } => /tls_key must be a file name/,
      { tls_server_name: :localhost } => /tls_server_name must be a String, not a Symbol/,
      { user: :producer } => /user must be a String, not a Symbol/,
      { password: 12_345_678 } => /password must be a String, not an Integer/,
      { token: { t: 1 } } => /token must be a String, not a Hash/
    }
    cases.each do |opts, says|
      [-> { NWS::Server.new(**server(:tls).address, **opts) },
       -> { NWS::NetWorkSpace.new('args', **server(:tls).address, **opts) }].each do |call|
        err = assert_raises(NWS::InvalidArgumentError, opts.inspect) { call.call }
        assert_match says, err.message
        assert_equal 'invalid argument', err.code
        refute_match(/12345678/, err.message, 'the value is not shown')
      end
    end
  end

  def test_an_unknown_option_is_ruby_s_argument_error
    err = assert_raises(ArgumentError) { NWS::Server.new(**server(:tls).address, tls_ca_file: pem('ca')) }
    assert_match(/unknown keyword: :tls_ca_file/, err.message)
    assert_raises(ArgumentError) { NWS::NetWorkSpace.new('args', **server(:tls).address, tls_ca_file: pem('ca')) }
  end
end
