#include "legacy_sessions.hpp"

#include <map>
#include <memory>

namespace nws::legacy {

const Transcript& transcript(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Transcript>> cache;
  auto& slot = cache[name];
  if (!slot) slot = std::make_unique<Transcript>(load_transcript(kVectorsDir, name));
  return *slot;
}

}  // namespace nws::legacy
