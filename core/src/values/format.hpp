// The byte layout of a portable value (docs/values.md, "The encoding"):
// what the writer and the reader must agree on, in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nws::portable::format {

// Every portable value starts with these 4 bytes.  0xC1 is the one byte
// MessagePack never uses, and neither a pickle opcode nor the start of an
// R serialisation, so no original reader mistakes the value for its own.
inline constexpr std::string_view marker{"\xC1NP\x01", 4};

// MessagePack extension types.
inline constexpr std::int8_t ext_timestamp = -1;  // MessagePack's own
inline constexpr std::int8_t ext_vector = 1;      // a packed numeric vector
inline constexpr std::int8_t ext_strings = 2;     // a vector of strings
inline constexpr std::int8_t ext_table = 3;       // a table

// A packed vector's payload: element type, flags, 6 zero bytes, the count
// (uint64 little-endian), count * width bytes of data, then the missing
// bitmap when flagged.  The 16-byte header keeps the data 8-byte aligned
// relative to the payload.
inline constexpr std::size_t vector_header = 16;
inline constexpr std::uint8_t flag_missing = 1;

// An extension whose payload is written before its length is known (a
// vector of strings, a table) always takes the 32-bit form: 0xC9, the
// length (uint32 big-endian), the type; the length is filled in at the end.
inline constexpr unsigned char ext32 = 0xC9;
inline constexpr std::size_t ext32_header = 6;

inline std::size_t bitmap_bytes(std::size_t count) { return (count + 7) / 8; }

}  // namespace nws::portable::format
