# frozen_string_literal: true

# Tasks a sleigh finds only through its load option (their module's name
# is not this file's), for the tests of load:.
module ViaLoad
  def self.twice(x)
    x * 2
  end

  # Prints, for redirect_output.
  def self.say(text)
    puts text
    text
  end
end
