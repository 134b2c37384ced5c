# The NWS gem: the hand-written lib/nws.rb over the SWIG-generated nws_raw
# extension (committed, so installing needs no SWIG).  Run prepare.sh first:
# it copies the C++ core into ext/nws_raw/nwscore.
Gem::Specification.new do |s|
  s.name        = 'nws'
  s.version     = '0.1.0'
  s.summary     = 'Ruby client for NetWorkSpaces'
  s.description = 'Store, fetch and find values in NetWorkSpaces shared workspaces.'
  s.authors     = ['NWS developers']
  s.license     = 'GPL-2.0'
  s.required_ruby_version = '>= 2.7'
  s.files = Dir['lib/**/*.rb'] + Dir['ext/nws_raw/*.{rb,cxx}'] +
            Dir['ext/nws_raw/nwscore/**/*.{cpp,hpp}'] + Dir['test/*.rb'] + ['nws.gemspec', 'README.md']
  s.extensions = ['ext/nws_raw/extconf.rb']
  s.require_paths = ['lib']
  s.add_development_dependency 'minitest', '>= 5'
end
