# frozen_string_literal: true

module NWS
  # The Enumerator over a variable's values that NWS::NetWorkSpace#ifetch
  # and #ifind return.  The position (the last value seen) is kept here, in
  # the client, so iterators never disturb each other.
  #
  # The end is not final (the core's rule): a pass that finds no further
  # value ends (#each returns, #next raises StopIteration) and keeps its
  # position, and the next pass (#each, #next, #to_a ...) goes on from
  # there, so values stored since are seen:
  #
  #   it = ws.ifind('log')
  #   it.to_a          # => ["a", "b"]
  #   ws.store('log', 'c')
  #   it.to_a          # => ["c"]
  #   it.rewind.to_a   # => ["a", "b", "c"]  (from the oldest value again)
  #
  # With <tt>wait: true</tt> each step blocks until the next value arrives
  # (at most +timeout+ seconds per step, then NWS::TimeoutError).
  class ValueIterator < Enumerator
    # The end of a pass (a Try step that found nothing).
    THE_END = Object.new.freeze
    private_constant :THE_END

    # The iterator of +ws+'s variable +var+: consuming (ifetch) or not
    # (ifind), blocking (+wait+) or not.  Use NWS::NetWorkSpace#ifetch and
    # NWS::NetWorkSpace#ifind rather than this.
    def initialize(ws, var, consume, wait, timeout)
      @ws = ws
      @var = var
      @wait = wait ? true : false
      @timeout = Args.timeout(timeout)
      name = Args.name(var)
      @cursor = consume ? ws.native.ifetch(name) : ws.native.ifind(name)
      super() do |y|
        loop do
          value = step
          break if THE_END.equal?(value)

          y << value
        end
      end
    end

    # The next value (Enumerator#next); at the end StopIteration, after
    # which the next call goes on from the same place.
    def next
      super
    rescue StopIteration
      restart_external
      raise
    end

    # The next value without moving past it (Enumerator#peek); at the end
    # StopIteration, as #next.
    def peek
      super
    rescue StopIteration
      restart_external
      raise
    end

    # Starts again from the oldest value of the variable; returns self.
    def rewind
      @cursor.reset
      restart_external
      self
    end
    alias reset rewind

    # Writes the bytes of the next value to +io+ (whatever the value's
    # type) and returns their number, or nil at the end of a pass.
    def write_to(io)
      got = raw_step
      return nil if got.nil?

      io.write(got.bytes.b)
    end

    # A short description.
    def inspect
      "#<NWS::ValueIterator #{@var.inspect} on #{@ws.name.inspect}#{@wait ? ' waiting' : ''}>"
    end

    private

    # Enumerator#rewind: forgets the finished pass, not the position.
    def restart_external
      Enumerator.instance_method(:rewind).bind_call(self)
    end

    def step
      got = raw_step
      return THE_END if got.nil?

      @ws.decode(@var, got)
    end

    # The next Got, or nil at the end of a non-blocking pass.
    def raw_step
      decode = ->(d, b, _) { Codec.decode(@ws.name, @var, d, b) }
      if @wait
        NWS._keeping_arrived(decode) { @cursor.next_value(@timeout) }
      else
        got = NWS._keeping_arrived(decode) { @cursor.try_next }
        got.found ? got : nil
      end
    end
  end
end
