# frozen_string_literal: true

module NWS
  class Sleigh
    # A job running in the background: what <tt>each_elem(..., async:
    # true)</tt> returns at once.  Elements go out as the load factor leaves
    # room (each call here sends more); results come back in element order.
    #
    #   job = s.each_elem('Stats.square', 1..1000, async: true)
    #   do_other_things until job.done?
    #   job.value               # => [1, 4, 9, ...] (waits for what is left)
    class Job
      # The number of elements.
      attr_reader :size

      # +run+ returns failed tasks as TaskErrors; +errors+ :raise makes
      # #value raise the first one (never #done? or #remaining).
      def initialize(run, elements, errors) # :nodoc:
        @run = run
        @errors = errors
        @pending = elements
        @size = elements.size
        @next = 0
        @results = Array.new(@size)
        @collected = 0
        @held = nil
        poll
      end

      # True once every element's result is in (sends what it can and
      # takes what has arrived; never waits).
      def done?
        poll
        @collected == @size
      end

      # The number of elements without a result yet (never waits).
      def remaining
        poll
        @size - @collected
      end

      # The results in element order, waiting for them; a failed task is an
      # NWS::Sleigh::TaskError in its place (raised instead if the job was
      # made with <tt>errors: :raise</tt>).  Again: the same Array.
      def value
        until @next == @size
          @run.add(@held || @run.encode(@pending[@next]))
          @held = nil
          @next += 1
        end
        @run.close
        @run.take_all { |v, i, _| keep(v, i) } if @collected < @size
        failed = @errors == :raise && @results.find { |r| r.is_a?(TaskError) }
        raise failed if failed

        @results
      end
      alias wait value

      # "#<NWS::Sleigh::Job 3/10 done>".
      def inspect
        "#<#{self.class} #{@collected}/#{@size} done>"
      end

      private

      # Sends the elements the load factor has room for, then takes the
      # results that are in.  Feeding stops only at the start of a chunk,
      # so taking results never cuts a chunk short.
      def poll
        while @next < @size
          @held ||= @run.encode(@pending[@next])
          break unless @run.add(@held, 0)

          @held = nil
          @next += 1
        end
        @run.close if @next == @size
        @run.drain { |v, i, _| keep(v, i) }
      end

      def keep(value, index)
        @results[index] = value
        @collected += 1
      end
    end
  end
end
