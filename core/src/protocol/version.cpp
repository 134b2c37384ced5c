// nws/version.hpp.  NWS_VERSION comes from core/VERSION through the build
// (core/CMakeLists.txt, or the Makefile of a package's copy of the core).
#include "nws/version.hpp"

#ifndef NWS_VERSION
#error "NWS_VERSION must be defined by the build (from core/VERSION)"
#endif

namespace nws {

std::string_view version() noexcept { return NWS_VERSION; }

}  // namespace nws
