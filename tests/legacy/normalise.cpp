#include "normalise.hpp"

#include <algorithm>
#include <regex>

namespace nws::legacy {

WireDict sorted(WireDict d) {
  std::stable_sort(d.entries.begin(), d.entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return d;
}

WireDict without(WireDict d, std::initializer_list<std::string_view> keys) {
  std::erase_if(d.entries, [&](const auto& e) { return std::find(keys.begin(), keys.end(), e.first) != keys.end(); });
  return d;
}

namespace {
// The original printed the Twisted address object; we print host:port.
const std::regex kOriginalOwner(R"(^IPv4Address\(TCP, '([^']*)', ([0-9]+)\) \((.*)\)$)");
const std::regex kOurOwner(R"(^([0-9.]+):([0-9]+) \((.*)\)$)");
// PROTOCOL.md §7.7: "__nwss" + random characters of [A-Za-z0-9_]: 6 by the
// protocol notes (and ours), 8 in the recording (Python 3's tempfile names).
const std::regex kTempName(R"(^(.*)__nwss[A-Za-z0-9_]+$)");
}  // namespace

std::string normalise_owner(std::string_view owner) {
  std::string s(owner);
  std::smatch m;
  if (std::regex_match(s, m, kOriginalOwner) || std::regex_match(s, m, kOurOwner))
    return "<peer " + m[1].str() + "> (" + m[3].str() + ")";
  return s;
}

std::optional<unsigned> our_owner_port(std::string_view owner) {
  std::string s(owner);
  std::smatch m;
  if (!std::regex_match(s, m, kOurOwner)) return std::nullopt;
  return static_cast<unsigned>(std::stoul(m[2].str()));
}

std::string normalise_temp_name(std::string_view name) {
  std::string s(name);
  std::smatch m;
  if (std::regex_match(s, m, kTempName)) return m[1].str() + "__nwss<suffix>";
  return s;
}

bool looks_like_var_id(std::string_view field) {
  return field.size() == 20 && std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Normaliser::id_placeholder(const std::string& id) {
  auto [it, fresh] = ids_.emplace(id, static_cast<int>(ids_.size()) + 1);
  std::string p = "<id " + std::to_string(it->second) + ">";
  p.resize(20, ' ');  // keep the field width, so the encoding stays aligned
  return p;
}

// Lines "mark name<TAB>owner<TAB>persistent<TAB>count<TAB>names<LF>": only
// the owner (and a mktemp'd name) varies.
std::string Normaliser::list_wss_value(std::string_view value) {
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t end = value.find('\n', pos);
    std::size_t stop = end == std::string_view::npos ? value.size() : end;
    std::string line(value.substr(pos, stop - pos));
    std::size_t t1 = line.find('\t');
    std::size_t t2 = t1 == std::string::npos ? std::string::npos : line.find('\t', t1 + 1);
    if (t2 != std::string::npos) {
      std::string name = line.substr(1, t1 - 1);
      if (auto it = temp_names_.find(name); it != temp_names_.end()) name = it->second;
      line = line.substr(0, 1) + name + "\t" + normalise_owner(line.substr(t1 + 1, t2 - t1 - 1)) + line.substr(t2);
    }
    out += line;
    if (end == std::string_view::npos) break;
    out += '\n';
    pos = end + 1;
  }
  return out;
}

Reply Normaliser::normalise(const Reply& r, std::string_view verb) {
  Reply n = r;
  if (n.metadata) n.metadata = sorted(*n.metadata);
  if (n.kind == ReplyKind::short_reply) return n;
  if (n.var_id && looks_like_var_id(*n.var_id)) n.var_id = id_placeholder(*n.var_id);
  if (n.status == "0000") {
    if (verb == "list wss") {
      n.value = list_wss_value(n.value);
    } else if (verb == "mktemp ws") {
      std::string norm = normalise_temp_name(n.value);
      temp_names_[n.value] = norm;
      n.value = norm;
    }
  }
  // encode_reply() recomputes the length field from the normalised value.
  n.length_field.clear();
  return n;
}

}  // namespace nws::legacy
