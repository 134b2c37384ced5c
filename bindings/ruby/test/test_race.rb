# An interrupt that comes after the value arrived keeps both: the
# interrupt is raised (Interrupt for Ctrl-C, or what Thread#raise sent) and
# carries the value (NWS::ArrivedValue#nws_value).  Deterministic: the
# scripted peer (tests/support/race_peer.py) sends the value only after the
# client withdrew its request because of the interrupt.
require_relative 'server_helper'
require 'stringio'

class TestRace < Minitest::Test
  class Stop < StandardError; end

  def with_peer(**opts)
    peer = NWSTest::RacePeer.new(**opts)
    ws = NWS::NetWorkSpace.new('race', host: '127.0.0.1', port: peer.port)
    yield ws, peer
  ensure
    ws&.close
    peer&.close
  end

  # Runs +call+ in a thread, Thread#raise-s Stop into it once the peer has
  # the blocking request; returns the exception the thread ended with.
  def raised_in_thread(peer, &call)
    t = Thread.new do
      call.call
      nil
    rescue Stop => e
      e
    end
    assert peer.said?('BLOCKED'), 'the call reached the peer'
    t.raise(Stop)
    t.value
  end

  def test_ctrl_c_after_the_value_arrived_keeps_both
    with_peer(value: 'arrived', signal_pid: Process.pid) do |ws, peer|
      interrupt = begin
        ws.fetch('v')
        nil
      rescue Interrupt => e
        e
      end
      assert_kind_of Interrupt, interrupt, 'Ctrl-C is raised, not swallowed'
      assert_kind_of NWS::ArrivedValue, interrupt
      assert_equal 'arrived', interrupt.nws_value, 'the value is not lost'
      assert peer.said?('BLOCKED')
      assert peer.said?('CANCELLED'), 'the interrupt withdrew the request'
    end
  end

  def test_thread_raise_after_the_value_arrived_keeps_both
    with_peer(value: 'Grüße') do |ws, peer|
      e = raised_in_thread(peer) { ws.find('v') }
      assert_instance_of Stop, e, 'the exception Thread#raise sent'
      assert_equal 'Grüße', e.nws_value
      assert_equal Encoding::UTF_8, e.nws_value.encoding
      assert peer.said?('CANCELLED')
    end
  end

  def test_a_blocking_iterator_step_keeps_both
    with_peer(value: 'step') do |ws, peer|
      it = ws.ifind('v', wait: true)
      e = raised_in_thread(peer) { it.next }
      assert_instance_of Stop, e
      assert_equal 'step', e.nws_value
    end
  end

  def test_a_file_form_keeps_both
    with_peer(value: 'to the file') do |ws, peer|
      r, w = IO.pipe
      e = raised_in_thread(peer) { ws.fetch_file('v', w) }
      w.close
      assert_instance_of Stop, e
      assert_equal 'to the file'.bytesize, e.nws_value, 'the bytes were written: nws_value counts them'
      assert_equal 'to the file', r.read
    ensure
      [r, w].compact.each { |io| io.close unless io.closed? }
    end
  end

  def test_an_unreadable_value_still_raises_the_interrupt
    marshal = NWS::LANGUAGES[:ruby] << NWS::LANGUAGE_SHIFT
    with_peer(value: 'not marshal', descriptor: marshal) do |ws, peer|
      e = raised_in_thread(peer) { ws.fetch('v') }
      assert_instance_of Stop, e, 'the interrupt comes first'
      err = assert_raises(NWS::SerialisationError) { e.nws_value }
      assert_equal 'not marshal'.b, err.bytes, 'the raw bytes are kept'
    end
  end
end
