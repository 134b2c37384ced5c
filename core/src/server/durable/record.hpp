// The data log's records (docs/durability.md): each request's changes to
// durable workspaces are one frame, checked by its CRC, so a frame is
// loaded whole or not at all.
//
//   file   := "NWSLOG1\n" frame*
//   frame  := u64le(length) u32le(crc32(payload)) payload      (length = payload bytes)
//   payload:= op+
//   op     := u8(kind) fields, strings as varint(length) bytes
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nws/mode.hpp"

namespace nws::server::durable {

inline constexpr std::string_view kMagic = "NWSLOG1\n";
inline constexpr std::size_t kFrameHeader = 12;

enum class OpKind : std::uint8_t {
  workspace = 1,         // name, owner, persistent
  delete_workspace = 2,  // name
  declare = 3,           // ws, var, mode (its wire name)
  delete_variable = 4,   // ws, var
  store = 5,             // ws, var, descriptor, value, metadata
  taken = 6,             // ws, var, lease (0: a plain fetch)
  leased = 7,            // ws, var, lease, descriptor, value, metadata
  acknowledged = 8,      // lease
  given_back = 9,        // lease
};

// One decoded op; views point into the frame's bytes.
struct Op {
  OpKind kind{};
  std::string_view ws;       // the workspace (its name for `workspace`)
  std::string_view var;
  std::string_view owner;
  bool persistent = false;
  Mode mode{};
  std::uint64_t lease = 0;
  std::uint64_t descriptor = 0;
  std::string_view value;
  std::vector<std::pair<std::string_view, std::string_view>> metadata;
};

// Appends pieces of ops to a frame being built.
void put_varint(std::string& out, std::uint64_t v);
void put_string(std::string& out, std::string_view s);

// Decodes a frame's payload op by op; false (with `error` set) at the first
// malformed op.  Never reads past the payload.
bool decode_ops(std::string_view payload, const std::function<void(const Op&)>& apply, std::string& error);

// The frame at the start of `data`: its payload when it is whole and its
// CRC matches; otherwise nothing, and `why` says what is wrong ("cut
// short", "checksum mismatch", ...).  `frame_size` is set to the frame's
// total size when whole.
std::optional<std::string_view> next_frame(std::string_view data, std::size_t& frame_size, std::string& why);

// The frame header for `payload_length` bytes whose CRC is `crc`.
std::string frame_header(std::uint64_t payload_length, std::uint32_t crc);
std::uint32_t crc32_of(std::uint32_t crc, std::string_view bytes);

}  // namespace nws::server::durable
