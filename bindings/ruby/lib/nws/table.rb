# frozen_string_literal: true

module NWS
  # A table as portable values hold it (a data frame in R and pandas):
  # named columns of equal length, in order.  A Hash of column name =>
  # Array, whose insertion order is the column order.  Ruby has no table
  # type, and a plain Hash of Arrays is a map, so tables read as this class
  # and only this class writes as a table.
  #
  #   t = NWS::Table.new('x' => [1.5, 2.5], 'n' => [1, 2], 's' => %w[a b])
  #   ws.store('frame', t, portable: true)   # R reads a data.frame, Python a DataFrame
  #   ws.fetch('frame')                       # => an NWS::Table, String column names
  #
  # Each column is written as the vector an Array of its values makes
  # (Integers as int64, Floats as float64, booleans, Strings, Times; nil a
  # missing element); a column with no element that is not nil is written
  # as float64.  Anything else in a column raises NWS::SerialisationError.
  class Table < Hash
    # A table of the +columns+ given (a Hash of name => Array, names as
    # Strings or Symbols), in their order.
    def initialize(columns = {})
      super()
      columns.each { |name, column| self[name] = column }
    end

    # The number of rows: the length of the first column (0 without columns).
    def rows
      empty? ? 0 : first[1].size
    end

    # "#<NWS::Table {...}>".
    def inspect
      "#<NWS::Table #{super}>"
    end
  end
end
