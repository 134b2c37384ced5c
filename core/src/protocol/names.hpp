// What a name may be (workspace and variable names, owner labels): the one
// rule the server enforces with an error reply and the client checks before
// sending (nws::args::name).  Names are byte strings, the empty one
// included, as in the original; but a TAB, LF or CR would break the
// tab-separated `list wss` / `list vars` replies, a NUL the C strings of
// other clients, and a huge name costs memory in every listing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nws::proto {

inline constexpr std::size_t kMaxNameBytes = 4096;

// Why `name` cannot be a name ("contains a TAB", "is 5000 bytes long, over
// the limit of 4096"), or nothing if it can.
std::optional<std::string> name_problem(std::string_view name);

}  // namespace nws::proto
