# frozen_string_literal: true

module NWS
  # How Ruby values travel.  Strings go direct (readable by every
  # language): ASCII-8BIT strings as binary, any other string as UTF-8
  # text.  Other objects go by Marshal under Ruby's language id, or, when
  # asked, as portable values (docs/values.md: NWS::PortableWriter), which
  # are read whoever wrote them (NWS::PortableReader).  A value this library
  # cannot read raises NWS::SerialisationError with the core's message
  # (naming the writer's language).
  module Codec # :nodoc:
    RUBY = LANGUAGES.fetch(:ruby)
    # Descriptors of what Ruby writes.
    TEXT = (RUBY << LANGUAGE_SHIFT) | DIRECT_STRING
    BYTES = TEXT | BINARY
    MARSHAL = RUBY << LANGUAGE_SHIFT
    PORTABLE = Nws_raw.portable_descriptor(RUBY)

    module_function

    # [descriptor, bytes] of a value, portable when +portable+ (strings
    # stay direct); +ws+ and +var+ name it in errors.
    def encode(value, portable = false, ws = nil, var = nil)
      return encode_string(value) if value.is_a?(String)
      return encode_portable(value, ws, var) if portable

      begin
        [MARSHAL, Marshal.dump(value)]
      rescue TypeError => e
        raise SerialisationError, "cannot serialise #{value.class} with Marshal: #{e.message}"
      end
    end

    def encode_portable(value, ws, var)
      [PORTABLE, PortableWriter.encode(value)]
    rescue SerialisationError => e
      raise SerialisationError, "cannot store the value of variable '#{var}' in workspace '#{ws}': #{bare(e)}"
    end

    def encode_string(value)
      return [BYTES, value] if value.encoding == Encoding::BINARY

      text = value.encoding == Encoding::UTF_8 ? value : value.encode(Encoding::UTF_8)
      raise InvalidArgumentError, 'the string is not valid UTF-8 (store binary data as an ASCII-8BIT string)' unless text.valid_encoding?

      [TEXT, text.b]
    end

    # The value of +var+ in workspace +ws+ from its descriptor and bytes.
    def decode(ws, var, descriptor, bytes)
      bytes = bytes.b
      if descriptor & DIRECT_STRING != 0
        return bytes if descriptor & BINARY != 0

        text = bytes.dup.force_encoding(Encoding::UTF_8)
        return text.valid_encoding? ? text : bytes
      end
      writer = (descriptor >> LANGUAGE_SHIFT) & LANGUAGE_MASK
      return decode_portable(ws, var, descriptor, bytes, writer) if Nws_raw.is_portable(descriptor)

      unreadable(ws, var, descriptor, bytes, writer, '') unless writer == RUBY
      begin
        Marshal.load(bytes) # rubocop:disable Security/MarshalLoad -- values are Ruby's own, as the original client
      rescue StandardError => e
        unreadable(ws, var, descriptor, bytes, writer, "Marshal could not decode it: #{e.message}")
      end
    end

    def decode_portable(ws, var, descriptor, bytes, writer)
      PortableReader.decode(bytes)
    rescue SerialisationError => e
      unreadable(ws, var, descriptor, bytes, writer, bare(e))
    end

    # An NWS::Error's message without the "NWS error (kind): " that its
    # #to_s puts first (the message goes into another one).
    def bare(err)
      Exception.instance_method(:to_s).bind_call(err)
    end

    def unreadable(ws, var, descriptor, bytes, writer, why)
      message = Nws_raw.unreadable_value_message(ws.to_s, var.to_s, descriptor, RUBY, why)
      raise SerialisationError.new(message.force_encoding(Encoding::UTF_8), descriptor: descriptor, bytes: bytes,
                                                                           language: Nws_raw.language_name(writer))
    end
  end
end
