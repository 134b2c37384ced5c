# The file operations: a value's bytes from and to files, pipes and
# in-memory IO objects.
require_relative 'server_helper'
require 'stringio'
require 'tempfile'

class TestFiles < Minitest::Test
  include NWSTest::Helpers

  def bytes(n)
    Array.new(n) { |i| (i * 31 % 256).chr }.join.b
  end

  def tempfile(content)
    f = Tempfile.new('nws', binmode: true)
    f.write(content)
    f.flush
    f.rewind
    f
  end

  def test_regular_files_both_ways
    ws = open_ws(ws_name)
    data = bytes(3 * 1024 * 1024 + 5)
    src = tempfile(data)
    assert_equal data.bytesize, ws.store_file('f', src)
    assert_equal data.bytesize, src.pos, 'the file is read to its end'
    back = ws.find('f')
    assert back == data, 'the file is the value'
    assert_equal Encoding::BINARY, back.encoding, 'stored as a binary string'
    out = Tempfile.new('out', binmode: true)
    out.write('head:')
    assert_equal data.bytesize, ws.find_file('f', out)
    out.write(':tail')
    out.flush
    assert File.binread(out.path) == "head:#{data}:tail".b, 'written at the position, buffers flushed'
    assert_equal data.bytesize, ws.fetch_file('f', out, timeout: 5)
    assert_nil ws.fetch_try_file('f', out)
    assert_nil ws.find_try_file('f', out)
  ensure
    [src, out].compact.each(&:close!)
  end

  def test_store_file_from_the_position_and_at_most_n
    ws = open_ws(ws_name)
    src = tempfile("line one\nthe rest\n")
    assert_equal "line one\n", src.gets
    assert_equal 9, ws.store_file('rest', src), 'from what Ruby has read, not what it buffered'
    assert_equal "the rest\n", ws.fetch('rest')
    assert_equal 0, ws.store_file('rest', src), 'nothing left: nothing stored'
    assert_nil ws.fetch_try('rest')
    src.rewind
    assert_equal 4, ws.store_file('head', src, 4)
    assert_equal 'line'.b, ws.fetch('head')
    assert_raises(NWS::InvalidArgumentError) { ws.store_file('x', src, -1) }
  ensure
    src&.close!
  end

  def test_pipes_both_ways
    ws = open_ws(ws_name)
    data = bytes(200_000) # more than a pipe holds: the ends run concurrently
    r, w = IO.pipe
    writer = Thread.new do
      w.write(data)
      w.close
    end
    assert_equal data.bytesize, ws.store_file('p', r)
    writer.join
    r.close
    r, w = IO.pipe
    reader = Thread.new { r.binmode.read }
    w.write('>') # buffered by Ruby: flushed before the value's bytes
    assert_equal data.bytesize, ws.fetch_file('p', w, timeout: 5)
    w.close
    assert reader.value == ">#{data}".b, 'the pipe got what was written, then the value'
  ensure
    [r, w].compact.each { |io| io.close unless io.closed? }
  end

  def test_in_memory_io
    ws = open_ws(ws_name)
    assert_equal 5, ws.store_file('s', StringIO.new('hello'))
    out = StringIO.new(+'')
    assert_equal 5, ws.find_try_file('s', out)
    assert_equal 5, ws.fetch_file('s', out)
    assert_equal 'hellohello', out.string
    assert_nil ws.fetch_try_file('s', out)
  end

  def test_file_forms_write_any_value_raw
    ws = open_ws(ws_name)
    ws.store('text', 'Grüße')
    ws.store('obj', [1, 2])
    out = StringIO.new(+''.b)
    assert_equal 'Grüße'.bytesize, ws.fetch_file('text', out)
    assert_equal 'Grüße'.b, out.string
    assert_equal Marshal.dump([1, 2]).bytesize, ws.fetch_file('obj', StringIO.new)
  end

  def test_blocking_file_forms_wait_and_time_out
    ws = open_ws(ws_name)
    out = StringIO.new
    assert_raises(NWS::TimeoutError) { ws.fetch_file('none', out, timeout: 0.2) }
    other = open_ws(ws_name, use_only: true)
    waiter = Thread.new { ws.find_file('later', out, timeout: 20) }
    assert NWSTest.poll_until(10) { other.list_vars.any? { |v| v.name == 'later' && v.finders == 1 } }
    other.store('later', 'now')
    assert_equal 3, waiter.value
    assert_equal 'now', out.string
  end
end
