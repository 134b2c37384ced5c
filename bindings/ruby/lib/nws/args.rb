# frozen_string_literal: true

module NWS
  # Converts Ruby arguments into what the native facade takes; the rules
  # themselves (a missing name, an unknown mode, a port out of range, a
  # negative timeout) are the core's (nws/args.hpp), checked in C++ before
  # anything is sent, so every language refuses the same things with the
  # same NWS::InvalidArgumentError message.
  module Args # :nodoc:
    module_function

    # A workspace or variable name: nil stays nil (the core refuses it);
    # symbols and other objects by #to_s; sent as UTF-8 unless binary.  A
    # private copy: the native call reads it without the GVL.
    def name(value)
      return nil if value.nil?

      s = value.is_a?(String) ? value : value.to_s
      s = s.encode(Encoding::UTF_8) unless [Encoding::UTF_8, Encoding::BINARY, Encoding::US_ASCII].include?(s.encoding)
      s.b
    end

    # A mode name: nil stays nil; :fifo and 'fifo' alike.
    def mode(value)
      value.nil? ? nil : value.to_s.b
    end

    # Seconds to wait: nil waits for ever (+inf, as the core takes it).
    def timeout(value)
      return Float::INFINITY if value.nil?
      return value.to_f if value.is_a?(Numeric) && value.real?

      raise InvalidArgumentError, "timeout must be nil (wait for ever) or a number of seconds, not #{value.inspect}"
    end

    # A number of seconds for +what+ (a lease's duration): the core refuses
    # what is out of its range; what is not a number is refused here.
    def seconds(value, what)
      return value.to_f if value.is_a?(Numeric) && value.real?

      raise InvalidArgumentError, "#{what} must be a number of seconds, not #{value.inspect}"
    end

    # [given?, seconds] for a lease duration: nil means "not given" (the
    # core's default, 300 s).
    def duration(value)
      value.nil? ? [false, 0.0] : [true, seconds(value, 'a lease duration')]
    end

    # [given?, port] for the facade: nil means "not given" (the core's
    # default: $NWS_PORT, else 8765).
    def port(value)
      return [false, 0.0] if value.nil?
      return [true, value.to_f] if value.is_a?(Numeric) && value.real?
      return [true, Float(value)] if value.is_a?(String) && value.match?(/\A\s*[-+]?\d+(\.\d*)?\s*\z/)

      raise InvalidArgumentError, "port must be a number, not #{value.inspect}"
    end

    # The host: nil means "not given" (the core's default: $NWS_HOST, else localhost).
    def host(value)
      value.nil? ? nil : value.to_s.b
    end

    # [given?, seconds] for the facade: nil means "not given" (the core's
    # default connect timeout); the core refuses values that are not > 0.
    def connect_timeout(value)
      value.nil? ? [false, 0.0] : [true, timeout(value)]
    end

    # The string options of Security: file names (tls_ca, tls_cert,
    # tls_key), the others plain strings.
    SECURITY_FILES = %i[tls_ca tls_cert tls_key].freeze
    SECURITY_STRINGS = %i[tls_server_name user password token].freeze

    # The facade's Security for the TLS and credential options, or nil when
    # none is given (then the core takes NWS_TLS, NWS_TLS_CA, ..., NWS_TOKEN
    # from the environment, as it does for each option left nil).  +tls+ is
    # true, false or nil; the file options are Strings or objects with
    # #to_path (Pathname); the others Strings.  A wrong type raises
    # NWS::InvalidArgumentError naming the option and the class given, never
    # the value (it may be a password).
    def security(options)
      return nil if options.values.all?(&:nil?)

      security = Nws_raw::Security.new
      tls = options[:tls]
      unless [nil, true, false].include?(tls)
        raise InvalidArgumentError, "tls must be true or false, not #{type_of(tls)}"
      end

      security.tls = tls ? true : false
      SECURITY_FILES.each do |key|
        value = options[key]
        next if value.nil?

        value = value.to_path if !value.is_a?(String) && value.respond_to?(:to_path)
        raise InvalidArgumentError, "#{key} must be a file name (a String or a Pathname), not #{type_of(value)}" unless value.is_a?(String)

        security.public_send(:"#{key}=", text(value))
      end
      SECURITY_STRINGS.each do |key|
        value = options[key]
        next if value.nil?
        raise InvalidArgumentError, "#{key} must be a String, not #{type_of(value)}" unless value.is_a?(String)

        security.public_send(:"#{key}=", text(value))
      end
      security
    end

    # A String's bytes as UTF-8 (binary Strings as they are).
    def text(value)
      s = [Encoding::UTF_8, Encoding::BINARY, Encoding::US_ASCII].include?(value.encoding) ? value : value.encode(Encoding::UTF_8)
      s.b
    end

    # "an Integer", "a Symbol": what a wrong argument was, without its value.
    def type_of(value)
      name = value.class.name || value.class.inspect
      "#{name.match?(/\A[AEIOU]/) ? 'an' : 'a'} #{name}"
    end
  end
end
