#include <cstdio>

#include "engine/workspace.hpp"

namespace nws::engine {

std::optional<std::string> format_mktemp_template(std::string_view tmpl, std::uint64_t n) {
  std::string out;
  int conversions = 0;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c != '%') { out += c; continue; }
    if (i + 1 < tmpl.size() && tmpl[i + 1] == '%') { out += '%'; ++i; continue; }
    // %[flags][width][.precision]conversion, rebuilt for snprintf with a
    // 64-bit argument so no template can reach past its one integer.
    std::string spec = "%";
    std::size_t j = i + 1;
    while (j < tmpl.size() && std::string_view("-+ #0").find(tmpl[j]) != std::string_view::npos) spec += tmpl[j++];
    std::size_t digits = 0;
    while (j < tmpl.size() && tmpl[j] >= '0' && tmpl[j] <= '9' && digits < 3) { spec += tmpl[j++]; ++digits; }
    if (j < tmpl.size() && tmpl[j] == '.') {
      spec += tmpl[j++];
      digits = 0;
      while (j < tmpl.size() && tmpl[j] >= '0' && tmpl[j] <= '9' && digits < 3) { spec += tmpl[j++]; ++digits; }
    }
    if (j >= tmpl.size()) return std::nullopt;
    char conv = tmpl[j];
    if (std::string_view("diuxXo").find(conv) == std::string_view::npos) return std::nullopt;
    if (++conversions > 1) return std::nullopt;
    spec += "ll";
    spec += conv == 'i' ? 'd' : conv;
    char buf[1100];
    int len = std::snprintf(buf, sizeof buf, spec.c_str(), static_cast<long long>(n));
    if (len < 0 || static_cast<std::size_t>(len) >= sizeof buf) return std::nullopt;
    out.append(buf, static_cast<std::size_t>(len));
    i = j;
  }
  if (conversions != 1) return std::nullopt;
  return out;
}

}  // namespace nws::engine
