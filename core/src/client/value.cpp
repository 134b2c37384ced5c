// Names of writer languages and variable modes.
#include <array>

#include "nws/client.hpp"
#include "nws/value.hpp"

namespace nws {

std::string language_name(std::uint8_t id) {
  // Ids 1-10 are the original web interface's translator table
  // (PROTOCOL.md §8); 11 is ours for C++.
  static constexpr std::array<std::string_view, 12> kNames = {
      "",     "Python", "Matlab", "R",           "Perl",       "Ruby",
      "Octave", "Java", "C#",     "Objective-C", "Emacs Lisp", "C++"};
  if (id > 0 && id < kNames.size()) return std::string(kNames[id]);
  return "language " + std::to_string(id);
}

std::string_view mode_name(Mode m) noexcept {
  switch (m) {
    case Mode::fifo: return "fifo";
    case Mode::lifo: return "lifo";
    case Mode::multi: return "multi";
    case Mode::single: return "single";
  }
  return "fifo";
}

std::optional<Mode> parse_mode(std::string_view name) noexcept {
  // Case-sensitive, like the server (PROTOCOL.md §7.1).
  for (Mode m : {Mode::fifo, Mode::lifo, Mode::multi, Mode::single})
    if (mode_name(m) == name) return m;
  return std::nullopt;
}

}  // namespace nws
