# frozen_string_literal: true

# The Ruby sleigh's throughput on trivial tasks: 20,000 calls of
# BenchTasks.inc (x -> x + 1) on 2 local Ruby workers, each_elem with the
# core's automatic chunking; the sleigh is started and warmed up before it
# is timed; best of 3.  Prints one table row:
#
#   ruby bench/sleigh/ruby/bench.rb [--tasks N] [--workers N] [--repeat N]
#   | Ruby sleigh | 412345 |
#
# The server: $NWS_HOST/$NWS_PORT when set, else one inside this process.
require 'nws'
require 'optparse'

opts = { tasks: 20_000, workers: 2, repeat: 3 }
OptionParser.new do |o|
  o.on('--tasks N', Integer) { |v| opts[:tasks] = v }
  o.on('--workers N', Integer) { |v| opts[:workers] = v }
  o.on('--repeat N', Integer) { |v| opts[:repeat] = v }
end.parse!

def timed
  t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  yield
  Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
end

def bench(server, opts)
  xs = (0...opts[:tasks]).to_a
  expected = xs.map { |x| x + 1 }
  NWS::Sleigh.open(workers: opts[:workers], module_path: __dir__, **server) do |s|
    s.status(timeout: 60)
    s.each_worker('BenchTasks.inc', 0) # warm up: every worker has resolved the task
    Array.new(opts[:repeat]) do
      got = nil
      secs = timed { got = s.each_elem('BenchTasks.inc', xs) }
      raise 'wrong results' unless got == expected

      opts[:tasks] / secs
    end.max
  end
end

rate = if ENV['NWS_PORT'].to_s.empty?
         NWS::LocalServer.start { |srv| bench({ host: srv.host, port: srv.port }, opts) }
       else
         bench({}, opts)
       end
puts format('| Ruby sleigh | %d |', rate)
