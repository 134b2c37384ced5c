# frozen_string_literal: true

# The cross-language sleigh matrix's Ruby master:
#
#   ruby master.rb WORKER_LANG [LOAD]
#
# opens a sleigh on the server in $NWS_HOST/$NWS_PORT, 2 local workers of
# WORKER_LANG (loading LOAD first when given), runs that language's matrix
# function over 20 elements (i, i + 0.5, "e<i>", ["a", "b", "c"]), checks
# every result and that both workers ran some, stops the sleigh, and
# prints "ok ruby -> WORKER_LANG: 20 results" (exit 0) or "FAIL <reason>"
# (exit 1).
require 'nws'

FUNCTIONS = {
  'python' => 'nws_matrix:combine',
  'r' => 'combine',
  'java' => 'org.networkspaces.matrix.Matrix#combine',
  'perl' => 'NwsMatrix::combine',
  'ruby' => 'NwsMatrix.combine'
}.freeze
COUNT = 20

def fail!(reason)
  puts "FAIL #{reason}"
  exit 1
end

# What is wrong with result +r+ of element +i+, or nil.
def problem(r, i, lang)
  return "element #{i}: #{r.message}" if r.is_a?(NWS::Sleigh::TaskError)
  return "element #{i}: not a map: #{r.inspect}" unless r.is_a?(Hash)
  return "element #{i}: i is #{r['i'].inspect}, not the Integer #{i + 1}" unless r['i'].is_a?(Integer) && r['i'] == i + 1

  x = (i + 0.5) * 2
  return "element #{i}: x is #{r['x'].inspect}, not the Float #{x}" unless r['x'].is_a?(Float) && r['x'] == x
  return "element #{i}: label is #{r['label'].inspect}" unless r['label'] == "e#{i}@#{lang}"
  return "element #{i}: n is #{r['n'].inspect}, not 3" unless r['n'] == 3
  return "element #{i}: lang is #{r['lang'].inspect}" unless r['lang'] == lang

  nil
end

lang = ARGV[0].to_s.downcase
fail!('usage: master.rb WORKER_LANG [LOAD]') unless FUNCTIONS.key?(lang)
load = ARGV[1].to_s.empty? ? [] : [ARGV[1]]
name = FUNCTIONS.fetch(lang)
elements = (0...COUNT).map { |i| [i, i + 0.5, "e#{i}", %w[a b c]] }

begin
  NWS::Sleigh.open(workers: 2, launch: :local, language: lang, load: load) do |s|
    st = s.status(timeout: 120)
    fail!("#{st.workers} of 2 #{lang} workers joined in 120 s") unless st.closed? && st.workers == 2
    # Once on each worker first: both are then ready, so both get elements.
    ready = s.each_worker(name, 0, 0.5, 'e0', %w[a b c])
    fail!("each_worker gave #{ready.size} results, not 2") unless ready.size == 2
    ready.each { |r| (p = problem(r, 0, lang)) && fail!("each_worker: #{p}") }

    results = Array.new(COUNT)
    ranks = []
    s.each_elem(name, elements, splat: true, chunk_size: 1) do |value, index, rank|
      fail!("element #{index} came twice") if results[index]
      results[index] = value
      ranks << rank
    end
    results.each_with_index { |r, i| (p = problem(r, i, lang)) && fail!(p) }
    fail!("only the workers #{ranks.uniq.sort} ran elements, not both") unless ranks.uniq.sort == [0, 1]
  end
rescue NWS::Error, ArgumentError => e
  fail!("#{e.class}: #{e.message}")
end
puts "ok ruby -> #{lang}: #{COUNT} results"
