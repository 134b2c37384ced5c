// The sleigh's bookkeeping variables hold counts as decimal text (rankCount,
// workerCount: SLEIGH.md §11.2); reading one back, for master and worker alike.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include "nws/error.hpp"

namespace nws::sleigh::detail {

// `text` as a decimal count; anything else is a protocol error naming the
// variable (`what`) and who read it (`who`: "sleigh", "sleigh worker").
inline std::int64_t parse_count(const std::string& text, const char* what, const char* who) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || *end)
    throw Error(Errc::protocol, std::string(who) + ": " + what + " holds '" + text + "', not a number");
  return v;
}

}  // namespace nws::sleigh::detail
