# frozen_string_literal: true

module NWS
  class Sleigh
    # A worker's $stdout and $stderr with redirect_output: each line a
    # value of output@<rank> in the sleigh workspace, as the original
    # workers did, so the master (or the Sleigh Monitor) can read them.
    class Output # :nodoc:
      def initialize(ws, var)
        @ws = ws
        @var = var
        @buffer = +''
      end

      def write(*parts)
        parts.each { |p| @buffer << p.to_s }
        while (eol = @buffer.index("\n"))
          @ws.store(@var, @buffer.slice!(0..eol).chomp)
        end
        parts.sum { |p| p.to_s.bytesize }
      end

      def flush
        @ws.store(@var, @buffer.slice!(0..)) unless @buffer.empty?
        self
      end

      def sync
        true
      end

      def sync=(_value); end

      def tty?
        false
      end
      alias isatty tty?

      def fileno
        nil
      end
    end
  end
end
