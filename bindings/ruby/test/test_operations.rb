# Every workspace operation, and the modes, against a real server.
require_relative 'server_helper'

class TestOperations < Minitest::Test
  include NWSTest::Helpers

  def test_store_fetch_find_and_try_variants
    ws = open_ws(ws_name)
    ws.store('a', 'one')
    ws.store('a', 'two')
    assert_equal 'one', ws.find('a')
    assert_equal 'one', ws.find_try('a')
    assert_equal 'one', ws.fetch('a')
    assert_equal 'two', ws.fetch_try('a')
    assert_nil ws.fetch_try('a')
    assert_equal :dflt, ws.fetch_try('a', :dflt)
    assert_equal 42, ws.find_try('missing', 42)
  end

  def test_open_with_a_block_closes
    kept = nil
    result = NWS::NetWorkSpace.open(ws_name, host: '127.0.0.1', port: NWSTest.port) do |ws|
      kept = ws
      ws.store('x', 'y')
      ws.fetch('x')
    end
    assert_equal 'y', result
    assert kept.closed?
  end

  def test_list_vars_and_delete_var
    ws = open_ws(ws_name)
    ws.store('b', 'x')
    ws.store('c', 'y')
    ws.store('c', 'z')
    vars = ws.list_vars.to_h { |v| [v.name, v] }
    assert_equal %w[b c], vars.keys.sort
    assert_equal 2, vars['c'].values
    assert_equal 'fifo', vars['c'].mode
    assert_equal 0, vars['c'].fetchers
    ws.delete_var('c')
    assert_equal %w[b], ws.list_vars.map(&:name)
  end

  def test_second_connection_sees_the_workspace
    ws = open_ws(ws_name)
    other = open_ws(ws_name, use_only: true)
    ws.store('v', 'shared')
    assert_equal 'shared', other.fetch('v')
  end

  def test_modes
    ws = open_ws(ws_name)
    ws.declare('f', :fifo)
    ws.declare('l', :lifo)
    ws.declare('s', :single)
    ws.declare('m', 'multi')
    %w[f l s m].each { |v| (1..3).each { |i| ws.store(v, i) } }
    assert_equal [1, 2, 3], Array.new(3) { ws.fetch('f') }
    assert_equal [3, 2, 1], Array.new(3) { ws.fetch('l') }
    assert_equal 3, ws.fetch('s')
    assert_nil ws.fetch_try('s')
    assert_equal [1, 2, 3], Array.new(3) { ws.fetch('m') }.sort
  end

  def test_declaring_another_mode_fails
    ws = open_ws(ws_name)
    ws.declare('f', :fifo)
    ws.declare('f', :fifo)
    err = assert_raises(NWS::DeclarationFailedError) { ws.declare('f', :lifo) }
    assert_equal 'declaration failed', err.code
    assert_kind_of StandardError, err
  end

  def test_iterators_are_enumerators
    ws = open_ws(ws_name)
    %w[a b c].each { |v| ws.store('v', v) }
    finder = ws.ifind('v')
    assert_kind_of Enumerator, finder
    assert_equal %w[a b c], finder.to_a
    assert_equal 3, ws.list_vars.first.values
    assert_equal %w[a b], ws.ifind('v').first(2)
    assert_equal %w[a b c], ws.ifetch('v').to_a
    assert_equal 0, ws.list_vars.first.values
  end

  def test_blocking_iterator_steps_and_times_out
    ws = open_ws(ws_name)
    ws.store('v', 1)
    en = ws.ifetch('v', wait: true, timeout: 0.3)
    assert_equal 1, en.next
    assert_raises(NWS::TimeoutError) { en.next }
  end
end
