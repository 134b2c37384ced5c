#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/workspace.hpp"

namespace nws::engine {
namespace {
std::vector<const Variable*> sorted_vars(const Workspace& ws) {
  std::vector<const Variable*> v;
  v.reserve(ws.vars.size());
  for (const auto& [name, var] : ws.vars) v.push_back(var.get());
  // std::string compares as unsigned bytes: the byte order the original used.
  std::sort(v.begin(), v.end(), [](const Variable* a, const Variable* b) { return a->name() < b->name(); });
  return v;
}
}  // namespace

bool append_list_vars(std::string& out, const Workspace& ws, std::size_t limit) {
  bool first = true;
  for (const Variable* v : sorted_vars(ws)) {
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
  for (const Variable* v : sorted_vars(ws)) {
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
