# Bad arguments get the core's NWS::InvalidArgumentError and message, the
# same as in every language, before anything is sent.
require_relative 'server_helper'

class TestArguments < Minitest::Test
  include NWSTest::Helpers

  NIL_NAME = 'the variable name is missing (null): pass a string'.freeze
  UNKNOWN_MODE = "unknown mode 'stack': use fifo, lifo, multi or single".freeze

  def test_a_nil_name_is_refused_and_nothing_is_stored
    ws = open_ws(ws_name)
    calls = {
      store: -> { ws.store(nil, 'x') }, fetch: -> { ws.fetch(nil) }, find: -> { ws.find(nil, timeout: 30) },
      fetch_try: -> { ws.fetch_try(nil) }, find_try: -> { ws.find_try(nil) }, declare: -> { ws.declare(nil, :fifo) },
      delete_var: -> { ws.delete_var(nil) }, ifetch: -> { ws.ifetch(nil) }, ifind: -> { ws.ifind(nil, wait: true) },
      store_file: -> { ws.store_file(nil, StringIO.new('x')) }, fetch_file: -> { ws.fetch_file(nil, StringIO.new) }
    }
    calls.each do |what, call|
      err = assert_raises(NWS::InvalidArgumentError, what) { call.call }
      assert_equal "NWS error (invalid argument): #{NIL_NAME}", err.message, what
      assert_equal 'invalid argument', err.code
      assert_equal(-1, err.status)
    end
    assert_empty ws.list_vars, 'nothing was stored under an empty name'
  end

  def test_nil_workspace_names
    server = connect
    %i[open_ws use_ws delete_ws list_vars].each do |call|
      err = assert_raises(NWS::InvalidArgumentError, call) { server.public_send(call, nil) }
      assert_match(/the workspace name is missing \(null\)/, err.message)
    end
    assert_raises(NWS::InvalidArgumentError) { NWS::NetWorkSpace.new(nil, host: NWSTest.host, port: NWSTest.port) }
  end

  def test_an_unknown_mode_is_refused_before_anything_is_sent
    ws = open_ws(ws_name)
    err = assert_raises(NWS::InvalidArgumentError) { ws.declare('q', 'stack') }
    assert_equal "NWS error (invalid argument): #{UNKNOWN_MODE}", err.message
    assert_raises(NWS::InvalidArgumentError) { ws.declare('q', :unknown) }
    assert_match(/mode is missing/, assert_raises(NWS::InvalidArgumentError) { ws.declare('q', nil) }.message)
    assert_empty ws.list_vars, 'no declare reached the server'
  end

  def test_arguments_are_checked_before_the_connection_is_used
    ws = open_ws(ws_name)
    ws.close
    # A closed connection would raise ClosedError for anything sent.
    assert_raises(NWS::InvalidArgumentError) { ws.store(nil, 1) }
    assert_raises(NWS::InvalidArgumentError) { ws.declare('q', 'stack') }
    assert_raises(NWS::InvalidArgumentError) { ws.fetch('q', timeout: -1) }
    assert_raises(NWS::ClosedError) { ws.store('q', 1) }
  end

  def test_ports
    err = assert_raises(NWS::InvalidArgumentError) { NWS::Server.new(host: '127.0.0.1', port: 0) }
    assert_equal 'NWS error (invalid argument): port must be a whole number from 1 to 65535, not 0', err.message
    assert_raises(NWS::InvalidArgumentError) { NWS::Server.new(port: 65_536) }
    assert_raises(NWS::InvalidArgumentError) { NWS::Server.new(port: 80.5) }
    assert_raises(NWS::InvalidArgumentError) { NWS::NetWorkSpace.new('x', port: 'eighty') }
    assert_equal NWSTest.port, NWS::Server.connect(host: NWSTest.host, port: NWSTest.port.to_s, &:port)
  end

  def test_connect_timeouts
    err = assert_raises(NWS::InvalidArgumentError) { NWS::Server.new(port: NWSTest.port, connect_timeout: 0) }
    assert_match(/connect timeout must be a number of seconds > 0, not 0/, err.message)
    assert_raises(NWS::InvalidArgumentError) { NWS::Server.new(port: NWSTest.port, connect_timeout: -1) }
    assert_equal NWSTest.port, NWS::Server.connect(host: NWSTest.host, port: NWSTest.port, connect_timeout: 2.5, &:port)
  end

  def test_timeouts
    ws = open_ws(ws_name)
    err = assert_raises(NWS::InvalidArgumentError) { ws.fetch('x', timeout: -1) }
    assert_match(/timeout must be a number of seconds >= 0/, err.message)
    assert_raises(NWS::InvalidArgumentError) { ws.find('x', timeout: Float::NAN) }
    assert_raises(NWS::InvalidArgumentError) { ws.fetch('x', timeout: 'soon') }
    assert_raises(NWS::InvalidArgumentError) { ws.ifetch('x', wait: true, timeout: -2).next }
    ws.store('x', 'now')
    assert_equal 'now', ws.fetch('x', timeout: Float::INFINITY), '+inf waits for ever'
  end
end
