# Exceptions of the NWS client: NWS::Error < StandardError, one subclass per
# error code of the C++ client.  Each carries the code's stable name, the
# server's status (-1 for local errors) and its reason text.
module NWS
  class Error < StandardError
    attr_reader :code, :status, :reason

    def initialize(message = nil, code: 'internal', status: -1, reason: '')
      super(message)
      @code = code
      @status = status
      @reason = reason
    end

    def to_s
      "NWS error (#{code}): #{super}"
    end
  end

  class ConnectionError < Error; end
  class ConnectionDropped < ConnectionError; end
  class NoSuchWorkspace < Error; end
  class NotOpened < Error; end
  class DeclarationFailed < Error; end
  class OperationFailed < Error; end
  class ServerError < Error; end
  class ProtocolError < Error; end
  class Cancelled < Error; end
  class TimeoutError < Error; end
  class ClosedError < Error; end
  class Unsupported < Error; end
  class InvalidArgument < Error; end

  # A value this library cannot decode (written by another language); the
  # raw descriptor and bytes are kept so nothing is lost.
  class SerialisationError < Error
    attr_reader :descriptor, :bytes, :language

    def initialize(message = nil, descriptor: nil, bytes: nil, language: nil, **kw)
      super(message, code: 'serialisation', **kw)
      @descriptor = descriptor
      @bytes = bytes
      @language = language
    end
  end

  ERROR_CLASSES = {
    'connection' => ConnectionError, 'connection dropped' => ConnectionDropped,
    'no such workspace' => NoSuchWorkspace, 'not opened' => NotOpened,
    'declaration failed' => DeclarationFailed, 'operation failed' => OperationFailed,
    'server error' => ServerError, 'protocol' => ProtocolError, 'serialisation' => SerialisationError,
    'cancelled' => Cancelled, 'timeout' => TimeoutError, 'closed' => ClosedError,
    'unsupported' => Unsupported, 'invalid argument' => InvalidArgument
  }.freeze

  # Called by the native extension to build the exception it raises.
  def self._native_error(code, message, status, reason)
    klass = ERROR_CLASSES.fetch(code, Error)
    message = message.dup.force_encoding(Encoding::UTF_8)
    if klass == SerialisationError
      klass.new(message, status: status, reason: reason)
    else
      klass.new(message, code: code, status: status, reason: reason)
    end
  end
end
