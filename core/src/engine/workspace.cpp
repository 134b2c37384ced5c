#include "engine/workspace.hpp"

namespace nws::engine {

void Workspace::purge(const Deliver& deliver) {
  for (auto& entry : vars) entry.second->purge(deliver);
  ordered.clear();
  vars.clear();
  alive = false;
}

Variable& Workspace::add(std::unique_ptr<Variable> var) {
  Variable& ref = *var;
  auto [it, added] = vars.emplace(ref.name(), std::move(var));
  try {
    ordered.emplace(ref.name(), &ref);
  } catch (...) {
    vars.erase(it);
    throw;
  }
  return ref;
}

std::unique_ptr<Variable> Workspace::take(std::string_view var_name) {
  auto it = vars.find(var_name);
  if (it == vars.end()) return nullptr;
  std::unique_ptr<Variable> var = std::move(it->second);
  ordered.erase(var->name());
  vars.erase(it);
  return var;
}

}  // namespace nws::engine
