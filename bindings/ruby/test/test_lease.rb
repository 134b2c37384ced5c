# Leased fetch (reliable consume): NWS::NetWorkSpace#lease and #lease_try,
# and NWS::Lease, against a real server.  No test sleeps in the hope that
# something happened: waiting is done by blocking calls (an expired lease's
# value reaches another connection's blocking fetch) or by polling what the
# server says.
require_relative 'server_helper'
require 'rbconfig'

class TestLease < Minitest::Test
  include NWSTest::Helpers

  def setup
    @ws = open_ws(ws_name)
    @other = open_ws(ws_name, use_only: true) # another connection
  end

  def test_lease_then_ack_the_value_is_gone
    @ws.store('a', 'job')
    lease = @ws.lease('a', duration: 30)
    assert_instance_of NWS::Lease, lease
    assert_equal 'job', lease.value
    assert_equal 'a', lease.variable
    assert_kind_of Integer, lease.id
    assert_same @ws, lease.workspace
    refute lease.settled?
    assert_nil @other.fetch_try('a'), 'while leased the value is out of its variable'
    assert_nil lease.ack
    assert lease.settled?
    assert_nil @ws.fetch_try('a'), 'after ack the value is gone'
    err = assert_raises(NWS::InvalidArgumentError) { lease.ack }
    assert_match(/settled already/, err.message)
  end

  def test_values_decode_as_fetch_does
    @ws.store('a', { list: [1, 2] })
    @ws.store('a', 'text')
    @ws.store('a', 'bytes'.b)
    assert_equal({ list: [1, 2] }, @ws.lease('a').tap(&:ack).value)
    text = @ws.lease('a').tap(&:ack).value
    assert_equal ['text', Encoding::UTF_8], [text, text.encoding]
    assert_equal Encoding::BINARY, @ws.lease('a').tap(&:ack).value.encoding
  end

  def test_release_puts_the_value_back_at_the_head
    (1..3).each { |i| @ws.store('q', i) }
    lease = @ws.lease('q')
    assert_equal 1, lease.value
    lease.release
    assert lease.settled?
    assert_equal [1, 2, 3], Array.new(3) { @ws.fetch('q') }, 'fifo order kept'

    @ws.declare('s', :lifo)
    (1..3).each { |i| @ws.store('s', i) }
    lease = @ws.lease_try('s')
    assert_equal 3, lease.value
    lease.release
    assert_equal [3, 2, 1], Array.new(3) { @ws.fetch('s') }, 'back on top of the lifo'
  end

  def test_lease_try
    assert_nil @ws.lease_try('none')
    assert_nil @ws.lease_try('none', duration: 5)
    yielded = false
    assert_nil(@ws.lease_try('none') { yielded = true })
    refute yielded, 'no value: the block is not called'

    @ws.store('t', 'x')
    lease = @ws.lease_try('t', duration: 5)
    assert_equal 'x', lease.value
    lease.ack

    @ws.store('t', 'y')
    assert_equal 'Y', @ws.lease_try('t') { |v, l| (l.is_a?(NWS::Lease) && v.upcase) }
    assert_nil @ws.fetch_try('t'), 'the block form of lease_try acks'
  end

  def test_ack_store_stores_and_acks_in_one_step
    @ws.store('in', 'task 1')
    lease = @ws.lease('in')
    assert_nil lease.ack_store('out', { done: lease.value })
    assert lease.settled?
    assert_nil @ws.fetch_try('in')
    assert_equal({ done: 'task 1' }, @ws.fetch('out'), 'by Marshal, as store writes it')

    @ws.store('in', 'task 2')
    @ws.lease('in').ack_store('out', [1, 2, 3], portable: true)
    assert Nws_raw.is_portable(@ws.native.find_try('out').descriptor), 'portable: true writes a portable value'
    assert_equal [1, 2, 3], @ws.fetch('out')

    portable = open_ws(ws_name, use_only: true, portable: true)
    portable.store('in', 'task 3')
    portable.lease('in').ack_store('out', { 'n' => 1 })
    assert Nws_raw.is_portable(portable.native.find_try('out').descriptor), "the workspace's portable setting"
    assert_equal({ 'n' => 1 }, portable.fetch('out'))
  end

  def test_expiry_gives_the_value_to_a_blocking_fetch
    @ws.store('e', 'expiring')
    lease = @ws.lease('e', duration: 0.2)
    assert_equal 'expiring', @other.fetch('e', timeout: 30), "an expired lease's value reaches a blocking fetch"
    err = assert_raises(NWS::LeaseLostError) { lease.ack }
    assert_kind_of NWS::OperationError, err
    assert_equal 'lease lost', err.code
    assert_match(/expired/, err.message)
    assert lease.settled?, 'a lost lease counts as settled'

    # A blocking lease gets the value an expired lease gave back.
    @ws.store('b', 'again')
    first = @ws.lease('b', duration: 0.2)
    second = @other.lease('b', timeout: 30)
    assert_equal 'again', second.value
    second.ack
    assert_raises(NWS::LeaseLostError) { first.release }
  end

  def test_renew
    @ws.store('r', 'long task')
    lease = @ws.lease('r', duration: 0.3)
    assert_nil lease.renew(60)
    assert_raises(NWS::TimeoutError, 'renewed: the value does not come back after the first duration') do
      @other.fetch('r', timeout: 1)
    end
    refute lease.settled?
    lease.ack
    assert_nil @ws.fetch_try('r')
  end

  def test_block_form_acks_on_normal_exit
    @ws.store('w', 10)
    got = nil
    result = @ws.lease('w', duration: 30) do |v, l|
      got = l
      v * 2
    end
    assert_equal 20, result
    assert got.settled?
    assert_nil @ws.fetch_try('w')

    @ws.store('w', 'broken out')
    broke = @ws.lease('w') { |v| break v.upcase }
    assert_equal 'BROKEN OUT', broke
    assert_nil @ws.fetch_try('w'), 'break ends the block normally: acked'
  end

  class WorkerFailed < StandardError; end

  def test_block_form_releases_on_an_exception
    @ws.store('w', 'first')
    @ws.store('w', 'second')
    err = assert_raises(WorkerFailed) { @ws.lease('w') { raise WorkerFailed, 'boom' } }
    assert_equal 'boom', err.message
    assert_equal 'first', @ws.fetch('w'), 'released: the value is back at the head'
    assert_equal 'second', @ws.fetch('w')

    # An exception that is not a StandardError (Interrupt, say) too.
    @ws.store('w', 'v')
    assert_raises(Interrupt) { @ws.lease('w') { raise Interrupt } }
    assert_equal 'v', @ws.fetch_try('w')
  end

  def test_block_that_settles_the_lease_itself
    @ws.store('w', 'task')
    result = @ws.lease('w') do |v, l|
      l.ack_store('w-out', v.upcase)
      :stored
    end
    assert_equal :stored, result
    assert_equal 'TASK', @ws.fetch('w-out')
    assert_nil @ws.fetch_try('w')

    @ws.store('w', 'give back')
    @ws.lease('w') { |_, l| l.release }
    assert_equal 'give back', @ws.fetch_try('w'), 'released by the block: nothing more done'

    @ws.store('w', 'slow')
    assert_raises(NWS::LeaseLostError, 'the ack of a lease that expired in the block') do
      @ws.lease('w', duration: 0.2) { @other.fetch('w', timeout: 30) }
    end
  end

  def test_a_killed_holder_gives_its_value_back_exactly_once
    @ws.store('job', 'job 1')
    @ws.store('job', 'job 2')
    child = <<~'RUBY'
      require 'nws'
      name, host, port = ARGV
      ws = NWS::NetWorkSpace.new(name, host: host, port: Integer(port), use_only: true)
      lease = ws.lease('job', duration: 600)
      $stdout.puts "HOLDING #{lease.value}"
      $stdout.flush
      sleep
    RUBY
    lib = File.dirname($LOADED_FEATURES.grep(%r{/nws\.rb\z}).first)
    ext = File.dirname($LOADED_FEATURES.grep(%r{/nws_raw\.(so|bundle)\z}).first)
    reader, writer = IO.pipe
    pid = Process.spawn(RbConfig.ruby, '-I', lib, '-I', ext, '-e', child, ws_name, NWSTest.host, NWSTest.port.to_s,
                        out: writer, in: File::NULL)
    writer.close
    begin
      line = IO.select([reader], nil, nil, 30) && reader.gets
      assert_equal "HOLDING job 1\n", line, 'the child holds a lease on the first value'
      assert_equal 1, @ws.list_vars(format: :hash)['job'].values, 'the held value is out of its variable'
    ensure
      Process.kill('KILL', pid)
      _, status = Process.wait2(pid)
      reader.close
    end
    assert_equal Signal.list['KILL'], status.termsig, 'the child was killed holding the lease'
    assert_equal 'job 1', @other.fetch('job', timeout: 30), "the killed holder's value goes back"
    assert_equal 'job 2', @other.fetch_try('job'), 'exactly once: next comes the second value'
    assert_nil @other.fetch_try('job')
  end

  def test_closing_the_holders_connection_gives_the_value_back
    @ws.store('c', 'closing')
    holder = open_ws(ws_name, use_only: true)
    lease = holder.lease('c')
    holder.close
    assert_equal 'closing', @other.fetch('c', timeout: 30)
    assert_raises(NWS::ClosedError) { lease.ack }
  end

  def test_a_lease_garbage_collected_unsettled_gives_its_value_back
    @ws.store('g', 'forgotten')
    Thread.new { @ws.lease('g').value }.join
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    assert_equal 'forgotten', @other.fetch('g', timeout: 30)
  end

  def test_other_threads_run_while_a_lease_waits_and_thread_raise_interrupts_it
    leaser = Thread.new { @ws.lease('v', timeout: 30) { |v| v } }
    assert NWSTest.poll_until(10) { @other.list_vars.any? { |v| v.name == 'v' && v.fetchers == 1 } }
    @other.store('v', 'released')
    assert_equal 'released', leaser.value
    assert_nil @other.fetch_try('v')

    stop = Class.new(StandardError)
    t = Thread.new do
      @ws.lease('v')
      :returned
    rescue stop
      :stopped
    end
    assert NWSTest.poll_until(10) { @other.list_vars.any? { |v| v.name == 'v' && v.fetchers == 1 } }
    t.raise(stop)
    assert_equal :stopped, t.value
    @other.store('v', 'after')
    assert_equal 'after', @other.fetch_try('v'), 'the request was withdrawn: a later value goes to the next fetcher'
  end

  def test_timeout
    assert_raises(NWS::TimeoutError) { @ws.lease('empty', timeout: 0.2) }
  end

  def test_bad_arguments_are_refused_before_anything_is_sent
    @ws.store('x', 'kept')
    [0, -1, 1e10, Float::INFINITY, Float::NAN, 'soon', [1], Complex(1, 1)].each do |d|
      assert_raises(NWS::InvalidArgumentError, "lease duration #{d.inspect}") { @ws.lease('x', duration: d) }
      assert_raises(NWS::InvalidArgumentError, "lease_try duration #{d.inspect}") { @ws.lease_try('x', duration: d) }
    end
    assert_match(/1 ms/, assert_raises(NWS::InvalidArgumentError) { @ws.lease('x', duration: 0) }.message)
    assert_raises(NWS::InvalidArgumentError) { @ws.lease(nil) }
    assert_raises(NWS::InvalidArgumentError) { @ws.lease('x', timeout: -1) }
    assert_raises(NWS::InvalidArgumentError) { @ws.lease('x', timeout: 'soon') }
    assert_raises(ArgumentError) { @ws.lease('x', durations: 5) }
    assert_raises(ArgumentError) { @ws.lease_try('x', timeout: 1) }
    assert_equal 'kept', @ws.find_try('x'), 'nothing was leased by the refused calls'

    lease = @ws.lease('x')
    [0, -5, 'later', nil].each do |d|
      assert_raises(NWS::InvalidArgumentError, "renew(#{d.inspect})") { lease.renew(d) }
    end
    assert_raises(NWS::InvalidArgumentError) { lease.ack_store(nil, 1) }
    assert_raises(NWS::SerialisationError) { lease.ack_store('y', -> {}) }
    refute lease.settled?, 'the lease is still held after the refused calls'
    lease.release
    assert_equal 'kept', @ws.fetch_try('x')
  end
end
