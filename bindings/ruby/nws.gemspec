# The NWS gem: the hand-written Ruby files in lib/ over the nws_raw native
# extension.  Run stage.sh first: it puts the core, the SWIG facade and
# wrapper and lib/nws/tables.rb here (all generated, none in git), so the
# built gem installs without SWIG.  The version is the core's (core/VERSION,
# staged as ext/nws_raw/nwscore/VERSION).
Gem::Specification.new do |s|
  here = __dir__
  staged = File.join(here, 'ext', 'nws_raw', 'nwscore', 'VERSION')
  unless File.file?(staged) && File.file?(File.join(here, 'lib', 'nws', 'tables.rb'))
    raise "nws.gemspec: nothing staged: run #{File.join(here, 'stage.sh')} first"
  end

  s.name        = 'nws'
  s.version     = File.read(staged).strip
  s.summary     = 'Ruby client for NetWorkSpaces, with an embedded server'
  s.description = 'Store, fetch and find values in NetWorkSpaces shared workspaces, from Ruby and with programs ' \
                  'in Python, R, Java and Perl; NWS::LocalServer runs a server inside the program.'
  s.authors     = ['NWS developers']
  s.license     = 'GPL-2.0'
  s.required_ruby_version = '>= 2.7'
  s.files = Dir.chdir(here) do
    Dir['lib/**/*.rb'] + Dir['ext/nws_raw/*.{rb,cxx,cpp,hpp}'] +
      Dir['ext/nws_raw/nwscore/**/*'].reject { |f| File.directory?(f) || f.end_with?('.o', '.a') } +
      ['nws.gemspec', 'README.md']
  end
  s.extensions = ['ext/nws_raw/extconf.rb']
  s.require_paths = ['lib']
  s.extra_rdoc_files = ['README.md']
end
