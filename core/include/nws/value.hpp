// A value as it travels: a descriptor (PROTOCOL.md §8) and its bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nws {

// Writer language ids (descriptor bits 24-31).
enum class Language : std::uint8_t {
  none = 0, python = 1, matlab = 2, r = 3, perl = 4, ruby = 5, octave = 6, java = 7,
  csharp = 8, objc = 9, elisp = 10, cpp = 11,
};

// The language's display name ("Python", "R", ...), or "language <n>".
std::string language_name(std::uint8_t id);

namespace descriptor {
inline constexpr std::uint64_t direct_string = 0x1;
inline constexpr std::uint64_t binary = 0x2;
inline constexpr std::uint64_t make(Language lang, bool direct, bool binary_flag) {
  return (static_cast<std::uint64_t>(lang) << 24) | (direct ? direct_string : 0) | (binary_flag ? binary : 0);
}
}  // namespace descriptor

struct Value {
  std::uint64_t descriptor = 0;
  std::string bytes;

  bool is_string() const { return descriptor & descriptor::direct_string; }
  bool is_binary() const { return is_string() && (descriptor & descriptor::binary); }
  std::uint8_t language() const { return static_cast<std::uint8_t>((descriptor >> 24) & 0xff); }

  // A direct text string written by C++.
  static Value text(std::string s) { return {descriptor::make(Language::cpp, true, false), std::move(s)}; }
  // A direct binary string written by C++.
  static Value binary(std::string s) { return {descriptor::make(Language::cpp, true, true), std::move(s)}; }
};

}  // namespace nws
