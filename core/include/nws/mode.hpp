// Variable modes (PROTOCOL.md §9), from the one table in modes.def.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace nws {

enum class Mode : std::uint8_t {
#define NWS_MODE(id, name, kind) id,
#include "nws/modes.def"
};

// The wire name ("fifo", "__time", "unknown").
std::string_view mode_name(Mode m) noexcept;
// Any mode of the table by its wire name (case-sensitive, like the server).
std::optional<Mode> parse_mode(std::string_view name) noexcept;
// A mode a client may declare: every mode but `unknown`.
bool declarable(Mode m) noexcept;
// One of the modes programs declare (fifo, lifo, multi, single), as
// opposed to the special and internal ones.
bool standard(Mode m) noexcept;
// Every mode, in the table's order.
std::span<const Mode> all_modes() noexcept;

}  // namespace nws
