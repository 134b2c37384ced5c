# A sleigh on a server that wants TLS and a token: the master connects
# with them, and its Ruby workers get the same settings through their
# environment (never their command lines).
require_relative 'sleigh_helper'
require 'tmpdir'
require 'fileutils'

class TestSleighSecurity < Minitest::Test
  TOKEN = 'sleigh-token-0123456789abcdef'.freeze

  def test_workers_connect_with_the_masters_tls_and_token
    Dir.mktmpdir('nws-ruby-sleigh-tls') do |dir|
      certs = NWSTest.make_certs(File.join(dir, 'certs'))
      File.write(File.join(dir, 'token'), "#{TOKEN}\n")
      server = NWSTest::Standalone.new('--tls-cert', File.join(certs, 'server.pem'), '--tls-key',
                                       File.join(certs, 'server.key'), '--token-file', File.join(dir, 'token'))
      begin
        NWS::Sleigh.open(workers: 2, module_path: SleighTest::TASKS, tls_ca: File.join(certs, 'ca.pem'),
                         token: TOKEN, **server.address) do |s|
          assert s.status(timeout: 60).closed?
          assert_equal (0...10).map { |x| x * x }, s.each_elem('SleighTestTasks.square', 0...10)
          s.user_ws.store('x', 'through TLS')
          assert_equal 'through TLS', s.user_ws.fetch('x')
          s.worker_info.each do |i|
            env = File.binread("/proc/#{i[:pid]}/environ").split("\0")
            assert_includes env, "NWS_TOKEN=#{TOKEN}"
            assert_includes env, 'NWS_TLS=1'
            refute_includes File.binread("/proc/#{i[:pid]}/cmdline"), TOKEN
          end
        end
      ensure
        server.stop
      end
    end
  end
end
