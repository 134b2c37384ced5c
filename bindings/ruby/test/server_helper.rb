# The suite's fixture: one embedded server (NWS::LocalServer) for the whole
# run, started on first use and stopped after the last test, and helpers
# that open workspaces on it and close them after each test.  Also the
# scripted peer of the race tests (tests/support/race_peer.py).
require 'minitest/autorun'
require 'nws'

module NWSTest
  # The suite's server.
  def self.server
    @server ||= NWS::LocalServer.new.tap { |s| Minitest.after_run { s.stop } }
  end

  def self.host = server.host
  def self.port = server.port

  # Polls the block until it is truthy or +secs+ pass; returns its last result.
  def self.poll_until(secs)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + secs
    loop do
      r = yield
      return r if r || Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.01
    end
  end

  # The root of the gem being tested (installed or not): lib/..
  def self.gem_root
    File.expand_path('..', File.dirname($LOADED_FEATURES.grep(%r{/nws\.rb\z}).first))
  end

  # tests/support/race_peer.py: $NWS_RACE_PEER, else from this repository.
  def self.race_peer_script
    path = ENV['NWS_RACE_PEER'].to_s
    path = File.expand_path('../../../tests/support/race_peer.py', __dir__) if path.empty?
    raise "race_peer.py not found at #{path} (set NWS_RACE_PEER)" unless File.file?(path)

    path
  end

  # The nws-server program of the standalone servers: $NWS_SERVER_BINARY,
  # else this repository's build/core/nws-server.
  def self.server_binary
    path = ENV['NWS_SERVER_BINARY'].to_s
    path = File.expand_path('../../../build/core/nws-server', __dir__) if path.empty?
    raise "no nws-server at #{path} (set NWS_SERVER_BINARY)" unless File.executable?(path)

    path
  end

  # Makes the test certificates in +dir+ (scripts/make-test-certs.sh:
  # $NWS_MAKE_TEST_CERTS, else from this repository); returns +dir+.
  def self.make_certs(dir)
    script = ENV['NWS_MAKE_TEST_CERTS'].to_s
    script = File.expand_path('../../../scripts/make-test-certs.sh', __dir__) if script.empty?
    raise "make-test-certs.sh not found at #{script} (set NWS_MAKE_TEST_CERTS)" unless File.file?(script)
    raise "make-test-certs.sh #{dir} failed" unless system('bash', script, dir)

    dir
  end

  # A users-file secret for +password+ (nws-server --hash-password).
  def self.hash_password(password)
    secret = IO.popen([server_binary, '--hash-password'], 'r+') do |io|
      io.puts password
      io.close_write
      io.read
    end
    raise "nws-server --hash-password failed: #{$?.inspect}" unless $?.success?

    secret = secret.strip
    raise "nws-server --hash-password printed #{secret.inspect}" unless secret.start_with?('SCRAM-SHA-256$')

    secret
  end

  # An nws-server process on a free loopback port with extra +flags+
  # (--tls-cert ..., --users ...), for the security tests.
  class Standalone
    attr_reader :host, :port

    def initialize(*flags)
      argv = [NWSTest.server_binary, '--bind', '127.0.0.1', '--port', '0', '--no-web', '--log-level', 'warn', *flags]
      @io = IO.popen(argv, 'r', in: File::NULL)
      # Its first line says where it listens: "nws-server listening on 127.0.0.1:PORT".
      banner = @io.gets.to_s
      unless banner =~ /listening on (\S+):(\d+)\b/
        stop
        raise "nws-server #{flags.join(' ')} did not start: it said #{banner.inspect}"
      end
      @host = Regexp.last_match(1)
      @port = Integer(Regexp.last_match(2))
    end

    # host: and port: for NWS::Server.new and NWS::NetWorkSpace.new.
    def address
      { host: @host, port: @port }
    end

    def stop
      return if @io.closed?

      begin
        Process.kill('TERM', @io.pid)
      rescue Errno::ESRCH
        # already gone
      end
      @io.close
    end
  end

  # A scripted server (race_peer.py) that interrupts the first blocking call
  # after its value arrived: it says BLOCKED when the call arrives (and
  # sends SIGINT to +signal_pid+), waits for the client's cancel, says
  # CANCELLED and sends the value anyway.
  class RacePeer
    attr_reader :port

    def initialize(value: 'arrived', signal_pid: nil, descriptor: nil)
      args = ['python3', NWSTest.race_peer_script, '--value', value]
      args += ['--descriptor', descriptor.to_s] if descriptor
      args += ['--signal-pid', signal_pid.to_s] if signal_pid
      @io = IO.popen(args, 'r')
      line = @io.gets
      raise "race_peer.py did not start: #{line.inspect}" unless line =~ /\APORT (\d+)/

      @port = Integer(Regexp.last_match(1))
    end

    # Waits for the peer to say +word+ (BLOCKED, CANCELLED); false at its end.
    def said?(word)
      while (line = @io.gets)
        return true if line.strip == word
      end
      false
    end

    def close
      Process.kill('TERM', @io.pid)
    rescue Errno::ESRCH
      # already gone
    ensure
      @io.close
    end
  end

  module Helpers
    # A workspace on the suite's server, closed after the test.
    def open_ws(name, **opts)
      ws = NWS::NetWorkSpace.new(name, host: NWSTest.host, port: NWSTest.port, **opts)
      (@opened ||= []) << ws
      ws
    end

    # A connection to the suite's server, closed after the test.
    def connect(**opts)
      server = NWS::Server.new(host: NWSTest.host, port: NWSTest.port, **opts)
      (@opened ||= []) << server
      server
    end

    def teardown
      (@opened || []).each(&:close)
    end

    # A workspace name unique to this test.
    def ws_name
      "#{self.class.name}-#{name}"
    end
  end
end
