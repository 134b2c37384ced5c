# Starts a real nws-server on a free loopback port for the tests and stops
# it at exit.  The binary comes from $NWS_SERVER_BINARY (set by
# scripts/test-perl-ruby.sh) or `nws-server` on PATH; without one the
# tests fail rather than skip.
require 'minitest/autorun'
require 'tmpdir'
require 'nws'

module NWSTest
  def self.server_binary
    bin = ENV['NWS_SERVER_BINARY']
    bin = ENV['PATH'].to_s.split(':').map { |d| File.join(d, 'nws-server') }.find { |f| File.executable?(f) } if bin.to_s.empty?
    raise 'no nws-server: set NWS_SERVER_BINARY to the server program' unless bin

    bin
  end

  # One server per test process, started on first use.
  def self.port
    @port ||= begin
      @spool = Dir.mktmpdir('nws-spool')
      @io = IO.popen([server_binary, '--bind', '127.0.0.1', '--port', '0', '--spool-dir', @spool,
                      '--spool-threshold', '65536', '--log-level', 'warn'], 'r')
      line = @io.gets
      raise "nws-server did not start: #{line.inspect}" unless line =~ /listening on 127\.0\.0\.1:(\d+)/

      at_exit do
        Process.kill('TERM', @io.pid)
        Process.wait(@io.pid)
        FileUtils.rm_rf(@spool)
      end
      Integer(Regexp.last_match(1))
    end
  end

  # Polls the block until it is truthy or `secs` pass; returns its last result.
  def self.poll_until(secs)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + secs
    loop do
      r = yield
      return r if r || Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.01
    end
  end

  module Helpers
    def open_ws(name, **opts)
      ws = NWS::NetWorkSpace.new(name, host: '127.0.0.1', port: NWSTest.port, **opts)
      (@opened ||= []) << ws
      ws
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
