# frozen_string_literal: true

require 'io/nonblock'

module NWS
  # The file operations of NWS::NetWorkSpace: a value's bytes straight
  # from and to IO objects.  The bytes travel as they are, whatever the
  # value's type; a file stored here comes back as a binary string.
  #
  # Regular files and anything with a file descriptor (pipes, sockets) are
  # handed to the native layer by descriptor (after flushing Ruby's
  # buffer); other IO-like objects (StringIO) go through memory.
  module FileTransfer
    # The facade's codes for retrieve_file.
    HOW = { fetch: 0, fetch_try: 1, find: 2, find_try: 3 }.freeze # :nodoc:

    # Stores what is left of +io+ (from its position to its end, or at
    # most +n+ bytes when +n+ > 0) as one value of +var+, and returns the
    # number of bytes stored.  Nothing left: stores nothing and returns 0.
    # A regular file is streamed without being held in memory; a pipe or
    # socket is read to its end first.
    def store_file(var, io, n = 0)
      name = Args.name(var)
      raise InvalidArgumentError, "n must be a whole number >= 0, not #{n.inspect}" unless n.is_a?(Integer) && n >= 0
      raise InvalidArgumentError, 'store_file needs an IO open for reading' unless io.respond_to?(:read)

      fd = regular_file_descriptor(io)
      return store_regular_file(name, io, fd) if fd && n.zero?

      # Ruby's own read: it honours what the IO has buffered already.
      data = n.zero? ? io.read : io.read(n)
      return 0 if data.nil? || data.empty?

      native.store(name, Codec::BYTES, data.b)
      data.bytesize
    end

    # Removes a value of +var+ and writes its bytes to +io+; returns the
    # number of bytes written.  Waits like NWS::NetWorkSpace#fetch.
    def fetch_file(var, io, timeout: nil)
      retrieve_to(:fetch, var, io, timeout)
    end

    # Writes the bytes of a value of +var+ to +io+, leaving the value in
    # place; returns the number of bytes written.  Waits like
    # NWS::NetWorkSpace#find.
    def find_file(var, io, timeout: nil)
      retrieve_to(:find, var, io, timeout)
    end

    # Like #fetch_file, but returns nil at once if +var+ has no value.
    def fetch_try_file(var, io)
      retrieve_to(:fetch_try, var, io, nil)
    end

    # Like #find_file, but returns nil at once if +var+ has no value.
    def find_try_file(var, io)
      retrieve_to(:find_try, var, io, nil)
    end

    private

    def store_regular_file(name, io, fd)
      here = io.pos
      left = [io.stat.size - here, 0].max
      return 0 if left.zero?

      io.seek(here) # drops Ruby's read buffer: the descriptor is at `here`
      native.store_file(name, Codec::BYTES, fd)
      io.seek(here + left)
      left
    end

    def regular_file_descriptor(io)
      fd = descriptor(io)
      fd && io.respond_to?(:stat) && io.stat.file? ? fd : nil
    end

    def descriptor(io)
      io.respond_to?(:fileno) ? io.fileno : nil
    end

    # The number of bytes written, or nil (the Try forms found nothing).
    def retrieve_to(how, var, io, timeout)
      name = Args.name(var)
      wait = Args.timeout(timeout)
      raise InvalidArgumentError, "#{how}_file needs an IO open for writing" unless io.respond_to?(:write)

      fd = descriptor(io)
      return retrieve_through_memory(how, name, io, wait) unless fd

      io.flush
      # With an interrupt, the bytes are in the file already: nws_value is their count.
      got = blocking_descriptor(io) do
        NWS._keeping_arrived(->(_, _, size) { size }) { native.retrieve_file(HOW.fetch(how), name, fd, wait) }
      end
      got.found ? got.size : nil
    end

    # Ruby opens pipes and sockets non-blocking; the native layer writes
    # with plain blocking writes (without the GVL), so for the call the
    # descriptor blocks, as it did before Ruby changed it.
    def blocking_descriptor(io)
      return yield unless io.respond_to?(:nonblock?) && io.nonblock?

      io.nonblock = false
      begin
        yield
      ensure
        io.nonblock = true unless io.closed?
      end
    end

    def retrieve_through_memory(how, name, io, wait)
      write = ->(_, bytes, _) { io.write(bytes.b) }
      got = NWS._keeping_arrived(write, eager: true) do
        %i[fetch find].include?(how) ? native.public_send(how, name, wait) : native.public_send(how, name)
      end
      return nil unless got.found

      io.write(got.bytes.b)
    end
  end
end
