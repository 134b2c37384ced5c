# The sleigh's faults with real Ruby workers: a worker SIGKILLed in the
# middle of a job (every element gets exactly one result, the dead
# worker's tasks run again on the others), and stop (no worker process is
# left, as the process table shows).
require_relative 'sleigh_helper'

class TestSleighFaults < Minitest::Test
  # [rank, x, pid] of every task that started, as the tasks recorded them.
  def started(ws, seen)
    while (record = ws.fetch_try('started'))
      seen << record
    end
    seen
  end

  def test_sigkill_of_a_worker_mid_job_every_result_exactly_once
    s = SleighTest.start(workers: 3)
    begin
      pids = s.worker_info.to_h { |i| [i[:rank], i[:pid]] }
      user = s.user_ws
      seen = []
      results = Hash.new { |h, k| h[k] = [] }
      job = Thread.new do
        s.each_elem('SleighTestTasks.gated', 0...30, chunk_size: 2) { |value, index, rank| results[index] << [value, rank] }
      end
      assert NWSTest.poll_until(60) { started(user, seen).map(&:first).uniq.sort == [0, 1, 2] },
             "a task on every worker (started: #{seen.inspect})"
      victim = 1
      on_victim = seen.select { |rank, _, _| rank == victim }.map { |_, x, _| x }
      refute_empty on_victim
      Process.kill('KILL', pids[victim])
      assert NWSTest.poll_until(10) { s.workers_alive == 2 }, 'the master sees the death'
      user.store('go', true)
      assert_equal 30, job.value
      # Each element's result arrived exactly once, right, from a live worker.
      assert_equal (0...30).to_a, results.keys.sort
      results.each do |x, got|
        assert_equal 1, got.size, "element #{x}: #{got.inspect}"
        assert_equal x * 10, got[0][0]
        refute_equal victim, got[0][1], "element #{x} came from the dead worker" if on_victim.include?(x)
      end
      # The dead worker's tasks ran again elsewhere.
      started(user, seen)
      on_victim.each do |x|
        assert seen.any? { |rank, y, _| y == x && rank != victim }, "element #{x} ran again on another worker"
      end
      # The sleigh goes on without it.
      assert_equal (0...10).map { |x| x * x }, s.each_elem('SleighTestTasks.square', 0...10)
      assert_equal [0, 2], s.each_worker('SleighTestTasks.who_am_i').map(&:first)
    ensure
      s.stop
    end
  end

  def test_stop_leaves_no_worker_process
    s = SleighTest.start(workers: 2)
    ws = s.ws_name
    pids = s.worker_info.map { |i| i[:pid] }
    assert_equal pids.sort, SleighTest.processes_of(ws).sort
    assert_equal [4, 9], s.each_elem('SleighTestTasks.square', [2, 3])
    s.stop
    assert s.stopped?
    assert NWSTest.poll_until(10) { pids.none? { |p| SleighTest.alive?(p) } && SleighTest.processes_of(ws).empty? },
           "every worker gone from the process table (left: #{SleighTest.processes_of(ws)})"
    s.stop # idempotent
  end

  def test_open_stops_at_the_end_of_the_block_also_on_an_exception
    ws = nil
    pids = nil
    assert_raises(RuntimeError) do
      NWS::Sleigh.open(workers: 1, host: NWSTest.host, port: NWSTest.port, module_path: SleighTest::TASKS) do |s|
        ws = s.ws_name
        s.status(timeout: 60)
        pids = s.worker_info.map { |i| i[:pid] }
        raise 'out of the block'
      end
    end
    assert_equal 1, pids.size
    assert NWSTest.poll_until(10) { !SleighTest.alive?(pids[0]) && SleighTest.processes_of(ws).empty? }
  end
end
