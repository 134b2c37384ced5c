#include "results.hpp"

#include <cmath>
#include <cstdio>

namespace bench {
namespace {
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string Results::json() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : numbers_) {
    char num[64];
    std::snprintf(num, sizeof num, "%.6g", std::isfinite(v) ? v : 0.0);
    out += (first ? "" : ", ") + quoted(k) + ": " + num;
    first = false;
  }
  for (const auto& [k, v] : texts_) {
    out += (first ? "" : ", ") + quoted(k) + ": " + quoted(v);
    first = false;
  }
  return out + "}";
}

}  // namespace bench
