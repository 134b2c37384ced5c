# NWS - Ruby client for NetWorkSpaces.
#
#   require 'nws'
#   NWS::NetWorkSpace.open('work', host: 'localhost', port: 8765) do |ws|
#     ws.store('x', 'hello')                 # strings go direct
#     ws.store('h', { a: [1, 2] })           # other objects by Marshal
#     ws.fetch('x', timeout: 5)
#   end
#
# The SWIG extension (nws_raw) is an implementation detail; this file is the
# API.  Strings: ASCII-8BIT (binary) strings are stored as direct binary and
# come back ASCII-8BIT; any other string is stored as UTF-8 text and comes
# back UTF-8.  Other objects are stored by Marshal under Ruby's language id.
# Blocking calls release the GVL; Ctrl-C (or Thread#raise) interrupts them
# and the request is withdrawn at the server.
require 'nws/errors'
require 'nws_raw'

module NWS
  VERSION = '0.1.0'
  LANG_RUBY = 5
  DIRECT_STRING = 0x1
  BINARY = 0x2
  MODES = %w[fifo lifo multi single].freeze

  VarInfo = Struct.new(:name, :values, :fetchers, :finders, :mode)

  module Codec
    module_function

    def encode(value)
      if value.is_a?(String)
        if value.encoding == Encoding::BINARY
          [(LANG_RUBY << 24) | DIRECT_STRING | BINARY, value]
        else
          text = value.encoding == Encoding::UTF_8 ? value : value.encode(Encoding::UTF_8)
          raise InvalidArgument.new('string is not valid UTF-8', code: 'invalid argument') unless text.valid_encoding?
          [(LANG_RUBY << 24) | DIRECT_STRING, text.b]
        end
      else
        begin
          [LANG_RUBY << 24, Marshal.dump(value)]
        rescue TypeError => e
          raise SerialisationError, "cannot serialise #{value.class} with Marshal: #{e.message}"
        end
      end
    end

    def decode(var, descriptor, bytes)
      bytes = bytes.b
      if descriptor & DIRECT_STRING != 0
        return bytes if descriptor & BINARY != 0
        text = bytes.dup.force_encoding(Encoding::UTF_8)
        return text.valid_encoding? ? text : bytes
      end
      lang = (descriptor >> 24) & 0xff
      if lang != LANG_RUBY
        name = Nws_raw.language_name(lang)
        raise SerialisationError.new(
          "variable '#{var}' holds a value serialised by #{name} (language id #{lang}); " \
          'NWS for Ruby reads only Ruby (Marshal) values and direct strings',
          descriptor: descriptor, bytes: bytes, language: name)
      end
      begin
        Marshal.load(bytes)
      rescue StandardError => e
        raise SerialisationError.new("variable '#{var}': Marshal could not decode the value: #{e.message}",
                                     descriptor: descriptor, bytes: bytes, language: 'Ruby')
      end
    end

    def timeout(value)
      return -1.0 if value.nil?
      unless value.is_a?(Numeric) && value >= 0
        raise InvalidArgument.new('timeout must be nil or a number >= 0', code: 'invalid argument')
      end
      value.to_f
    end
  end

  class NetWorkSpace
    attr_reader :name

    # Opens the workspace; with a block, yields it and closes it afterwards.
    def self.open(name, **opts)
      ws = new(name, **opts)
      return ws unless block_given?

      begin
        yield ws
      ensure
        ws.close
      end
    end

    def initialize(name, host: 'localhost', port: 8765, use_only: false, persistent: false)
      @name = name.to_s
      @raw = Nws_raw::Space.new(@name, host.to_s, Integer(port), use_only ? true : false, persistent ? true : false)
    end

    def store(var, value)
      descriptor, bytes = Codec.encode(value)
      @raw.store(var.to_s, descriptor, bytes)
      nil
    end

    def fetch(var, timeout: nil)
      got = @raw.fetch(var.to_s, Codec.timeout(timeout))
      Codec.decode(var, got.descriptor, got.bytes)
    end

    def find(var, timeout: nil)
      got = @raw.find(var.to_s, Codec.timeout(timeout))
      Codec.decode(var, got.descriptor, got.bytes)
    end

    def fetch_try(var, default = nil)
      got = @raw.fetch_try(var.to_s)
      got.found ? Codec.decode(var, got.descriptor, got.bytes) : default
    end

    def find_try(var, default = nil)
      got = @raw.find_try(var.to_s)
      got.found ? Codec.decode(var, got.descriptor, got.bytes) : default
    end

    # mode: :fifo, :lifo, :multi or :single (or the same as a string).
    def declare(var, mode)
      @raw.declare(var.to_s, mode.to_s)
      nil
    end

    def delete_var(var)
      @raw.delete_var(var.to_s)
      nil
    end

    def list_vars
      rows = @raw.list_vars
      (0...rows.size).map do |i|
        r = rows[i]
        VarInfo.new(r.name.dup.force_encoding(Encoding::UTF_8), r.values, r.fetchers, r.finders, r.mode)
      end
    end

    # Enumerators over a variable's values: ifetch consumes them, ifind
    # does not.  Without wait: they end when no value is left.  With
    # wait: true each step blocks (timeout: seconds per step).
    def ifetch(var, wait: false, timeout: nil)
      iterate(@raw.ifetch(var.to_s), var, wait, timeout)
    end

    def ifind(var, wait: false, timeout: nil)
      iterate(@raw.ifind(var.to_s), var, wait, timeout)
    end

    # Idempotent; any later call raises NWS::ClosedError.
    def close
      @raw.close
      nil
    end

    def closed?
      @raw.closed
    end

    private

    def iterate(cursor, var, wait, timeout)
      t = Codec.timeout(timeout)
      Enumerator.new do |y|
        loop do
          if wait
            got = cursor.next_value(t)
          else
            got = cursor.try_next
            break unless got.found
          end
          y << Codec.decode(var, got.descriptor, got.bytes)
        end
      end
    end
  end
end
