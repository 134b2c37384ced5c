#include <cstdint>

#include "engine/workspace.hpp"

namespace nws::engine {
bool append_list_vars(std::string& out, const Workspace& ws, std::size_t limit) {
  bool first = true;
  // Name order: std::string_view compares as unsigned bytes, the byte order
  // the original used.
  for (const auto& [name, v] : ws.ordered) {
    if (out.size() > limit) return false;
    if (!first) out += '\n';
    first = false;
    out += v->name();
    out += '\t';
    out += std::to_string(v->value_count());
    out += '\t';
    out += std::to_string(v->fetcher_count());
    out += '\t';
    out += std::to_string(v->finder_count());
    out += '\t';
    out += mode_name(v->mode());
  }
  return out.size() <= limit;
}

bool append_list_wss_line(std::string& out, const Workspace& ws, bool mine, std::size_t limit) {
  out += mine ? '>' : ' ';
  out += ws.name;
  out += '\t';
  out += ws.owner;
  out += '\t';
  out += ws.persistent ? "True" : "False";
  out += '\t';
  out += std::to_string(ws.vars.size());
  out += '\t';
  bool first = true;
  for (const auto& [name, v] : ws.ordered) {
    if (out.size() > limit) return false;
    if (!first) out += ',';
    first = false;
    out += v->name();
  }
  out += '\n';
  return out.size() <= limit;
}

std::string list_vars_text(const Workspace& ws) {
  std::string out;
  append_list_vars(out, ws, SIZE_MAX);
  return out;
}

std::string list_wss_line(const Workspace& ws, bool mine) {
  std::string out;
  append_list_wss_line(out, ws, mine, SIZE_MAX);
  return out;
}

}  // namespace nws::engine
