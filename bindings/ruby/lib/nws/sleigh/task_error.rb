# frozen_string_literal: true

module NWS
  class Sleigh
    # A task that failed on a worker: it raised there (the worker sends
    # back its class, message and the first lines of its backtrace), or its
    # worker died and the sleigh could not run it again, or its result
    # could not be read.  The sleigh puts one in the task's place in the
    # results (or raises it, with <tt>errors: :raise</tt>); the other tasks
    # of the job are not affected.
    #
    #   r = s.each_elem('Stats.ratio', [1, 0, 2])
    #   r[1]                 # => #<NWS::Sleigh::TaskError element 1 on worker 0: ZeroDivisionError: divided by 0>
    #   r[1].remote_class    # => "ZeroDivisionError"
    class TaskError < StandardError
      # The element's position in its job (0-based).
      attr_reader :index
      # The rank of the worker that ran it (-1: none did, e.g. it was lost).
      attr_reader :rank

      # +text+ is what the worker (or the core) said; Ruby workers send
      # "Class: message" then "  from file:line" lines.
      def initialize(text, index: -1, rank: -1)
        super(text.to_s.dup.force_encoding(Encoding::UTF_8))
        @index = index
        @rank = rank
      end

      # The class of the exception the task raised, as the worker named it
      # ("ZeroDivisionError", "ValueError" from a Python worker, ...), or
      # nil when the text does not start with one.
      def remote_class
        message.lines.first.to_s[/\A([A-Za-z_][\w:.$]*): /, 1]
      end

      # The worker's backtrace lines, as it sent them (without "  from ").
      def remote_backtrace
        message.lines.drop(1).map { |l| l.strip.delete_prefix('from ') }.reject(&:empty?)
      end

      # Element, worker and the first line of the message.
      def inspect
        "#<#{self.class} element #{index} on worker #{rank}: #{message.lines.first.to_s.chomp}>"
      end
    end
  end
end
