// The fixed-width numeric fields of the wire format (PROTOCOL.md §2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nws::proto {

// Parses a numeric field the way the original server's int() did: optional
// surrounding ASCII whitespace, an optional sign, then decimal digits.
// Returns nothing for anything else, or for a value outside int64.
std::optional<std::int64_t> parse_int(std::string_view field);

// Same, but for unsigned 64-bit values (descriptors, lengths): a '-' sign is
// only accepted for zero.
std::optional<std::uint64_t> parse_uint(std::string_view field);

// '%04d', '%020d' and '%-20.20s' as the original wrote them.
void append_n4(std::string& out, std::int64_t n);
void append_n20(std::string& out, std::int64_t n);
void append_n20u(std::string& out, std::uint64_t n);
void append_id20(std::string& out, std::string_view id);

std::string n4(std::int64_t n);
std::string n20(std::int64_t n);

}  // namespace nws::proto
