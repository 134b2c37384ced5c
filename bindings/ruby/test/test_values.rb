# Value encoding: UTF-8 text and binary strings go direct with the right
# encodings; other objects by Marshal; a large value; a value written by
# another language raises an error naming it.
require_relative 'server_helper'

class TestValues < Minitest::Test
  include NWSTest::Helpers

  def test_utf8_text_round_trip
    ws = open_ws(ws_name)
    text = "Grüße, 日本語 ✓"
    ws.store('t', text)
    back = ws.fetch('t')
    assert_equal text, back
    assert_equal Encoding::UTF_8, back.encoding
  end

  def test_other_encodings_are_stored_as_utf8
    ws = open_ws(ws_name)
    ws.store('t', 'café'.encode(Encoding::ISO_8859_1))
    assert_equal 'café', ws.fetch('t')
  end

  def test_binary_round_trip
    ws = open_ws(ws_name)
    bin = (0..255).map(&:chr).join.b
    ws.store('b', bin)
    back = ws.fetch('b')
    assert_equal bin, back
    assert_equal Encoding::BINARY, back.encoding
  end

  def test_objects_by_marshal
    ws = open_ws(ws_name)
    data = { list: [1, 2.5, { deep: 'yes' }], nil: nil, sym: :s }
    ws.store('r', data)
    assert_equal data, ws.fetch('r')
    ws.store('n', nil)
    assert_nil ws.fetch('n')
    ws.store('i', 2**70)
    assert_equal 2**70, ws.fetch('i')
  end

  def test_large_value
    ws = open_ws(ws_name)
    large = Array.new(3 * 1024 * 1024 + 17) { |i| (i * 7 % 256).chr }.join.b
    ws.store('big', large)
    assert ws.fetch('big') == large
  end

  def test_foreign_value_names_the_language
    ws = open_ws(ws_name)
    raw = ws.native
    raw.store('py', 1 << 24, "\x80\x04K\x01.".b)
    err = assert_raises(NWS::SerialisationError) { ws.fetch('py') }
    assert_match(/Python/, err.message)
    assert_equal 'Python', err.language
    assert_equal "\x80\x04K\x01.".b, err.bytes
    raw.store('pl', 4 << 24, 'pst0'.b)
    assert_match(/Perl/, assert_raises(NWS::SerialisationError) { ws.find('pl') }.message)
    raw.store('pystr', (1 << 24) | 1, 'from python')
    assert_equal 'from python', ws.fetch('pystr')
  end
end
