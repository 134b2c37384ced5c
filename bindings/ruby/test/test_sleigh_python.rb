# A Ruby master with Python workers (language: :python) running the matrix
# function nws_matrix:combine (tests/interop/sleigh/python).  It needs a
# Python with the nws package, named by NWS_SLEIGH_PYTHON: without it this
# file defines no test (it is not part of the regular suite then, and
# nothing is counted as skipped or passed).
require_relative 'sleigh_helper'

if ENV['NWS_SLEIGH_PYTHON'].to_s != ''
  class TestSleighPythonWorkers < Minitest::Test
    MATRIX = ENV.fetch('NWS_MATRIX_PYTHON_DIR') { File.expand_path('../../../tests/interop/sleigh/python', __dir__) }

    def test_ruby_master_runs_a_python_function_on_python_workers
      assert File.file?(File.join(MATRIX, 'nws_matrix.py')), "no nws_matrix.py in #{MATRIX}"
      NWS::Sleigh.open(workers: 2, language: :python, module_path: MATRIX, host: NWSTest.host,
                       port: NWSTest.port) do |s|
        assert_equal 'python', s.language
        assert s.status(timeout: 60).closed?
        assert s.worker_info.all? { |i| i[:language].start_with?('Python') }
        elements = (0...20).map { |i| [i, i + 0.5, "e#{i}", %w[a b c]] }
        got = s.each_elem('nws_matrix:combine', elements, splat: true)
        got.each_with_index do |r, i|
          assert_equal({ 'i' => i + 1, 'x' => (i + 0.5) * 2, 'label' => "e#{i}@python", 'n' => 3, 'lang' => 'python' }, r)
          assert_kind_of Integer, r['i']
          assert_kind_of Float, r['x']
        end
        err = assert_raises(NWS::InvalidArgumentError) { s.each_elem('NwsMatrix.combine', [1]) }
        assert_match(/module:function/, err.message)
      end
    end
  end
end
