# The launcher tests' fixture (tests/sleigh_launchers/ruby.sh runs them
# with an sshd and a one-node SLURM that scripts/test-sleigh.sh started):
# the sleigh helpers, one embedded server, and the environment they need.
require_relative '../sleigh_helper'
require 'socket'

module LauncherTest
  # The value of the environment variable +name+; a test without it fails
  # (never skips): the script that runs these sets it.
  def self.required_env(name)
    value = ENV[name].to_s
    raise "#{name} is not set: run these tests through scripts/test-sleigh.sh" if value.empty?

    value
  end

  def self.free_port
    s = TCPServer.new('127.0.0.1', 0)
    s.addr[1]
  ensure
    s&.close
  end

  # Waits until the workers +pids+ and every process of the sleigh +ws+
  # are gone from the process table.
  def self.wait_gone(pids, ws, secs = 10)
    NWSTest.poll_until(secs) { pids.none? { |p| SleighTest.alive?(p) } && SleighTest.processes_of(ws).empty? }
  end
end
