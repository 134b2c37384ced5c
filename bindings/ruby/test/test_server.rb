# NWS::Server: workspaces as a whole (list, make, delete), several
# workspaces on one connection, listings by name, ownership and
# persistence, the default server.
require_relative 'server_helper'

class TestServer < Minitest::Test
  include NWSTest::Helpers

  def test_several_workspaces_on_one_connection
    server = connect
    a = server.open_ws("#{ws_name}-a")
    b = server.open_ws("#{ws_name}-b")
    assert_same server, a.server
    assert_same server, b.server
    a.store('x', 'in a')
    b.store('x', 'in b')
    assert_equal 'in b', b.fetch('x')
    assert_equal 'in a', a.fetch('x')
    server.close
    assert a.closed? && b.closed?, 'closing the connection closes its workspaces'
    assert_raises(NWS::ClosedError) { b.store('x', 1) }
  end

  def test_list_wss
    server = connect
    mine = server.open_ws(ws_name, persistent: true)
    mine.store('v1', 1)
    mine.store('v2', 2)
    row = server.list_wss.find { |w| w.name == ws_name }
    assert row, 'the workspace is listed'
    assert row.mine
    assert row.persistent
    assert_equal 2, row.variables
    assert_equal %w[v1 v2], row.variable_names.sort
    assert_equal [ws_name], server.list_wss(ws_name).map(&:name), 'listing one workspace by name'
    assert_equal row, server.list_wss(format: :hash)[ws_name]
    line = server.list_wss(format: :text).lines.find { |l| l.start_with?(">#{ws_name}\t") }
    assert line, 'the text listing marks our workspace with >'
    other = connect
    refute other.list_wss(ws_name).first.mine, 'another connection does not own it'
    server.delete_ws(ws_name)
  end

  def test_list_vars_by_name
    server = connect
    one = server.open_ws("#{ws_name}-1")
    server.open_ws("#{ws_name}-2").store('there', 'x')
    one.store('here', 'y')
    assert_equal %w[there], server.list_vars("#{ws_name}-2").map(&:name)
    assert_equal %w[there], one.list_vars("#{ws_name}-2").map(&:name), 'a workspace lists another by name'
    assert_equal %w[here], one.list_vars.map(&:name)
    assert_equal %w[here], one.list_vars(format: :hash).keys
    assert_match(/\Ahere\t1\t0\t0\tfifo\n?\z/, one.list_vars(format: :text))
    err = assert_raises(NWS::InvalidArgumentError) { one.list_vars(format: :xml) }
    assert_match(/:rows, :hash or :text/, err.message)
  end

  def test_list_vars_of_a_workspace_not_opened_here
    open_ws("#{ws_name}-elsewhere").store('v', 1)
    server = connect
    assert_raises(NWS::NotOpenedError) { server.list_vars("#{ws_name}-elsewhere") }
  end

  def test_mktemp_ws
    server = connect
    name = server.mktemp_ws('job_%04d')
    assert_match(/\Ajob_\d{4}/, name)
    assert_equal Encoding::UTF_8, name.encoding
    row = server.list_wss(name).first
    assert row, 'mktemp_ws made the workspace'
    refute row.mine, 'made unowned'
    ws = server.open_ws(name, create: false)
    ws.store('x', 1)
    assert_equal 1, ws.fetch('x')
    refute_equal name, server.mktemp_ws('job_%04d'), 'each name is new'
    assert_kind_of String, server.mktemp_ws, 'the server has a default template'
  end

  def test_delete_ws
    server = connect
    server.open_ws(ws_name).store('x', 1)
    server.delete_ws(ws_name)
    assert_empty server.list_wss(ws_name)
    assert_raises(NWS::OperationError) { server.delete_ws(ws_name) }
    assert_raises(NWS::NoSuchWorkspaceError) { server.use_ws(ws_name, create: false) }
  end

  def test_a_blocked_fetch_ends_when_its_workspace_is_deleted
    waiter = open_ws(ws_name)
    fetcher = Thread.new do
      waiter.fetch('never', timeout: 30)
    rescue NWS::Error => e
      e
    end
    server = connect
    server.use_ws(ws_name)
    assert NWSTest.poll_until(10) { server.list_vars(ws_name).any? { |v| v.fetchers == 1 } }
    server.delete_ws(ws_name)
    assert_kind_of NWS::OperationError, fetcher.value
  end

  def test_ownership_and_persistence
    owner = connect
    owner.open_ws("#{ws_name}-kept", persistent: true).store('x', 'kept')
    owner.open_ws("#{ws_name}-gone").store('x', 'gone')
    watcher = connect
    watcher.use_ws("#{ws_name}-gone")
    owner.close
    gone = NWSTest.poll_until(10) { watcher.list_wss("#{ws_name}-gone").empty? }
    assert gone, 'a non-persistent workspace vanishes when its owner closes'
    reader = connect.use_ws("#{ws_name}-kept", create: false)
    assert_equal 'kept', reader.fetch('x', timeout: 5), 'a persistent one outlives its owner'
    connect.delete_ws("#{ws_name}-kept")
  end

  def test_use_ws_never_owns
    user = connect
    user.use_ws(ws_name).store('x', 1)
    refute user.list_wss(ws_name).first.mine
  end

  def test_block_form_closes
    kept = nil
    result = NWS::Server.connect(host: NWSTest.host, port: NWSTest.port) do |server|
      kept = server
      server.open_ws(ws_name).store('x', 'y')
      server.list_vars(ws_name).size
    end
    assert_equal 1, result
    assert kept.closed?
    kept.close # idempotent
    assert_raises(NWS::ClosedError) { kept.list_wss }
  end

  def test_the_default_server_comes_from_the_environment
    saved = ENV.values_at('NWS_HOST', 'NWS_PORT')
    ENV['NWS_HOST'] = NWSTest.host
    ENV['NWS_PORT'] = NWSTest.port.to_s
    server = NWS::Server.new
    assert_equal NWSTest.port, server.port
    server.close
    NWS::NetWorkSpace.open(ws_name) { |ws| ws.store('x', 1) }
    ENV['NWS_PORT'] = 'not a port'
    err = assert_raises(NWS::InvalidArgumentError) { NWS::Server.new }
    assert_match(/NWS_PORT/, err.message)
  ensure
    ENV['NWS_HOST'], ENV['NWS_PORT'] = saved
  end

  def test_host_port_and_inspect
    server = connect
    assert_equal NWSTest.port, server.port
    assert_equal NWSTest.host, server.host
    assert_equal "NWS::Server #{NWSTest.host}:#{NWSTest.port}", server.to_s
    ws = server.open_ws(ws_name)
    assert_equal ws_name, ws.name
    assert_equal ws_name, ws.current_ws
    assert_match(/NWS::NetWorkSpace "#{ws_name}" on /, ws.inspect)
  end
end

class TestMarshal < Minitest::Test
  include NWSTest::Helpers

  def test_a_workspace_travels_as_what_opens_it_again
    ws = open_ws(ws_name, persistent: true)
    ws.store('x', 'shared')
    copy = Marshal.load(Marshal.dump(ws))
    (@opened ||= []) << copy
    refute_same ws.server, copy.server, 'a new connection'
    assert_equal ws_name, copy.name
    assert_equal 'shared', copy.fetch('x')
    ws.server.delete_ws(ws_name)
  end

  def test_a_server_travels_as_its_address
    server = connect
    copy = Marshal.load(Marshal.dump(server))
    (@opened ||= []) << copy
    assert_equal [server.host, server.port], [copy.host, copy.port]
    refute copy.closed?
  end
end
