# The SLURM launcher (launch: :slurm) with Ruby workers, on the one-node
# SLURM that scripts/test-sleigh.sh runs ($SLURM_CONF): sbatch from outside
# an allocation, srun steps from a master inside one (salloc).
require_relative 'launcher_helper'
require 'open3'
require 'tmpdir'

class TestRubySleighSlurm < Minitest::Test
  def setup
    LauncherTest.required_env('SLURM_CONF')
  end

  def test_sbatch_from_outside_an_allocation
    job_id = ENV.delete('SLURM_JOB_ID')
    Dir.mktmpdir('nws-ruby-slurm') do |logs|
      pids = ws = nil
      NWS::Sleigh.open(launch: :slurm, workers: 2, host: NWSTest.host, port: NWSTest.port, log_dir: logs,
                       module_path: SleighTest::TASKS) do |s|
        st = s.status(timeout: 120)
        assert_equal [2, true], [st.workers, st.closed?]
        assert_equal (1..50).to_a, s.each_elem('SleighTestTasks.add', 0...50, fixed_args: [1])
        info = s.worker_info
        assert_equal [0, 1], info.map { |i| i[:id] }.sort, 'ids are SLURM_PROCID'
        pids = info.map { |i| i[:pid] }
        ws = s.ws_name
      end
      assert LauncherTest.wait_gone(pids, ws), "the batch job's workers are gone"
      out, status = Open3.capture2('squeue', '--noheader', '--name', ws)
      assert status.success?
      assert_equal '', out.strip, 'no batch job left in the queue'
      assert_equal ["#{ws}.txt", "#{ws}_0000.txt", "#{ws}_0001.txt"], Dir.children(logs).sort
    end
  ensure
    ENV['SLURM_JOB_ID'] = job_id if job_id
  end

  MASTER = <<~'RUBY'
    require 'nws'
    NWS::LocalServer.start do |srv|
      NWS::Sleigh.open(launch: :slurm, host: srv.host, port: srv.port, module_path: ARGV[0]) do |s|
        puts "ntasks #{ENV['SLURM_NTASKS']}"
        st = s.status(timeout: 120)
        puts "status #{st.workers} #{st.closed?}"
        puts "sum #{s.each_elem('SleighTestTasks.square', 0...100).sum}"
        puts "ranks #{s.each_worker('SleighTestTasks.who_am_i').map(&:first).join(' ')}"
      end
    end
  RUBY

  def test_srun_steps_inside_an_allocation
    Dir.mktmpdir('nws-ruby-salloc') do |dir|
      script = File.join(dir, 'master.rb')
      File.write(script, MASTER)
      lib = File.dirname($LOADED_FEATURES.grep(%r{/nws\.rb\z}).first)
      out, err, status = Open3.capture3('timeout', '300', 'salloc', '--ntasks=2', RbConfig.ruby, '-I', lib, script,
                                        SleighTest::TASKS)
      assert status.success?, err
      lines = out.lines.to_h { |l| l.chomp.split(' ', 2) }
      assert_equal '2', lines['ntasks']
      assert_equal '2 true', lines['status']
      assert_equal (0...100).sum { |x| x * x }.to_s, lines['sum']
      assert_equal '0 1', lines['ranks']
    end
  end
end
