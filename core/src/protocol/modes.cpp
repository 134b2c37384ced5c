// nws/mode.hpp: the names and kinds of modes.def.
#include <array>

#include "nws/mode.hpp"

namespace nws {
namespace {

enum class Kind { internal, standard, special };
struct Row {
  Mode mode;
  std::string_view name;
  Kind kind;
};
constexpr Row kRows[] = {
#define NWS_MODE(id, name, kind) {Mode::id, name, Kind::kind},
#include "nws/modes.def"
};
constexpr std::array<Mode, std::size(kRows)> kModes = [] {
  std::array<Mode, std::size(kRows)> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = kRows[i].mode;
  return out;
}();

const Row* row(Mode m) noexcept {
  auto i = static_cast<std::size_t>(m);
  return i < std::size(kRows) ? &kRows[i] : nullptr;
}

}  // namespace

std::string_view mode_name(Mode m) noexcept {
  const Row* r = row(m);
  return r ? r->name : "unknown";
}

std::optional<Mode> parse_mode(std::string_view name) noexcept {
  for (const Row& r : kRows)
    if (r.name == name) return r.mode;
  return std::nullopt;
}

bool declarable(Mode m) noexcept {
  const Row* r = row(m);
  return r && r->kind != Kind::internal;
}

bool standard(Mode m) noexcept {
  const Row* r = row(m);
  return r && r->kind == Kind::standard;
}

std::span<const Mode> all_modes() noexcept { return kModes; }

}  // namespace nws
