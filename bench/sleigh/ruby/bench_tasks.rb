# frozen_string_literal: true

# The benchmark's task, which the workers require from this directory.
module BenchTasks
  def self.inc(x)
    x + 1
  end
end
