// Normalises the fields that legitimately differ between the original
// server's recorded replies and ours (vectors/legacy/README.md, "Fields that
// vary from run to run"), and nothing else:
//   * variable ids -> "<id N>" (N = order of first appearance on that side,
//     so "same id" / "different id" is still compared);
//   * owner strings in `list wss` -> "<peer HOST> (label)", from either the
//     original's "IPv4Address(TCP, 'HOST', PORT) (label)" or our
//     "HOST:PORT (label)" (docs/architecture.md OQ10);
//   * the suffix of a `mktemp ws` name -> "__nwss<suffix>";
//   * the order of metadata map entries -> sorted by key.
// The normalised reply is re-encoded with its length field recomputed from
// the normalised value, so the comparison covers every byte.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "transcript.hpp"

namespace nws::legacy {

// Entries sorted by key (stable, so duplicate keys keep their wire order).
WireDict sorted(WireDict d);
// `d` without the given keys.
WireDict without(WireDict d, std::initializer_list<std::string_view> keys);

// An owner string in either format, normalised; anything else unchanged.
std::string normalise_owner(std::string_view owner);
// The client port inside an owner string of our format, if it is one.
std::optional<unsigned> our_owner_port(std::string_view owner);

// A mktemp'd name "<formatted template>__nwss<random>" -> the same with the
// random characters replaced; anything else unchanged.
std::string normalise_temp_name(std::string_view name);

// True for what both servers put in the 20-byte id field of a value reply:
// 20 decimal digits (original: random digits; ours: a counter, OQ4).
bool looks_like_var_id(std::string_view field);

// One side of one connection.  Stateful: ids are numbered by first appearance.
class Normaliser {
 public:
  // The reply with the varying fields replaced; `verb` is its request's verb.
  Reply normalise(const Reply& r, std::string_view verb);

 private:
  std::string id_placeholder(const std::string& id);
  std::string list_wss_value(std::string_view value);

  std::map<std::string, int> ids_;
  std::map<std::string, std::string> temp_names_;  // as returned -> normalised
};

}  // namespace nws::legacy
