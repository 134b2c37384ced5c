// Where the recordings are, and the order they were recorded in.
#pragma once

#include <string>
#include <vector>

#include "transcript.hpp"

#ifndef NWS_LEGACY_VECTORS_DIR
#error "NWS_LEGACY_VECTORS_DIR must name the legacy vectors folder (set by tests/legacy/CMakeLists.txt)"
#endif

namespace nws::legacy {

inline const std::string kVectorsDir = NWS_LEGACY_VECTORS_DIR;

// A group is one session, or sessions recorded at the same time (the two
// blocking connections).  Listed in recording order (the "session start"
// lines of the chunks.tsv files, checked by a test), which the replay must
// keep: the server-wide instance counter shows in the mktemp ws name.
struct SessionGroup {
  std::string id;                    // for test names
  std::vector<std::string> members;  // transcript names
};

inline const std::vector<SessionGroup>& recorded_groups() {
  static const std::vector<SessionGroup> groups = {
      {"py3_session", {"py3-session"}},
      {"py2orig_session", {"py2orig-session"}},
      {"r_session", {"r-session"}},
      {"py3_blocking", {"py3-blocking-1", "py3-blocking-2"}},
      {"py3_errors", {"py3-errors"}},
      {"py3_metadata", {"py3-metadata"}},
      {"py2orig_metadata", {"py2orig-metadata"}},
  };
  return groups;
}

// Loads every transcript once per process; throws (failing the calling
// test, never skipping it) if the folder or a file is missing.
const Transcript& transcript(const std::string& name);

}  // namespace nws::legacy
