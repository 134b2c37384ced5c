# The sleigh tests' helpers: the task modules' directory (the workers'
# module path), the process table, and one sleigh shared by a test class.
require_relative 'server_helper'

module SleighTest
  TASKS = File.expand_path('sleigh_tasks', __dir__)

  # Every process whose environment names the sleigh workspace +ws+
  # (workers get it through the environment contract).
  def self.processes_of(ws, prefix: 'RubySleigh')
    needle = "#{prefix}NwsName=#{ws}\0".b
    Dir.children('/proc').grep(/\A\d+\z/).select do |pid|
      (File.binread("/proc/#{pid}/environ") + "\0").include?(needle)
    rescue SystemCallError
      false
    end.map(&:to_i)
  end

  def self.alive?(pid)
    File.exist?("/proc/#{pid}")
  end

  # A sleigh of +workers+ Ruby workers on the suite's server, the group
  # closed (every worker joined) before it is returned.
  def self.start(workers: 2, **options)
    s = NWS::Sleigh.new(workers: workers, host: NWSTest.host, port: NWSTest.port, module_path: TASKS, **options)
    st = s.status(close_group: false, timeout: 60)
    raise "only #{st.workers} of #{workers} workers joined in 60 s" unless st.closed? && st.workers == workers

    s
  end

  # One sleigh for every test of the suite that can share one, stopped
  # after the run.
  def self.shared
    @shared ||= start.tap { |s| Minitest.after_run { s.stop } }
  end
end
