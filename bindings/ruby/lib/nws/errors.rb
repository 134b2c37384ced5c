# frozen_string_literal: true

# What the generated error classes (nws/tables.rb) do not say: the fields
# every NWS::Error carries, the extra fields of NWS::SerialisationError, the
# value an interrupted call had already received (NWS::ArrivedValue), and
# how the native extension picks a class.
module NWS
  class Error < StandardError
    # The stable lower-case name of the error's kind ("timeout",
    # "no such workspace", ...): the same in every language.
    attr_reader :code
    # The server's status code when the server refused the request, or -1
    # when the error is local (a timeout, a bad argument, a lost connection).
    attr_reader :status
    # The server's own explanation (its nwsReason), when it sent one.
    attr_reader :reason

    # +message+ is the core's message; +code+ defaults to the class's kind
    # name (NAME).  Programs rarely make these: the library raises them.
    def initialize(message = nil, code: nil, status: -1, reason: '')
      super(message)
      @code = code || self.class::NAME
      @status = status
      @reason = reason
    end

    # "NWS error (kind name): message".
    def to_s
      "NWS error (#{code}): #{super}"
    end
  end

  class SerialisationError < OperationError
    # The value's descriptor (writer language and flags), when reading failed.
    attr_reader :descriptor
    # The value's raw bytes, when reading failed: nothing is lost.
    attr_reader :bytes
    # The display name of the language that wrote the value ("Python", ...).
    attr_reader :language

    # Raised by NWS; +descriptor+, +bytes+ and +language+ describe a value
    # that could not be read.
    def initialize(message = nil, descriptor: nil, bytes: nil, language: nil, **kw)
      super(message, **kw)
      @descriptor = descriptor
      @bytes = bytes
      @language = language
    end
  end

  # Extends the exception that interrupted a blocking call (Interrupt for
  # Ctrl-C, or whatever Thread#raise sent) when the call's value had
  # already arrived, so that neither the interrupt nor the value is lost:
  #
  #   begin
  #     job = ws.fetch('job')
  #   rescue Interrupt => e
  #     requeue(e.nws_value) if e.is_a?(NWS::ArrivedValue)
  #     raise
  #   end
  module ArrivedValue
    # The value the call received, decoded as the call would have returned
    # it; for the file forms (fetch_file, ...) the number of bytes written to
    # the file.  Raises NWS::SerialisationError if the value cannot be read.
    def nws_value
      @nws_value = @nws_decode.call unless defined?(@nws_value)
      @nws_value
    end
  end

  # Called by the native extension to build the exception it raises.
  def self._native_error(code, message, status, reason) # :nodoc:
    klass = ERROR_CLASSES.fetch(code, Error)
    message = message.dup.force_encoding(Encoding::UTF_8)
    klass.new(message, code: code, status: status, reason: reason.dup.force_encoding(Encoding::UTF_8))
  end

  # Runs a native call that returns a value.  If an interrupt ends it after
  # the value arrived, the native layer has put the raw value on the
  # exception (@nws_arrived: descriptor, bytes, size); this makes it the
  # exception's #nws_value, decoded by +decode+ when asked for (at once
  # when +eager+: decode has work to do that must not wait).
  def self._keeping_arrived(decode, eager: false) # :nodoc:
    yield
  rescue Exception => e # rubocop:disable Lint/RescueException -- Interrupt and Thread#raise are the point
    if e.instance_variable_defined?(:@nws_arrived) && !e.is_a?(ArrivedValue)
      descriptor, bytes, size = e.instance_variable_get(:@nws_arrived)
      e.extend(ArrivedValue)
      e.instance_variable_set(:@nws_decode, -> { decode.call(descriptor, bytes, size) })
      e.nws_value if eager
    end
    raise
  end
end
