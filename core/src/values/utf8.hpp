// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), for the portable encoding's strings and keys.
#pragma once

#include <cstddef>
#include <string_view>

namespace nws::portable {

// The offset of the first byte that is not valid UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept;

inline bool valid_utf8(std::string_view s) noexcept { return first_invalid_utf8(s) == std::string_view::npos; }

}  // namespace nws::portable
