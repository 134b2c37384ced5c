# frozen_string_literal: true

module NWS
  # One variable of a listing (NWS::NetWorkSpace#list_vars,
  # NWS::Server#list_vars): its name, how many values it holds, how many
  # clients are blocked fetching and finding it, and its mode.
  VarInfo = Struct.new(:name, :values, :fetchers, :finders, :mode)

  # One workspace of NWS::Server#list_wss: its name, whether this connection
  # owns it (+mine+), its owner's label, whether it outlives its owner
  # (+persistent+), its number of variables and their names.
  WsInfo = Struct.new(:name, :mine, :owner, :persistent, :variables, :variable_names)

  # Turns the facade's listings (text and rows from one round trip) into
  # what the caller asked for.
  module Listing # :nodoc:
    FORMATS = %i[rows hash text].freeze

    module_function

    def check(format)
      return if FORMATS.include?(format)

      raise InvalidArgumentError, "unknown listing format #{format.inspect}: use :rows, :hash or :text"
    end

    def vars(raw, format)
      return utf8(raw.text) if format == :text

      rows = raw.rows.to_a.map do |r|
        VarInfo.new(utf8(r.name), r.values, r.fetchers, r.finders, utf8(r.mode))
      end
      format == :hash ? rows.to_h { |v| [v.name, v] } : rows
    end

    def wss(raw, format)
      return utf8(raw.text) if format == :text

      rows = raw.rows.to_a.map do |r|
        WsInfo.new(utf8(r.name), r.mine, utf8(r.owner), r.persistent, r.variables,
                   r.variable_names.to_a.map { |n| utf8(n) })
      end
      format == :hash ? rows.to_h { |w| [w.name, w] } : rows
    end

    def utf8(s)
      s.dup.force_encoding(Encoding::UTF_8)
    end
  end
end
