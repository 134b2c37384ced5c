# Builds the nws_raw extension: the committed SWIG wrapper plus the C++
# client core and facade (copied into nwscore/ by prepare.sh when the gem is
# built, so the gem carries them).  C++20, -fPIC, hidden visibility, linked
# statically into the one shared object.
require 'mkmf'

core = File.join(__dir__, 'nwscore')
abort "nws_raw: #{core} is missing (run bindings/ruby/prepare.sh, or install from the built gem)" unless File.directory?(core)

dirs = %w[src/protocol src/client facade].map { |d| File.join(core, d) }
$srcs = ['nws_wrap.cxx'] + dirs.flat_map { |d| Dir[File.join(d, '*.cpp')].map { |f| File.basename(f) } }
$VPATH.concat(dirs)
$INCFLAGS << " -I#{File.join(core, 'include')} -I#{File.join(core, 'src')} -I#{File.join(core, 'facade')}"
$CXXFLAGS << ' -std=c++20 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -Wno-unused-parameter'
$LDFLAGS << ' -pthread'
have_header('ruby/thread.h') or abort 'nws_raw: ruby/thread.h missing'
create_makefile('nws_raw')
