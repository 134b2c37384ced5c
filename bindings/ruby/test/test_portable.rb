# Portable values (docs/values.md): every type round-trips through a real
# server, missing elements, NWS::Table and Time, what stays a plain string,
# the workspace's default, errors for what a portable value cannot hold
# (nothing stored), an unreadable portable value, and a 1-million element
# float64 vector.
require_relative 'server_helper'

class TestPortable < Minitest::Test
  include NWSTest::Helpers

  RUBY = NWS::LANGUAGES.fetch(:ruby)
  PORTABLE = Nws_raw.portable_descriptor(RUBY)
  TS = Time.at(1_796_572_474, 123_456_789, :nsec).utc

  def setup
    @ws = open_ws(ws_name)
  end

  def round_trip(value)
    @ws.store('v', value, portable: true)
    @ws.fetch('v')
  end

  def descriptor_of(value, **opts)
    @ws.store('d', value, **opts)
    @ws.native.fetch_try('d').descriptor
  end

  def bits(f) = [f].pack('G').unpack1('H*')
  def f64(hex) = [hex].pack('H16').unpack1('G')

  def test_scalars
    assert_nil round_trip(nil)
    assert_equal true, round_trip(true)
    assert_equal false, round_trip(false)
    assert_equal(-1_234_567_890_123, round_trip(-1_234_567_890_123))
    assert_equal 2**63 - 1, round_trip(2**63 - 1)
    assert_equal(-2**63, round_trip(-2**63))
    assert_equal 3.25, round_trip(3.25)
    assert_equal '8000000000000000', bits(round_trip(-0.0)), '-0.0 keeps its sign'
    assert_equal '7ff8000000000001', bits(round_trip(f64('7ff8000000000001'))), 'a NaN keeps its payload'
    assert_equal Float::INFINITY, round_trip(Float::INFINITY)
    text = round_trip('héllo ✓')
    assert_equal ['héllo ✓', Encoding::UTF_8], [text, text.encoding]
    bytes = round_trip("\x00\xfe".b)
    assert_equal ["\x00\xfe".b, Encoding::BINARY], [bytes, bytes.encoding]
  end

  def test_strings_stay_plain_and_the_rest_is_portable
    text = (RUBY << NWS::LANGUAGE_SHIFT) | NWS::DIRECT_STRING
    assert Nws_raw.is_portable(PORTABLE)
    assert_equal text, descriptor_of('text', portable: true), 'a String stays direct'
    assert_equal text | NWS::BINARY, descriptor_of("\xff".b, portable: true), 'a binary String too'
    assert_equal PORTABLE, descriptor_of(42, portable: true)
    assert_equal PORTABLE, descriptor_of([1], portable: true)
    assert_equal RUBY << NWS::LANGUAGE_SHIFT, descriptor_of([1]), 'not asked: Marshal'
  end

  def test_containers
    list = [1, 'two', 3.5, nil, true, [], {}]
    assert_equal list, round_trip(list)
    map = { 'alpha' => 1, 'β' => 'b', 'nested' => { 'list' => [1, ['x', false]], 'empty' => [] } }
    assert_equal map, round_trip(map)
    assert_equal({ 'a' => 1, 'b' => 2 }, round_trip({ a: 1, 'b' => 2 }), 'Symbol keys read as Strings')
    assert_equal [], round_trip([])
    assert_equal [nil, nil], round_trip([nil, nil])
    assert_equal ['a', 1], round_trip(['a', 1])
    assert_equal ['a', 'b'.b], round_trip(['a', 'b'.b]), 'text and bytes: a list'
  end

  def test_vectors
    assert_equal [1, -2, 2**40, -(2**53)], round_trip([1, -2, 2**40, -(2**53)])
    assert_equal [1.5, 2.0, -3.0], round_trip([1.5, 2, -3]), 'Floats and Integers: float64'
    assert_equal [true, false, nil, true], round_trip([true, false, nil, true])
    assert_equal ['a', 'β', '', nil], round_trip(['a', 'β', '', nil])
    assert_equal [1, nil, 3], round_trip([1, nil, 3])
    assert_equal [nil, 2.5, nil], round_trip([nil, 2.5, nil])
    every_third = Array.new(21) { |i| (i % 3).zero? ? nil : i }
    assert_equal every_third, round_trip(every_third), 'a bitmap of several bytes'
    assert_equal [TS, nil, Time.at(0).utc], round_trip([TS, nil, Time.at(0)])
    assert_equal [1, 2, 3], NWS::PortableReader.decode(NWS::PortableWriter.encode([1, 2, 3])), 'without a server'
  end

  def test_another_languages_int32_vector
    w = Nws_raw::PortableWriter.new
    w.table(1, 3)
    w.key('n')
    w.vector('int32', 3, [1, 0, -2_147_483_647].pack('l<*'), ['010'].pack('b*'))
    @ws.native.store('i32', Nws_raw.portable_descriptor(NWS::LANGUAGES.fetch(:python)), w.finish)
    assert_equal NWS::Table.new('n' => [1, nil, -2_147_483_647]), @ws.fetch('i32'), 'read as Integers, one missing'
  end

  def test_times
    back = round_trip(Time.at(1_796_572_474, 123_456_789, :nsec).localtime('+05:00'))
    assert_equal TS, back
    assert back.utc?, 'read in UTC'
    assert_equal 123_456_789, back.nsec, 'nanoseconds kept'
    assert_equal Time.at(-1, 999_999_999, :nsec), round_trip(Time.at(-1, 999_999_999, :nsec)), 'before the epoch'
  end

  def test_tables
    table = NWS::Table.new('x' => [1.5, 2.5, nil], n: [1, 2, 3], 's' => ['a', nil, 'c'], 'b' => [true, false, true],
                           't' => [TS, TS, nil], 'empty' => [nil, nil, nil])
    back = round_trip(table)
    assert_instance_of NWS::Table, back
    assert_equal %w[x n s b t empty], back.keys, 'the columns keep their order'
    assert_equal 3, back.rows
    assert_equal({ 'x' => [1.5, 2.5, nil], 'n' => [1, 2, 3], 's' => ['a', nil, 'c'], 'b' => [true, false, true],
                   't' => [TS, TS, nil], 'empty' => [nil, nil, nil] }, back.to_h)
    assert_equal 0, round_trip(NWS::Table.new).size
    assert_instance_of Hash, round_trip({ 'x' => [1, 2] }), 'a Hash of Arrays is a map'
  end

  def test_the_workspace_default
    ws = open_ws(ws_name, portable: true)
    assert ws.portable
    ws.store('w', { 'a' => [1, 2] })
    assert_equal PORTABLE, ws.native.fetch_try('w').descriptor
    ws.store('w', { 'a' => [1, 2] }, portable: false)
    assert_equal RUBY << NWS::LANGUAGE_SHIFT, ws.native.fetch_try('w').descriptor, 'portable: false: Marshal'
    ws.portable = false
    ws.store('w', [1])
    assert_equal RUBY << NWS::LANGUAGE_SHIFT, ws.native.fetch_try('w').descriptor
    refute @ws.portable, 'off by default'
  end

  def test_reading_is_automatic
    @ws.store('it', [1.5, 2.5], portable: true)
    @ws.store('it', { 'k' => 'v' }, portable: true)
    assert_equal [[1.5, 2.5], { 'k' => 'v' }], @ws.ifind('it').to_a
    assert_equal [1.5, 2.5], @ws.find_try('it')
  end

  def test_what_a_portable_value_cannot_hold
    cycle = []
    cycle << cycle
    deep = []
    300.times.reduce(deep) { |a, _| (a << []).last }
    {
      :symbol => /a Symbol/,
      Object.new => /an Object/,
      { 'a' => [1, { 'b' => 1..2 }] } => /a Range at \["a"\]\[1\]\["b"\]/,
      { 1 => 2 } => /a key of class Integer/,
      2**64 => /18446744073709551616/,
      [1, 2**63] => /9223372036854775808/,
      Time.at(2**40) => /beyond 64-bit/,
      NWS::Table.new('c' => [[1], [2]]) => /column "c"/,
      NWS::Table.new('a' => [1], 'b' => [1, 2]) => /column "b" has 2 rows/,
      cycle => /deeper than 256/,
      deep => /deeper than 256/
    }.each do |value, says|
      err = assert_raises(NWS::SerialisationError) { @ws.store('bad', value, portable: true) }
      assert_match says, err.message
      assert_match(/variable 'bad' in workspace/, err.message)
    end
    assert_nil @ws.find_try('bad'), 'nothing was stored'
  end

  def test_an_unreadable_portable_value
    @ws.native.store('broken', PORTABLE, "\xc1NP\x01\xc1".b)
    err = assert_raises(NWS::SerialisationError) { @ws.fetch('broken') }
    assert_match(/variable 'broken'/, err.message)
    assert_equal "\xc1NP\x01\xc1".b, err.bytes
  end

  def test_a_million_floats
    big = Array.new(1_000_000) { |i| i * 0.5 }
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    @ws.store('big', big, portable: true)
    t1 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    back = @ws.fetch('big')
    t2 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal 1_000_000, back.size
    assert back.pack('E*') == big.pack('E*'), 'every element'
    puts format("\n1M float64: store %.2f s, fetch %.2f s", t1 - t0, t2 - t1) if ENV['NWS_TEST_TIMES']
  end
end
