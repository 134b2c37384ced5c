// The version of NetWorkSpaces: core/VERSION, the one place it is set.
#pragma once

#include <string_view>

namespace nws {

// "2.0.0": the same for the core, nws-server and every language package.
std::string_view version() noexcept;

}  // namespace nws
