#include "client/listing.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "protocol/fields.hpp"

namespace nws::detail {
namespace {

// Calls f(line) for every non-empty LF-separated line.  Both listing formats
// come down to this: `list wss` ends every line with LF (and is a lone LF
// when empty), `list vars` has no trailing LF (and is empty when empty).
template <class F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty()) f(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

[[noreturn]] void malformed(std::string_view listing, std::string_view line) {
  throw Error(Errc::protocol, "malformed line in the server's " + std::string(listing) + " reply: '" +
                                  std::string(line) + "'");
}

// Splits into exactly N TAB-separated fields; false for any other count
// (names with TABs are not escaped by the server, so they cannot be parsed).
template <std::size_t N>
bool split_fields(std::string_view line, std::array<std::string_view, N>& out) {
  for (std::size_t i = 0; i < N; ++i) {
    std::size_t tab = line.find('\t');
    if (i + 1 == N) {
      if (tab != std::string_view::npos) return false;
      out[i] = line;
    } else {
      if (tab == std::string_view::npos) return false;
      out[i] = line.substr(0, tab);
      line.remove_prefix(tab + 1);
    }
  }
  return true;
}

std::int64_t number(std::string_view field, std::string_view listing, std::string_view line) {
  auto n = proto::parse_int(field);
  if (!n) malformed(listing, line);
  return *n;
}

}  // namespace

std::vector<WsInfo> parse_ws_listing(std::string_view text) {
  constexpr std::string_view kWhat = "list wss";
  std::vector<WsInfo> out;
  for_each_line(text, [&](std::string_view line) {
    std::array<std::string_view, 5> f;
    // The first character is the ownership mark, glued to the name.
    if (!split_fields(line.substr(1), f)) malformed(kWhat, line);
    WsInfo w;
    w.mine = line[0] == '>';
    w.name = f[0];
    w.owner = f[1];
    // The original clients test only the first letter ("True"/"False").
    w.persistent = !f[2].empty() && (f[2][0] == 't' || f[2][0] == 'T');
    w.variables = number(f[3], kWhat, line);
    for (std::string_view names = f[4]; !names.empty();) {
      std::size_t comma = names.find(',');
      w.variable_names.emplace_back(names.substr(0, comma));
      if (comma == std::string_view::npos) break;
      names.remove_prefix(comma + 1);
    }
    out.push_back(std::move(w));
  });
  return out;
}

std::vector<VarInfo> parse_var_listing(std::string_view text) {
  constexpr std::string_view kWhat = "list vars";
  std::vector<VarInfo> out;
  for_each_line(text, [&](std::string_view line) {
    std::array<std::string_view, 5> f;
    if (!split_fields(line, f)) malformed(kWhat, line);
    VarInfo v;
    v.name = f[0];
    v.values = number(f[1], kWhat, line);
    v.fetchers = number(f[2], kWhat, line);
    v.finders = number(f[3], kWhat, line);
    v.mode = f[4];
    out.push_back(std::move(v));
  });
  return out;
}

}  // namespace nws::detail
