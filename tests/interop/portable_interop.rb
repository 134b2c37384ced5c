# Ruby's side of the portable interop matrix (portable_cases.md), loaded by
# interop.rb:
#   PortableInterop.pwrite(ws, cases_file, report)          store every case Ruby writes
#   PortableInterop.pread(ws, writer, cases_file, report)   check every case +writer+ stored
# Each case is built natively here; a reader compares what it read with its
# own build of the case: classes exactly, floats by their bits (NaN, -0.0),
# strings with their encoding (text UTF-8, bytes BINARY).
module PortableInterop
  ME = 'Ruby'
  TS = Time.utc(2026, 12, 6, 15, 54, 34, 123_456)

  module_function

  def f64(hex) = [hex].pack('H16').unpack1('G') # a Float from its bits, in hex

  # The cases as Ruby writes them, and as Ruby expects to read them.
  def cases
    {
      'null' => nil,
      'true' => true,
      'small_int' => 42,
      'int' => -1_234_567_890_123,
      'real' => 3.25,
      'string' => 'héllo, wörld ✓ 你好',
      'bytes' => "\x00\x01\xfe\xff".b,
      'list' => [1, 'two', 3.5, nil, true],
      'map' => { 'alpha' => 1, 'beta' => 'b', 'gamma' => 2.5 },
      'nested' => { 'empty_list' => [], 'empty_map' => {}, 'inner' => [1, ['x', true]] },
      'f64vec' => [1.5, f64('c000000000000000'), f64('7ff8000000000000'), f64('7ff0000000000000'),
                   f64('fff0000000000000'), f64('8000000000000000')],
      'i64vec' => [1, -2, 2**40, -(2**53)],
      'i64big' => [2**62, 1],
      'i32vec' => [1, -2, 2_147_483_647, -2_147_483_647],
      'boolvec' => [true, false, true],
      'strvec' => ['a', 'β', ''],
      'missing' => [1, nil, 3],
      'timestamp' => TS,
      'tsvec' => [Time.at(0).utc, TS],
      'table' => NWS::Table.new('x' => [1.5, 2.5, 3.5], 'n' => [1, 2, 3], 's' => %w[a b c], 'b' => [true, false, true])
    }
  end

  # [[case, not written by, read error in], ...] from the markdown table.
  def read_cases_file(path)
    File.readlines(path, encoding: 'UTF-8').filter_map do |line|
      next unless line.start_with?('| ') && !line.start_with?('| case ')

      cells = line.strip.delete_prefix('|').delete_suffix('|').split('|', -1).map(&:strip)
      names = ->(cell) { cell.to_s.split(',').map(&:strip).reject(&:empty?) }
      [cells[0], names.(cells[2]), names.(cells[3])]
    end
  end

  def same?(got, want)
    return false unless got.instance_of?(want.class)

    case want
    when Float then [got].pack('E') == [want].pack('E')
    when Array then got.size == want.size && got.zip(want).all? { |g, w| same?(g, w) }
    when NWS::Table then got.keys == want.keys && want.all? { |k, v| same?(got[k], v) }
    when Hash then got.keys.sort == want.keys.sort && want.all? { |k, v| same?(got[k], v) }
    when String then got.encoding == want.encoding && got == want
    else got == want
    end
  end

  # Stores every case Ruby writes; one line per case; false if one failed.
  def pwrite(ws, cases_file, report)
    mine = cases
    all_ok = true
    read_cases_file(cases_file).each do |name, not_written, _|
      next if not_written.include?(ME)

      what = "#{ME} writes the portable #{name}"
      ok = mine.key?(name)
      begin
        ws.store("#{ME}_p_#{name}", mine[name], portable: true) if ok
        report.(ok, ok ? what : "#{what}: no such case here")
      rescue StandardError => e
        ok = false
        report.(false, "#{what}: #{e.class}: #{e.message}")
      end
      all_ok &&= ok
    end
    all_ok
  end

  # Checks every case +writer+ stored; one line per case.
  def pread(ws, writer, cases_file, report)
    mine = cases
    absent = Object.new
    read_cases_file(cases_file).each do |name, not_written, read_error|
      var = "#{writer}_p_#{name}"
      what = "#{ME} reads #{writer}'s portable #{name}"
      begin
        if not_written.include?(writer)
          report.(ws.find_try(var, absent).equal?(absent), "#{what}: #{writer} has no such value, nothing stored")
        elsif read_error.include?(ME)
          begin
            got = ws.find(var, timeout: 10)
            report.(false, "#{what}: expected an error, read #{got.inspect}")
          rescue NWS::SerialisationError => e
            report.(true, "#{what}: refused (#{e.message})")
          end
        elsif !mine.key?(name)
          report.(false, "#{what}: no such case here")
        else
          got = ws.find(var, timeout: 10)
          report.(same?(got, mine[name]), "#{what} (got #{got.inspect})")
        end
      rescue StandardError => e
        report.(false, "#{what}: #{e.class}: #{e.message}")
      end
    end
  end
end
