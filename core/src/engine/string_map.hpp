// Hash maps keyed by std::string that can be searched with a string_view,
// so looking a name up never allocates.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nws::engine {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace nws::engine
