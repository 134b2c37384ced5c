# Builds the nws_raw extension: the SWIG wrapper and facade over the C++
# core, all staged into this directory by bindings/ruby/stage.sh when the
# gem is built (so installing needs no SWIG).  The core is built by the
# Makefile of its vendored copy (nwscore/), which holds the flags every
# build of the core needs, and linked statically: libnwscore.a.
require 'mkmf'

core = File.join(__dir__, 'nwscore')
%w[nwscore/Makefile nwscore/include/nws/client.hpp nws_wrap.cxx facade.cpp facade.hpp facade_portable.cpp
   facade_portable.hpp facade_sleigh.cpp facade_sleigh.hpp].each do |f|
  next if File.exist?(File.join(__dir__, f))

  abort "nws_raw: #{f} is missing: run bindings/ruby/stage.sh before `gem build`, or install the built gem"
end
have_header('ruby/thread.h') or abort 'nws_raw: ruby/thread.h is missing (install the Ruby development headers)'

make = ENV['MAKE'] || find_executable('make') or abort 'nws_raw: make not found'
cxx = RbConfig::CONFIG['CXX']
message "building the NWS core (#{core}) ...\n"
system(make, '-C', core, "CXX=#{cxx}", 'libnwscore.a') or abort 'nws_raw: building the NWS core failed'

$srcs = %w[nws_wrap.cxx facade.cpp facade_portable.cpp facade_sleigh.cpp]
$INCFLAGS << " -I#{File.join(core, 'include')}"
# SWIG 4.1's Ruby runtime still uses the ANYARGS forms Ruby 3 deprecates:
# harmless, and not ours to change.
$CXXFLAGS << ' -std=c++20 -Wno-deprecated-declarations'
$LOCAL_LIBS << " #{File.join(core, 'libnwscore.a')}"
$LDFLAGS << ' -pthread'
# The core's data log (zlib) and TLS (OpenSSL).
$libs << ' -lz -lssl -lcrypto'
create_makefile('nws_raw')

# Once the extension is linked, the core's objects are not needed: the
# installed gem need not keep them.
File.open('Makefile', 'a') do |mk|
  mk.puts '', 'install: nwscore-clean', 'nwscore-clean: $(DLLIB)', "\t$(MAKE) -C nwscore clean"
end
