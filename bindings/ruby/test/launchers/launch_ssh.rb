# The ssh launchers (launch: :ssh, :sshforward) with Ruby workers, against
# the sshd that scripts/test-sleigh.sh runs on 127.0.0.1 (node
# $NWS_SLEIGH_SSH_NODE, its ssh wrapper on PATH).
require_relative 'launcher_helper'

class TestRubySleighSsh < Minitest::Test
  def node
    LauncherTest.required_env('NWS_SLEIGH_SSH_NODE')
  end

  # Two workers on the node, both working; returns their pids.
  def run_on(s)
    st = s.status(timeout: 60)
    assert_equal [2, true], [st.workers, st.closed?]
    info = s.worker_info
    assert_equal ["#{node}@0", "#{node}@1"], info.map { |i| i[:name] }
    assert_equal (0...20).map { |x| x * x }, s.each_elem('SleighTestTasks.square', 0...20)
    assert_equal [0, 1], s.each_worker('SleighTestTasks.who_am_i').map(&:first)
    info.map { |i| i[:pid] }
  end

  def test_ssh_starts_ruby_workers_through_sshd
    pids = ws = nil
    NWS::Sleigh.open(launch: :ssh, nodes: [node, node], host: NWSTest.host, port: NWSTest.port,
                     module_path: SleighTest::TASKS) do |s|
      pids = run_on(s)
      ws = s.ws_name
    end
    assert LauncherTest.wait_gone(pids, ws), 'the remote workers are gone'
  end

  def test_sshforward_reaches_the_server_through_a_reverse_tunnel
    tunnel = LauncherTest.free_port # nothing listens there but the tunnel's remote end
    pids = ws = nil
    NWS::Sleigh.open(launch: :sshforward, nodes: [node, node], remote_port: tunnel, host: NWSTest.host,
                     port: NWSTest.port, module_path: SleighTest::TASKS) do |s|
      pids = run_on(s)
      ws = s.ws_name
      # The workers were told to connect to the tunnel, not to the server.
      env = File.binread("/proc/#{pids[0]}/environ").split("\0")
      assert_includes env, "RubySleighNwsPort=#{tunnel}"
      refute_includes env, "RubySleighNwsPort=#{NWSTest.port}"
    end
    assert LauncherTest.wait_gone(pids, ws), 'the remote workers are gone'
  end
end
