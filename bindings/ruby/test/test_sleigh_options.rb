# NWS::Sleigh's worker options with a sleigh of its own: load: (files by
# path, features, and what a failed load says), redirect_output:, and a
# wait that Thread#raise interrupts (the GVL is free meanwhile).
require_relative 'sleigh_helper'

class TestSleighOptions < Minitest::Test
  BY_PATH = File.join(SleighTest::TASKS, 'by_path', 'loaded_tasks.rb')

  def sleigh
    @sleigh ||= SleighTest.start(workers: 1, load: [BY_PATH, 'no_such_feature_for_the_test'], redirect_output: true)
  end

  def teardown
    @sleigh&.stop
  end

  def test_load_requires_files_and_reports_what_failed
    assert_equal [2, 4, 6], sleigh.each_elem('ViaLoad.twice', [1, 2, 3]), 'a module known only through load:'
    err = sleigh.each_elem('NotLoadedAnywhere.f', [1]).first
    assert_kind_of NWS::Sleigh::TaskError, err
    assert_match(/loading failed: no_such_feature_for_the_test: LoadError/, err.message)
  end

  def test_redirect_output_sends_a_workers_lines_to_the_sleigh_workspace
    assert_equal ['from worker 0'], sleigh.each_elem('ViaLoad.say', ['from worker 0'])
    NWS::NetWorkSpace.open(sleigh.ws_name, host: NWSTest.host, port: NWSTest.port, use_only: true,
                                           create: false) do |ws|
      assert_equal 'from worker 0', NWSTest.poll_until(10) { ws.fetch_try('output@0') }
    end
  end

  class Stop < StandardError; end

  def test_thread_raise_interrupts_a_wait_for_results
    s = sleigh
    waiting = Thread.new do
      s.each_elem('SleighTestTasks.gated', [1])
      :returned
    rescue Stop
      :stopped
    end
    # This thread polls while the other waits: the wait does not hold the GVL.
    assert NWSTest.poll_until(30) { s.user_ws.fetch_try('started') }, 'the task started'
    waiting.raise(Stop)
    assert_equal :stopped, waiting.value
    s.user_ws.store('go', true)
    assert_equal [25], s.each_elem('SleighTestTasks.square', [5]), 'the sleigh goes on'
  end
end
