# RDoc documents the whole public API of the gem being tested, without a
# warning and without an undocumented item.
require_relative 'server_helper'
require 'open3'
require 'tmpdir'

class TestDocs < Minitest::Test
  def test_rdoc_documents_everything
    lib = File.join(NWSTest.gem_root, 'lib')
    Dir.mktmpdir('nws-rdoc') do |out|
      stdout, stderr, status = Open3.capture3('rdoc', '--output', File.join(out, 'doc'), '--force-output', lib)
      assert status.success?, "rdoc failed: #{stderr}"
      # rdoc says where it writes on stderr; anything else there is a warning.
      assert_equal '', stderr.lines.grep_v(/\A\s*\z|\AGenerating \w+ format into /).join, 'rdoc warned'
      assert_match(/^\s*Total:\s+\d+ \(0 undocumented\)$/, stdout)
      assert_match(/100\.00% documented/, stdout)
      assert File.file?(File.join(out, 'doc', 'NWS', 'NetWorkSpace.html'))
    end
  end
end
