# NWS::Sleigh against the suite's server with real Ruby workers: each form
# of each_elem, each_worker, errors, names, status and worker_info.
require_relative 'sleigh_helper'
require 'stringio'

class TestSleigh < Minitest::Test
  def sleigh
    SleighTest.shared
  end

  def test_each_elem_keeps_types_and_order_over_24_elements
    elements = [0, 7, -5, 2**40, 1.5, -0.25, 1e300, 'text', 'ünïcödé', "\xff\x00".b, [1, 2, 3], [1.5, 2],
                %w[a b], [1, 'a', nil], { 'a' => 1, 'b' => [true, false] }, { k: 'symbol key' }, nil, true,
                false, [], {}, [[1], [2]], -(2**63), 2**63 - 1]
    assert_operator elements.size, :>=, 20
    expected = elements.map do |e|
      e = e.transform_keys(&:to_s) if e.is_a?(Hash)
      [e.class.name, e]
    end
    got = sleigh.each_elem('SleighTestTasks.typed', elements)
    assert_equal expected, got
    assert_equal Encoding::BINARY, got[9][1].encoding, 'a binary String stays binary'
    assert_equal Encoding::UTF_8, got[8][1].encoding
  end

  def test_each_elem_in_element_order_with_fixed_args_and_splat
    assert_equal (1000...1100).to_a, sleigh.each_elem('SleighTestTasks.add', 0...100, fixed_args: [1000])
    pairs = (0...30).map { |i| [i, i * 2] }
    assert_equal pairs.map(&:sum), sleigh.each_elem('SleighTestTasks.add', pairs, splat: true)
    assert_equal [[[1, 2], 'x']], sleigh.each_elem('SleighTestTasks.echo', [[1, 2]], fixed_args: ['x']),
                 'without splat an Array element is one argument'
    assert_equal (0...200).map { |x| x * x }, sleigh.each_elem('SleighTestTasks.square', 0...200, chunk_size: 7)
    assert_equal [], sleigh.each_elem('SleighTestTasks.square', [])
  end

  def test_block_form_yields_each_result_once_as_it_arrives
    seen = Hash.new { |h, k| h[k] = [] }
    ranks = []
    count = sleigh.each_elem('SleighTestTasks.square', 0...50, chunk_size: 1) do |value, index, rank|
      seen[index] << value
      ranks << rank
    end
    assert_equal 50, count
    assert_equal (0...50).to_a, seen.keys.sort
    seen.each { |i, values| assert_equal [i * i], values }
    assert ranks.all? { |r| [0, 1].include?(r) }, "ranks #{ranks.uniq}"
  end

  def test_lazy_enumerator_streams_an_endless_input_in_order
    e = sleigh.each_elem_lazy('SleighTestTasks.square', 1..Float::INFINITY)
    assert_kind_of Enumerator, e
    assert_equal [1, 4, 9, 16, 25], e.first(5)
    assert_equal 1, e.next
    assert_equal 4, e.next
    finite = sleigh.each_elem('SleighTestTasks.add', 0...40, fixed_args: [1], lazy: true, load_factor: 1)
    assert_equal 40, finite.size
    assert_equal (1..40).to_a, finite.to_a
  end

  def test_async_job_runs_in_the_background
    job = sleigh.each_elem('SleighTestTasks.square', 0...60, async: true, chunk_size: 1, load_factor: 1)
    assert_kind_of NWS::Sleigh::Job, job
    assert_equal 60, job.size
    assert_operator job.remaining, :>, 0, 'one chunk per worker at a time: not all done at once'
    assert NWSTest.poll_until(60) { job.done? }, 'the job finishes while nobody waits on it'
    assert_equal 0, job.remaining
    assert_equal (0...60).map { |x| x * x }, job.value
    assert_same job.value, job.wait
  end

  def test_each_worker_runs_once_on_every_worker
    pids = sleigh.worker_info.map { |i| i[:pid] }
    who = sleigh.each_worker('SleighTestTasks.who_am_i')
    assert_equal [[0, pids[0]], [1, pids[1]]], who
    assert_equal [0, 1], sleigh.each_worker('SleighTestTasks.remember', 'state')
    assert_equal ['state'] * 10, sleigh.each_elem('SleighTestTasks.remembered', 0...10),
                 'what each_worker left on every worker is there for later tasks'
  end

  def test_a_task_that_raises_fails_alone
    r = sleigh.each_elem('SleighTestTasks.fail_on_multiples_of', 0...10, fixed_args: [3])
    [0, 3, 6, 9].each do |i|
      err = r[i]
      assert_kind_of NWS::Sleigh::TaskError, err
      assert_equal i, err.index
      assert_includes [0, 1], err.rank
      assert_equal 'ArgumentError', err.remote_class
      assert_match(/no multiples of 3, please: #{i}/, err.message)
      assert err.remote_backtrace.any? { |l| l.include?('sleigh_test_tasks.rb') }, err.message
    end
    assert_equal [1, 2, 4, 5, 7, 8], r.each_index.reject { |i| (i % 3).zero? }.map { |i| r[i] }
    err = assert_raises(NWS::Sleigh::TaskError) do
      sleigh.each_elem('SleighTestTasks.fail_on_multiples_of', 1..10, fixed_args: [5], errors: :raise)
    end
    assert_equal 4, err.index
    job = sleigh.each_elem('SleighTestTasks.fail_on_multiples_of', 1..6, fixed_args: [3], async: true, errors: :raise)
    assert NWSTest.poll_until(30) { job.done? }, 'done? takes failed tasks without raising'
    assert_equal 2, assert_raises(NWS::Sleigh::TaskError) { job.value }.index
  end

  def test_names_are_checked_and_resolved_with_clear_errors
    err = assert_raises(NWS::InvalidArgumentError) { sleigh.each_elem('square', [1]) }
    assert_match(/Module\.method/, err.message)
    assert_raises(NWS::InvalidArgumentError) { sleigh.each_elem('stats.square', [1]) }
    assert_raises(NWS::InvalidArgumentError) { sleigh.each_elem_lazy('Stats:square', [1]) }
    missing = sleigh.each_elem('NoSuchTasks.square', [1, 2])
    missing.each do |e|
      assert_kind_of NWS::Sleigh::TaskError, e
      assert_match(/cannot resolve the task NoSuchTasks\.square/, e.message)
      assert_match(/require 'no_such_tasks'/, e.message)
    end
    hidden = sleigh.each_elem('SleighTestTasks.hidden', [1]).first
    assert_match(/SleighTestTasks has no public method hidden/, hidden.message)
  end

  def test_values_that_cannot_travel
    err = sleigh.each_elem('SleighTestTasks.unportable', [1]).first
    assert_kind_of NWS::Sleigh::TaskError, err
    assert_match(/cannot travel/, err.message)
    assert_raises(NWS::SerialisationError) { sleigh.each_elem('SleighTestTasks.square', [Object.new]) }
    assert_equal [4], sleigh.each_elem('SleighTestTasks.square', [2]), 'the sleigh goes on'
  end

  def test_status_and_worker_info
    st = sleigh.status
    assert_equal 2, st.workers
    assert st.closed?
    info = sleigh.worker_info
    assert_equal [0, 1], info.map { |i| i[:rank] }
    info.each do |i|
      assert SleighTest.alive?(i[:pid])
      assert_equal "Ruby #{RUBY_VERSION}", i[:language]
      assert_equal NWS::VERSION, i[:nws]
    end
    assert_equal 'ruby', sleigh.language
    # Joined (the group is closed) comes before the master hears each worker is ready.
    assert NWSTest.poll_until(10) { sleigh.workers_alive == 2 }, "workers alive: #{sleigh.workers_alive}"
    assert_equal [info.map { |i| i[:pid] }.sort], [SleighTest.processes_of(sleigh.ws_name).sort]
  end

  def test_progress_display
    out = StringIO.new
    sleigh.each_elem('SleighTestTasks.square', 0...20, progress: out)
    assert_match %r{\reach_elem SleighTestTasks\.square: 20/20 \(100%\) \d+\.\d s\n\z}, out.string
  end

  def test_user_workspace_is_shared_with_the_workers
    sleigh.user_ws.store('note', 'from the master')
    got = sleigh.each_worker('SleighTestTasks.who_am_i')
    assert_equal 2, got.size
    assert_equal 'from the master', sleigh.user_ws.fetch('note')
  end

  def test_options_are_checked_before_anything_starts
    assert_raises(ArgumentError) { NWS::Sleigh.new(launch: :teleport) }
    assert_raises(ArgumentError) { NWS::Sleigh.new(colour: 'red') }
    err = assert_raises(NWS::InvalidArgumentError) { NWS::Sleigh.new(language: :cobol) }
    assert_match(/python, r, java, perl or ruby/, err.message)
    assert_raises(ArgumentError) { sleigh.each_elem('SleighTestTasks.square', [1], lazy: true, async: true) }
    assert_raises(NWS::InvalidArgumentError) { sleigh.each_elem('SleighTestTasks.square', [1], chunk_size: 0) }
  end
end
