# Errors and timeouts; close twice; use after close raises, never crashes.
require_relative 'server_helper'
require 'socket'
require 'stringio'

class TestErrors < Minitest::Test
  include NWSTest::Helpers

  def test_connection_refused
    server = TCPServer.new('127.0.0.1', 0)
    port = server.addr[1]
    server.close
    err = assert_raises(NWS::ConnectionError) { NWS::NetWorkSpace.new('x', host: '127.0.0.1', port: port) }
    assert_equal 'connection', err.code
    assert_match(/\ANWS error \(connection\): /, err.to_s)
  end

  def test_timeouts
    ws = open_ws(ws_name)
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(NWS::TimeoutError) { ws.fetch('none', timeout: 0.3) }
    took = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
    assert_operator took, :>=, 0.25
    assert_operator took, :<, 5
    assert_raises(NWS::TimeoutError) { ws.find('none', timeout: 0) }
    ws.store('none', 'now')
    assert_equal 'now', ws.fetch('none', timeout: 5)
    assert_equal 0, ws.list_vars.first.fetchers
  end

  def test_bad_timeout
    ws = open_ws(ws_name)
    assert_raises(NWS::InvalidArgumentError) { ws.fetch('x', timeout: -1) }
    assert_raises(NWS::InvalidArgumentError) { ws.fetch('x', timeout: 'soon') }
  end

  def test_close_twice_and_use_after_close
    ws = open_ws(ws_name)
    ws.close
    ws.close
    assert ws.closed?
    calls = {
      store: -> { ws.store('a', 1) }, fetch: -> { ws.fetch('a') }, find: -> { ws.find('a') },
      fetch_try: -> { ws.fetch_try('a') }, find_try: -> { ws.find_try('a') },
      declare: -> { ws.declare('a', :fifo) }, delete_var: -> { ws.delete_var('a') },
      list_vars: -> { ws.list_vars }, ifetch: -> { ws.ifetch('a').to_a }, ifind: -> { ws.ifind('a').to_a },
      store_file: -> { ws.store_file('a', StringIO.new('x')) }, fetch_file: -> { ws.fetch_file('a', StringIO.new) },
      list_wss: -> { ws.server.list_wss }, open_ws: -> { ws.server.open_ws('b') },
      mktemp_ws: -> { ws.server.mktemp_ws }, delete_ws: -> { ws.server.delete_ws('b') }
    }
    calls.each do |name, call|
      err = assert_raises(NWS::ClosedError, "#{name} after close") { call.call }
      assert_equal 'closed', err.code
    end
  end
end
