# frozen_string_literal: true

module NWS
  class Sleigh
    # One job on the master, from the Ruby side: elements in (each an
    # argument list, encoded as a portable list), outcomes out (decoded,
    # with their index and worker).  Chunking, pacing under the load
    # factor, order and lost workers are the core's (its MapJob); every form
    # of #each_elem (Array, block, Enumerator, async Job) and #each_worker
    # drives one of these.  One thread at a time.
    class Run # :nodoc:
      # How often feeding stops to hand out what has arrived.  Not after
      # every element: each look sends the chunk being filled as it is.
      DRAIN_EVERY = 0.05
      FOREVER = Float::INFINITY

      attr_reader :added, :taken

      # +fixed+: arguments after each element's; +splat+: an element that is
      # an Array is the argument list itself; +errors+: :return (a
      # TaskError in the task's place) or :raise.
      def initialize(native, fixed: [], splat: false, errors: :return, progress: nil)
        @native = native
        @fixed = fixed
        @splat = splat
        @errors = errors
        @progress = progress
        @added = 0
        @taken = 0
        @closed = false
      end

      # The portable bytes of an element's argument list.
      def encode(element)
        list = @splat && element.is_a?(Array) ? element : [element]
        list += @fixed unless @fixed.empty?
        PortableWriter.encode_list(list)
      rescue SerialisationError => e
        raise SerialisationError, "element #{@added}: #{Codec.bare(e)}"
      end

      # Adds every element of +elements+ (waiting for room under the load
      # factor), then closes the job.  With a block, hands it the outcomes
      # that arrive meanwhile.
      def feed(elements, &on_outcome)
        last = now
        elements.each do |element|
          if on_outcome && now - last >= DRAIN_EVERY
            drain(&on_outcome)
            last = now
          end
          add(encode(element))
        end
        close
      end

      # Adds one encoded element; +timeout+ 0: false (nothing added) when
      # the load factor leaves no room now.
      def add(bytes, timeout = FOREVER)
        @native.add(bytes, timeout)
        @added += 1
        true
      rescue TimeoutError
        raise unless timeout.zero?

        false
      end

      def close
        return if @closed

        @native.close
        @closed = true
      end

      # The outcomes that have arrived, without waiting.
      def drain(&block)
        @native.drain.each { |o| block.call(*outcome(o)) }
      end

      # Every outcome still to come, then the progress display ends.  What
      # has arrived is taken in one call (drain); the wait is for one.
      def take_all(&block)
        loop do
          batch = @native.drain
          if batch.empty?
            o = @native.next_outcome(FOREVER)
            break unless o.found

            block.call(*outcome(o))
          else
            batch.each { |b| block.call(*outcome(b)) }
          end
        end
        @progress&.finish
      end

      private

      def outcome(o)
        @taken += 1
        @progress&.step
        value = if o.ok
                  begin
                    PortableReader.decode(o.value)
                  rescue SerialisationError => e
                    TaskError.new("the result could not be read: #{Codec.bare(e)}", index: o.index, rank: o.rank)
                  end
                else
                  TaskError.new(o.error, index: o.index, rank: o.rank)
                end
        raise value if @errors == :raise && value.is_a?(TaskError)

        [value, o.index, o.rank]
      end

      def now
        Process.clock_gettime(Process::CLOCK_MONOTONIC)
      end
    end
  end
end
