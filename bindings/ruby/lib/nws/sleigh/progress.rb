# frozen_string_literal: true

module NWS
  class Sleigh
    # A one-line progress display of a job: "each_elem Stats.square:
    # 120/400 (30%) 2.5 s", redrawn in place (a carriage return) at most ten
    # times a second, ended with a newline.  <tt>progress: true</tt> draws
    # on $stderr when it is a terminal (a log file gets nothing); an IO (or
    # anything with #write) given as <tt>progress:</tt> gets it always.
    class Progress # :nodoc:
      EVERY = 0.1

      # A Progress for the option's value, or nil when none is wanted.
      def self.for(option, total, label)
        return nil unless option
        return new($stderr, total, label) if option == true && $stderr.tty?
        return new(option, total, label) if option.respond_to?(:write)

        nil
      end

      def initialize(io, total, label)
        @io = io
        @total = total
        @label = label
        @done = 0
        @start = now
        @drawn = nil
      end

      # Another +n+ tasks are done.
      def step(n = 1)
        @done += n
        draw if @drawn.nil? || now - @drawn >= EVERY || @done == @total
      end

      def finish
        draw
        @io.write("\n")
        @io.flush if @io.respond_to?(:flush)
      end

      private

      def draw
        @drawn = now
        of = @total ? "/#{@total} (#{@total.zero? ? 100 : 100 * @done / @total}%)" : ''
        @io.write(format("\r%<label>s: %<done>d%<of>s %<secs>.1f s", label: @label, done: @done, of: of,
                                                                      secs: @drawn - @start))
      end

      def now
        Process.clock_gettime(Process::CLOCK_MONOTONIC)
      end
    end
  end
end
