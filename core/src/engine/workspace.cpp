#include "engine/workspace.hpp"

namespace nws::engine {

void Workspace::purge(const Deliver& deliver) {
  for (auto& entry : vars) entry.second->purge(deliver);
  vars.clear();
  alive = false;
}

}  // namespace nws::engine
