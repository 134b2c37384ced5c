// Names quoted in the engine's messages: `"name"` (the original's replies)
// or `'name'` (the extensions' messages).
#pragma once

#include <string>
#include <string_view>

namespace nws::engine {

inline std::string quoted(std::string_view s, char mark = '"') {
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false
  // positive) about mark + std::string(s) + mark.
  std::string q;
  q.reserve(s.size() + 2);
  q += mark;
  q += s;
  q += mark;
  return q;
}

}  // namespace nws::engine
