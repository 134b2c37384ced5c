// What a name may be (workspace and variable names, owner labels): the one
// rule the server enforces with an error reply and the client checks before
// sending (nws::args::name).  Names are byte strings, the empty one
// included, as in the original; but a TAB, LF or CR would break the
// tab-separated `list wss` / `list vars` replies, a NUL the C strings of
// other clients, and a huge name costs memory in every listing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nws::proto {

inline constexpr std::size_t kMaxNameBytes = 4096;

// Whether `name` can be a name.  Inline, one test per byte: every request
// takes this path, and only a wrong name needs name_problem's message.
inline bool is_plain_name(std::string_view name) noexcept {
  // TAB (9), LF (10), CR (13) and NUL (0) as bits.
  constexpr std::uint32_t kForbidden = (1u << 0) | (1u << 9) | (1u << 10) | (1u << 13);
  if (name.size() > kMaxNameBytes) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 14 && ((kForbidden >> c) & 1u)) return false;
  }
  return true;
}

// Why `name` cannot be a name ("contains a TAB", "is 5000 bytes long, over
// the limit of 4096"), or nothing if it can.
std::optional<std::string> name_problem(std::string_view name);

}  // namespace nws::proto
