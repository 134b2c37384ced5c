# frozen_string_literal: true

module NWS
  # Ruby objects -> a portable value (docs/values.md), through the core's
  # writer (Nws_raw::PortableWriter): this file only decides which portable
  # type an object is; the encoding and its checks are the core's.  An
  # Array whose elements are all of one type (nil: missing) is a packed
  # vector, moved with one Array#pack; any other Array is a list.
  module PortableWriter # :nodoc:
    INT64 = (-(2**63)..(2**63 - 1)).freeze
    NS = 1_000_000_000
    # How numbers are packed (little-endian, as the core takes them).
    PACK = { float64: 'E*', int64: 'q<*' }.freeze
    WHAT = 'nil, true, false, Integer (64-bit), Float, String, Time, NWS::Table, and Arrays and Hashes ' \
           '(String or Symbol keys) of them'

    module_function

    # The bytes of +value+ as a portable value; raises
    # NWS::SerialisationError saying what cannot be written and where.
    def encode(value)
      with_writer do |w|
        write(w, value, '')
        w.finish
      end
    end

    # The bytes of +values+ (an Array) as a portable list, never a packed
    # vector even when its elements are all numbers: a sleigh task's
    # argument list, which every language spreads into a call.
    def encode_list(values)
      with_writer do |w|
        w.list(values.size)
        values.each_with_index { |v, i| write(w, v, ARGUMENT[i] || "argument #{i + 1}") }
        w.finish
      end
    end

    # Where an argument is, for messages (made once: a sleigh encodes
    # many small argument lists).
    ARGUMENT = Array.new(16) { |i| "argument #{i + 1}".freeze }.freeze

    # Yields this thread's writer: one per thread, reused (finish leaves
    # it empty), as a sleigh encodes a list per element.  A writer an error
    # left holding part of a value is dropped.
    def with_writer
      w = (Thread.current[:nws_portable_writer] ||= Nws_raw::PortableWriter.new)
      yield w
    rescue Exception # rubocop:disable Lint/RescueException -- an interrupt leaves a partial value too
      Thread.current[:nws_portable_writer] = nil
      raise
    end

    def write(w, v, at)
      case v
      when nil then w.null
      when true, false then w.boolean(v)
      when Integer then w.integer(int64(v, at))
      when Float then w.real(v)
      when String then v.encoding == Encoding::BINARY ? w.bytes(v) : w.string(utf8(v, at))
      when Time then w.timestamp(nanoseconds(v, at))
      when Table then table(w, v, at)
      when Array then array(w, v, at)
      when Hash then hash(w, v, at)
      else refuse("#{article(v.class)} #{v.class}", at)
      end
    end

    def array(w, a, at)
      type = vector_type(a, at)
      return vector(w, type, a, at) if type

      w.list(a.size)
      a.each_with_index { |e, i| write(w, e, "#{at}[#{i}]") }
    end

    def hash(w, h, at)
      w.map(h.size)
      h.each do |k, v|
        w.key(key(k, at))
        write(w, v, "#{at}[#{k.inspect}]")
      end
    end

    def table(w, t, at)
      rows = t.rows
      w.table(t.size, rows)
      t.each do |name, column|
        where = "#{at} column #{name.inspect}".lstrip
        refuse("#{article(column.class)} #{column.class} as a column", where) unless column.is_a?(Array)
        bad("#{where} has #{column.size} rows, the first column #{rows}") unless column.size == rows
        w.key(key(name, at))
        # No element that is not nil tells no type: such a column is all missing.
        type = column.all?(&:nil?) ? :float64 : vector_type(column, where)
        bad("#{where} is not all Integers, Floats, booleans, Strings or Times (nil: missing)") unless type
        vector(w, type, column, where)
      end
    end

    # The vector type of an Array (:float64, :int64, :boolean, :string,
    # :timestamp), or nil when it is a list: empty, all nil, or of mixed types.
    def vector_type(a, at)
      first = a.find { |e| !e.nil? }
      case first
      when Integer, Float then numbers(a, at)
      when true, false then :boolean if a.all? { |e| e.nil? || e == true || e == false }
      when String then :string if a.all? { |e| e.nil? || (e.is_a?(String) && e.encoding != Encoding::BINARY) }
      when Time then :timestamp if a.all? { |e| e.nil? || e.is_a?(Time) }
      end
    end

    # :int64 when every element is an Integer, :float64 when one is a Float,
    # nil (a list) when one is something else.
    def numbers(a, at)
      float = false
      a.each_with_index do |e, i|
        case e
        when nil then next
        when Float then float = true
        when Integer then INT64.cover?(e) || int64(e, "#{at}[#{i}]")
        else return nil
        end
      end
      float ? :float64 : :int64
    end

    # One packed vector: the data in one pack, the missing elements (nil)
    # in a bitmap beside it.
    def vector(w, type, a, at)
      if type == :string
        w.string_vector(a.size)
        a.each_with_index { |s, i| s.nil? ? w.null : w.string(utf8(s, "#{at}[#{i}]")) }
        return
      end
      missing = a.any?(&:nil?)
      packed = case type
               when :boolean then a.map { |e| e ? 1 : 0 }.pack('C*')
               when :timestamp then a.each_with_index.map { |t, i| t.nil? ? 0 : nanoseconds(t, "#{at}[#{i}]") }.pack('q<*')
               else (missing ? a.map { |e| e.nil? ? 0 : e } : a).pack(PACK.fetch(type))
               end
      bitmap = missing ? [a.map { |e| e.nil? ? '1' : '0' }.join].pack('b*') : ''
      w.vector(type.to_s, a.size, packed, bitmap)
    end

    def int64(i, at)
      INT64.cover?(i) ? i : refuse("the Integer #{i} (beyond 64-bit signed integers)", at)
    end

    def nanoseconds(t, at)
      int64(t.to_i * NS + t.nsec, at)
    end

    # A String's UTF-8 bytes (the core checks they are valid UTF-8).
    def utf8(s, at)
      return s if s.encoding == Encoding::UTF_8 || s.encoding == Encoding::US_ASCII || s.encoding == Encoding::BINARY

      s.encode(Encoding::UTF_8)
    rescue EncodingError => e
      refuse("a String in #{s.encoding} that is not text (#{e.message})", at)
    end

    def key(k, at)
      case k
      when String then utf8(k, at)
      when Symbol then utf8(k.to_s, at)
      else refuse("a key of class #{k.class} (keys must be Strings or Symbols)", at)
      end
    end

    def article(klass)
      klass.name.to_s.match?(/\A[AEIOU]/) ? 'an' : 'a'
    end

    def refuse(what, at)
      bad("#{what}#{at.empty? ? '' : " at #{at}"} is not a portable type (portable values hold #{WHAT})")
    end

    def bad(message)
      raise SerialisationError, "portable value: #{message}"
    end
  end
end
