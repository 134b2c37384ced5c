# Iterators are Enumerators with the core's end rule: the end of a pass is
# not final, the next pass goes on from the same place.
require_relative 'server_helper'
require 'stringio'

class TestIterators < Minitest::Test
  include NWSTest::Helpers

  def test_each_goes_on_after_the_end
    ws = open_ws(ws_name)
    %w[a b].each { |v| ws.store('v', v) }
    it = ws.ifind('v')
    assert_kind_of Enumerator, it
    assert_kind_of NWS::ValueIterator, it
    assert_equal %w[a b], it.to_a
    assert_equal [], it.to_a, 'nothing new'
    ws.store('v', 'c')
    assert_equal %w[c], it.to_a, 'only what was stored since'
    assert_equal %w[a b c], it.rewind.to_a, 'rewind: from the oldest value again'
    assert_equal 3, ws.list_vars.first.values, 'ifind leaves the values'
  end

  def test_next_goes_on_after_stop_iteration
    ws = open_ws(ws_name)
    ws.store('v', 1)
    it = ws.ifind('v')
    assert_equal 1, it.peek
    assert_equal 1, it.next
    assert_raises(StopIteration) { it.next }
    assert_raises(StopIteration) { it.peek }
    ws.store('v', 2)
    assert_equal 2, it.peek
    assert_equal 2, it.next
    assert_raises(StopIteration) { it.next }
  end

  def test_ifetch_consumes
    ws = open_ws(ws_name)
    %w[a b c].each { |v| ws.store('v', v) }
    assert_equal %w[a b], ws.ifetch('v').first(2)
    assert_equal %w[c], ws.ifetch_try('v').to_a
    assert_equal 0, ws.list_vars.first.values
    assert_equal %w[], ws.ifind_try('v').to_a
  end

  def test_enumerable_methods
    ws = open_ws(ws_name)
    (1..5).each { |i| ws.store('n', i) }
    assert_equal [2, 4], ws.ifind('n').select(&:even?)
    assert_equal [[1, 0], [2, 1]], ws.ifind('n').each_with_index.first(2)
    assert_equal 15, ws.ifind('n').sum
  end

  def test_blocking_steps_wait_and_time_out
    ws = open_ws(ws_name)
    ws.store('v', 1)
    it = ws.ifind('v', wait: true, timeout: 0.3)
    assert_equal 1, it.next
    assert_raises(NWS::TimeoutError) { it.next }
    other = open_ws(ws_name, use_only: true)
    waiter = Thread.new { ws.ifetch('w', wait: true, timeout: 20).first(2) }
    assert NWSTest.poll_until(10) { other.list_vars.any? { |v| v.name == 'w' && v.fetchers == 1 } }
    other.store('w', 'x')
    other.store('w', 'y')
    assert_equal %w[x y], waiter.value
  end

  def test_write_to
    ws = open_ws(ws_name)
    ws.store('v', 'one')
    ws.store('v', [2])
    it = ws.ifind('v')
    out = StringIO.new(+''.b)
    assert_equal 3, it.write_to(out)
    assert_equal Marshal.dump([2]).bytesize, it.write_to(out)
    assert_nil it.write_to(out)
    assert_equal "one#{Marshal.dump([2])}".b, out.string
  end

  def test_inspect
    assert_match(/NWS::ValueIterator "v" on "#{ws_name}"/, open_ws(ws_name).ifind('v').inspect)
  end
end
