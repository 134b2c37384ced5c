# Blocking calls release the GVL and are interruptible: Ctrl-C (SIGINT)
# and Thread#raise withdraw the request, so a value stored afterwards goes
# to the next fetcher, and the connection stays usable.
require_relative 'server_helper'

class TestInterrupt < Minitest::Test
  include NWSTest::Helpers

  def blocked?(watch, var)
    watch.list_vars.any? { |v| v.name == var && v.fetchers == 1 }
  end

  def test_other_threads_run_while_fetch_blocks
    ws = open_ws(ws_name)
    watch = open_ws(ws_name, use_only: true)
    fetcher = Thread.new { ws.fetch('v') }
    # This thread polls and stores while the fetcher blocks: the GVL is free.
    assert NWSTest.poll_until(10) { blocked?(watch, 'v') }, 'the fetch is blocked at the server'
    watch.store('v', 'released')
    assert_equal 'released', fetcher.value
  end

  def test_ctrl_c_interrupts_a_blocking_fetch
    ws = open_ws(ws_name)
    watch = open_ws(ws_name, use_only: true)
    sender = Thread.new do
      Process.kill('INT', Process.pid) if NWSTest.poll_until(10) { blocked?(watch, 'v') }
    end
    interrupted = begin
      ws.fetch('v')
      false
    rescue Interrupt
      true
    end
    sender.join
    assert interrupted, 'Ctrl-C raised Interrupt'
    assert NWSTest.poll_until(10) { watch.list_vars.any? { |v| v.name == 'v' && v.fetchers.zero? } }
    watch.store('v', 'after')
    assert_equal 'after', watch.fetch_try('v'), 'a value stored after the interrupt goes to the next fetcher'
    watch.store('v', 'again')
    assert_equal 'again', ws.fetch('v', timeout: 5), 'the interrupted connection still works'
  end

  class Stop < StandardError; end

  def test_thread_raise_interrupts_a_blocking_find_and_iterator
    ws = open_ws(ws_name)
    watch = open_ws(ws_name, use_only: true)
    [-> { ws.find('w') }, -> { ws.ifetch('w', wait: true).next }].each do |call|
      t = Thread.new do
        call.call
        :returned
      rescue Stop
        :stopped
      end
      assert NWSTest.poll_until(10) { watch.list_vars.any? { |v| v.name == 'w' && (v.fetchers + v.finders) == 1 } }
      t.raise(Stop)
      assert_equal :stopped, t.value
      assert NWSTest.poll_until(10) { watch.list_vars.any? { |v| v.name == 'w' && (v.fetchers + v.finders).zero? } }
    end
  end
end

# Non-blocking calls also release the GVL: a thread queued behind another
# thread's blocking fetch on the same connection must not freeze the others.
class TestGvlWhileQueued < Minitest::Test
  include NWSTest::Helpers

  def test_call_queued_behind_a_blocking_fetch_does_not_hold_the_gvl
    ws = open_ws(ws_name)
    watch = open_ws(ws_name, use_only: true)
    fetcher = Thread.new { ws.fetch('v', timeout: 20) }
    assert NWSTest.poll_until(10) { watch.list_vars.any? { |v| v.name == 'v' && v.fetchers == 1 } }
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    queued = Thread.new { ws.list_vars.size }   # waits for the fetch's hold on the connection
    NWSTest.poll_until(5) { queued.status == 'sleep' || !queued.alive? }
    watch.store('v', 'go')                      # needs the GVL while `queued` waits
    assert_equal 'go', fetcher.value
    assert_equal 1, queued.value
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :<, 10
  end
end
