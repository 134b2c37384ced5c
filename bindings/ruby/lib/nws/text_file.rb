# frozen_string_literal: true

module NWS
  # A file-like view of a variable holding lines of text, made by
  # NWS::NetWorkSpace#makefile.
  #
  # Writing (modes "w" and "a"): every completed line (with its newline) is
  # stored as one string value; text after the last newline is stored by
  # #flush or #close.  "w" deletes the variable first.
  #
  # Reading (mode "r"): the values, walked with a non-blocking ifind (so
  # they stay in place), read as one stream of text that ends at the newest
  # value.  A value that is not a string raises NWS::SerialisationError.
  class TextFile
    # The variable's name.
    attr_reader :name
    # "r", "w" or "a".
    attr_reader :mode

    # The view of +ws+'s variable +var+ in +mode+; use
    # NWS::NetWorkSpace#makefile rather than this.
    def initialize(ws, var, mode)
      raise InvalidArgumentError, "unknown file mode #{mode.inspect}: use \"r\", \"w\" or \"a\"" unless %w[r w a].include?(mode)

      @ws = ws
      @name = var
      @mode = mode
      @closed = false
      @pending = +''
      @unread = +''
      if mode == 'w'
        begin
          ws.delete_var(var)
        rescue OperationError
          # nothing to empty
        end
      end
      ws.declare(var, :fifo)
      @values = mode == 'r' ? ws.ifind(var) : nil
    end

    # Reads up to +length+ characters, or all the remaining text (nil).
    # Returns "" at the end when +length+ is nil, else nil.
    def read(length = nil)
      check(true)
      @unread << next_value.to_s while (length.nil? || @unread.length < length) && more?
      text = length.nil? ? @unread : @unread[0, length]
      @unread = length.nil? ? +'' : (@unread[length..] || +'')
      return nil if text.empty? && !length.nil? && length.positive?

      text
    end

    # The next line, with its newline; nil at the end.
    def gets
      check(true)
      @unread << next_value.to_s until @unread.include?("\n") || !more?
      return nil if @unread.empty?

      cut = (@unread.index("\n") || (@unread.length - 1)) + 1
      line = @unread[0, cut]
      @unread = @unread[cut..] || +''
      line
    end

    # The next line; EOFError at the end.
    def readline
      gets || raise(EOFError, "end of the values of #{@name}")
    end

    # Yields each remaining line (an Enumerator without a block).
    def each_line
      return enum_for(:each_line) unless block_given?

      while (line = gets)
        yield line
      end
      self
    end

    # The remaining lines.
    def readlines
      each_line.to_a
    end

    # Writes +texts+; each completed line becomes one value.  Returns the
    # number of characters written.
    def write(*texts)
      check(false)
      texts.sum do |t|
        s = t.to_s
        @pending << s
        while (cut = @pending.index("\n"))
          @ws.store(@name, @pending[0..cut])
          @pending = @pending[(cut + 1)..]
        end
        s.length
      end
    end

    # Writes +text+ and returns self.
    def <<(text)
      write(text)
      self
    end

    # Writes each argument followed by a newline (as IO#puts).
    def puts(*lines)
      lines = [''] if lines.empty?
      lines.flatten.each { |l| write(l.to_s.end_with?("\n") ? l.to_s : "#{l}\n") }
      nil
    end

    # Writes the arguments (as IO#print).
    def print(*texts)
      write(*texts)
      nil
    end

    # Stores text written since the last newline as a value of its own.
    def flush
      raise IOError, 'closed stream' if @closed
      return self if @mode == 'r' || @pending.empty?

      @ws.store(@name, @pending)
      @pending = +''
      self
    end

    # Flushes (when writing) and closes the view; idempotent.
    def close
      return nil if @closed

      flush unless @mode == 'r'
      @closed = true
      nil
    end

    # True once #close was called.
    def closed?
      @closed
    end

    # True when the view is read to the end (for now: values stored later
    # can still be read).
    def eof?
      check(true)
      @unread.empty? && !more?
    end

    private

    def check(reading)
      raise IOError, 'closed stream' if @closed
      raise IOError, "not opened for reading (mode #{@mode})" if reading && @mode != 'r'
      raise IOError, "not opened for writing (mode #{@mode})" if !reading && @mode == 'r'
    end

    # Whether another value can be read: peeks, so nothing is skipped.
    def more?
      @values.peek
      true
    rescue StopIteration
      false
    end

    def next_value
      value = @values.next
      return value if value.is_a?(String)

      raise SerialisationError, "variable #{@name} holds a #{value.class}, not a line of text"
    end
  end
end
