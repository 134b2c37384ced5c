# frozen_string_literal: true

module NWS
  # A portable value (docs/values.md) -> Ruby objects.  The core decodes and
  # validates (Nws_raw::PortableReader holds the tree); this walks it, node
  # by number, and unpacks each packed vector with one String#unpack.
  module PortableReader # :nodoc:
    # How packed vectors unpack (little-endian, as the core gives them).
    UNPACK = { 'float64' => 'E*', 'int64' => 'q<*', 'int32' => 'l<*', 'timestamp' => 'q<*', 'boolean' => 'C*' }.freeze
    NS = 1_000_000_000

    module_function

    # The Ruby value of the portable value in +bytes+ (the core's
    # NWS::SerialisationError when they are not one).
    def decode(bytes)
      node(Nws_raw::PortableReader.new(bytes), 0)
    end

    def node(r, i)
      case (kind = r.kind(i))
      when 'null' then nil
      when 'boolean' then r.flag(i)
      when 'integer' then r.integer(i)
      when 'real' then r.real(i)
      when 'string' then text(r.text(i))
      when 'bytes' then r.text(i).b
      when 'timestamp' then time(r.integer(i))
      when 'list' then Array.new(r.size(i)) { |k| node(r, r.child(i, k)) }
      when 'map' then Array.new(r.size(i)) { |k| [text(r.key(i, k)), node(r, r.child(i, k))] }.to_h
      when 'vector' then vector(r, i)
      when 'table' then table(r, i)
      else raise SerialisationError, "a portable #{kind}, which this version of NWS cannot read"
      end
    end

    def table(r, i)
      t = Table.new
      r.size(i).times { |k| t[text(r.key(i, k))] = vector(r, r.child(i, k)) }
      t
    end

    def vector(r, i)
      type = r.element(i)
      n = r.size(i)
      if type == 'string'
        return Array.new(n) do |k|
          c = r.child(i, k)
          r.kind(c) == 'null' ? nil : text(r.text(c))
        end
      end
      format = UNPACK[type] or raise SerialisationError, "a portable vector of #{type}, which this version of NWS cannot read"
      v = r.text(i).unpack(format)
      v.map! { |e| e == 1 } if type == 'boolean'
      v.map! { |e| time(e) } if type == 'timestamp'
      missing = r.missing(i)
      unless missing.empty?
        bits = missing.unpack1("b#{n}")
        p = -1
        v[p] = nil while (p = bits.index('1', p + 1))
      end
      v
    end

    # UTF-8 (validated by the core) as a String.
    def text(s)
      s.force_encoding(Encoding::UTF_8)
    end

    def time(ns)
      s, r = ns.divmod(NS)
      Time.at(s, r, :nsec).utc
    end
  end
end
