# frozen_string_literal: true

# The cross-language sleigh matrix's function on Ruby workers, named
# NwsMatrix.combine (workers require this file as nws_matrix from their
# load path).  combine(i, x, label, tags): i an Integer, x a Float, label a
# String, tags an Array of 3 Strings; returns what every master checks.
module NwsMatrix
  LANG = 'ruby'

  def self.combine(i, x, label, tags)
    { 'i' => i + 1, 'x' => Float(x) * 2, 'label' => "#{label}@#{LANG}", 'n' => tags.size, 'lang' => LANG }
  end
end
