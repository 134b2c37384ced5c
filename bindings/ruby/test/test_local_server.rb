# NWS::LocalServer: a server inside this process.
require_relative 'server_helper'
require 'socket'

class TestLocalServer < Minitest::Test
  def test_start_with_a_block_stops_it
    kept = nil
    value = NWS::LocalServer.start do |srv|
      kept = srv
      assert srv.running?
      assert_equal '127.0.0.1', srv.host
      assert_operator srv.port, :>, 0, 'port 0 picked a free port'
      assert_equal "127.0.0.1:#{srv.port}", srv.address
      NWS::NetWorkSpace.open('demo', host: srv.host, port: srv.port) do |ws|
        ws.store('x', [1, 2])
        ws.fetch('x')
      end
    end
    assert_equal [1, 2], value
    refute kept.running?
    kept.stop # idempotent
    assert_raises(NWS::ConnectionError) { NWS::Server.new(host: kept.host, port: kept.port) }
  end

  def test_connect_and_two_servers
    a = NWS::LocalServer.new
    b = NWS::LocalServer.new
    refute_equal a.port, b.port
    a.connect do |server|
      server.open_ws('only-on-a').store('x', 1)
      assert_equal ['only-on-a'], server.list_wss('only-on-a').map(&:name)
    end
    b.connect { |server| assert_empty server.list_wss('only-on-a') }
  ensure
    a&.stop
    b&.stop
  end

  def test_stop_ends_blocked_clients
    srv = NWS::LocalServer.new
    ws = NWS::NetWorkSpace.new('w', host: srv.host, port: srv.port)
    fetcher = Thread.new do
      ws.fetch('never')
    rescue NWS::Error => e
      e
    end
    watch = srv.connect
    watch.use_ws('w')
    assert NWSTest.poll_until(10) { watch.list_vars('w').any? { |v| v.fetchers == 1 } }
    srv.stop
    assert_kind_of NWS::CommunicationError, fetcher.value
  end

  def test_a_connection_can_stop_it_when_it_closes
    srv = NWS::LocalServer.new
    server = NWS::Server.new(host: srv.host, port: srv.port, kill_server_on_close: true)
    server.open_ws('x')
    assert srv.running?
    server.close
    assert NWSTest.poll_until(10) { !srv.running? }, 'kill_server_on_close stopped the server'
  ensure
    srv&.stop
  end

  def test_a_port_in_use_and_bad_ports
    busy = TCPServer.new('127.0.0.1', 0)
    err = assert_raises(NWS::ConnectionError) { NWS::LocalServer.new(port: busy.addr[1]) }
    assert_match(/#{busy.addr[1]}/, err.message)
    assert_raises(NWS::InvalidArgumentError) { NWS::LocalServer.new(port: 70_000) }
    assert_raises(NWS::InvalidArgumentError) { NWS::LocalServer.new(port: -1) }
  ensure
    busy&.close
  end
end
