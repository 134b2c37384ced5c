// Replays recorded legacy sessions against a running nws-server and compares
// every reply with the recording after normalisation (normalise.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transcript.hpp"

namespace nws::legacy {

// How the client bytes are cut into writes.
enum class Split {
  recorded_chunks,  // the C>S rows of chunks.tsv
  byte_at_a_time,   // the same rows, each sent one byte per write
  all_at_once,      // as few writes as possible: a write ends only where the
                    // next request needs something from a reply not yet read
                    // (an id or mktemp name to substitute), or where another
                    // connection of the group acts in between
};
const char* split_name(Split s);

// Replays a group of transcripts recorded at the same time (one connection
// each) against the server on `port`, in recorded wall-clock order.  Before a
// connection acts while another one is recorded as blocked, it waits (polling
// `list vars` with a deadline) until the server shows that one blocked.
// Mismatches are reported as non-fatal gtest failures; returns false if the
// replay could not go on (stream out of step, timeout, connection lost).
bool replay_group(std::uint16_t port, const std::vector<const Transcript*>& group, Split split);

// The writes a replay makes, in order, without a server: which connection
// (index into `group`) and which range of its recorded client stream.  For
// tests of the schedule itself.
struct PlannedWrite {
  std::size_t conn = 0, begin = 0, end = 0;
  bool operator==(const PlannedWrite&) const = default;
};
std::vector<PlannedWrite> planned_writes(const std::vector<const Transcript*>& group, Split split);

// Polls `list wss` on a fresh connection until only `__default` is left
// (what the recordings started from).  False on timeout.
bool wait_until_only_default(std::uint16_t port, std::string* last_listing = nullptr);

}  // namespace nws::legacy
