# Where the binding scripts leave their installed packages, for the scripts
# that use several languages at once (scripts/test-interop.sh,
# examples/pipeline/run.sh): sourced, never run.
#
#   . scripts/lib/bindings.sh
#   use_installed_perl_ruby   # exports PERL5LIB, GEM_HOME and GEM_PATH

_nws_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NWS_PYTHON=$_nws_root/build-python/venv-3.11/bin/python    # scripts/test-python.sh
NWS_R_LIB=${NWS_R_LIBS:-$_nws_root/build-r/lib}            # scripts/test-r.sh
NWS_JAR=$_nws_root/bindings/java/target/nws.jar             # scripts/test-java.sh
NWS_PERL_LIB=$_nws_root/build-perl/inst/lib/perl5           # scripts/test-perl.sh
NWS_GEM_HOME=$_nws_root/build-ruby/gems                     # scripts/test-ruby.sh

use_installed_perl_ruby() {
  export PERL5LIB=$NWS_PERL_LIB${PERL5LIB:+:$PERL5LIB}
  # The system gem path stays: minitest and the other bundled gems live there.
  export GEM_HOME=$NWS_GEM_HOME
  GEM_PATH=$NWS_GEM_HOME:$(ruby -e 'print Gem.path.join(":")' 2>/dev/null)
  export GEM_PATH
}
