# frozen_string_literal: true

# Tasks the sleigh tests run on their workers, which find this file on
# their load path (module_path) by the module's name: SleighTestTasks ->
# sleigh_test_tasks.rb.
module SleighTestTasks
  def self.square(x)
    x * x
  end

  def self.add(a, b)
    a + b
  end

  # The argument and its class's name, as the worker saw them.
  def self.typed(x)
    [x.class.name, x]
  end

  # Every argument, as the list the worker was given.
  def self.echo(*args)
    args
  end

  def self.fail_on_multiples_of(x, n)
    raise ArgumentError, "no multiples of #{n}, please: #{x}" if (x % n).zero?

    x
  end

  # [rank, pid] of the worker that runs it.
  def self.who_am_i(*_args)
    [NWS::Sleigh::Worker.rank, Process.pid]
  end

  # Says it started (in the user workspace: [rank, x, pid]), then waits
  # for "go" there: lets a test see every worker busy before it acts.
  def self.gated(x)
    ws = NWS::Sleigh::Worker.user_ws
    ws.store('started', [NWS::Sleigh::Worker.rank, x, Process.pid])
    ws.find('go')
    x * 10
  end

  # Something no portable value holds.
  def self.unportable(_x)
    Object.new
  end

  # Remembers a value on this worker (each_worker), for later tasks.
  def self.remember(value)
    @remembered = value
    NWS::Sleigh::Worker.rank
  end

  def self.remembered(_x)
    @remembered
  end

  def self.hidden(x)
    x
  end
  private_class_method :hidden
end
