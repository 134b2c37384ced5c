#include "protocol/names.hpp"

namespace nws::proto {

std::optional<std::string> name_problem(std::string_view name) {
  if (is_plain_name(name)) return std::nullopt;
  if (name.size() > kMaxNameBytes)
    return "is " + std::to_string(name.size()) + " bytes long, over the limit of " + std::to_string(kMaxNameBytes);
  for (char c : name) {
    switch (c) {
      case '\t': return std::string("contains a TAB");
      case '\n': return std::string("contains a line feed");
      case '\r': return std::string("contains a carriage return");
      case '\0': return std::string("contains a NUL byte");
      default: break;
    }
  }
  return std::nullopt;
}

}  // namespace nws::proto
