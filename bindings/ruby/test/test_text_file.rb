# makefile: a variable as a file of text lines.
require_relative 'server_helper'

class TestTextFile < Minitest::Test
  include NWSTest::Helpers

  def test_write_then_read
    ws = open_ws(ws_name)
    out = ws.makefile('log', 'w')
    out.write("one\ntw")
    out.puts('o', 'three')
    out.print('four')
    out << ' and a half'
    out.close
    assert out.closed?
    assert_equal ["one\n", "two\n", "three\n", 'four and a half'], ws.ifind('log').to_a
    reader = ws.makefile('log')
    assert_equal "one\n", reader.gets
    assert_equal 't', reader.read(1)
    assert_equal ["wo\n", "three\n", 'four and a half'], reader.readlines
    assert reader.eof?
    assert_nil reader.gets
    assert_raises(EOFError) { reader.readline }
    ws.store('log', "\nfive\n")
    assert_equal "\n", reader.gets, 'values stored later are read too'
    assert_equal "five\n", reader.read
    assert_raises(IOError) { reader.write('x') }
  end

  def test_write_mode_empties_and_append_mode_keeps
    ws = open_ws(ws_name)
    ws.store('log', "old\n")
    ws.makefile('log', 'a').tap { |f| f.puts('more') }.close
    assert_equal %W[old\n more\n], ws.ifind('log').to_a
    ws.makefile('log', 'w').tap { |f| f.puts('new') }.close
    assert_equal %W[new\n], ws.makefile('log').each_line.to_a
    assert_raises(NWS::InvalidArgumentError) { ws.makefile('log', 'rb') }
  end
end
