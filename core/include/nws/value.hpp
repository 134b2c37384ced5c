// A value as it travels: a descriptor (PROTOCOL.md §8) and its bytes.  The
// descriptor's bits and the writer languages are the table in values.def.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nws {

// Writer language ids (descriptor bits 24-31).
enum class Language : std::uint8_t {
#define NWS_LANGUAGE(id, number, display) id = number,
#include "nws/values.def"
};

// The language's display name ("Python", "R", ...), or "language <n>".
std::string language_name(std::uint8_t id);

// What every binding says of a value it cannot turn into one of its own
// (Errc::serialisation): which variable, who wrote it, and what the reader
// can read.  `why`, when given, is the reader's own failure (a broken pickle).
std::string unreadable_value_message(std::string_view ws, std::string_view var, std::uint64_t descriptor,
                                     Language reader, std::string_view why = {});

namespace descriptor {
#define NWS_DESCRIPTOR_FLAG(id, mask, description) inline constexpr std::uint64_t id = mask;
#define NWS_DESCRIPTOR_FIELD(id, shift, width, description) \
  inline constexpr unsigned id##_shift = shift;              \
  inline constexpr std::uint64_t id##_mask = (std::uint64_t{1} << width) - 1;
#include "nws/values.def"

inline constexpr std::uint64_t make(Language lang, bool direct, bool binary_flag) {
  return (static_cast<std::uint64_t>(lang) << language_shift) | (direct ? direct_string : 0) |
         (binary_flag ? binary : 0);
}
inline constexpr std::uint8_t language_of(std::uint64_t d) {
  return static_cast<std::uint8_t>((d >> language_shift) & language_mask);
}
}  // namespace descriptor

struct Value {
  std::uint64_t descriptor = 0;
  std::string bytes;

  bool is_string() const { return descriptor & descriptor::direct_string; }
  bool is_binary() const { return is_string() && (descriptor & descriptor::binary); }
  std::uint8_t language() const { return descriptor::language_of(descriptor); }

  // A direct text string written by C++.
  static Value text(std::string s) { return {descriptor::make(Language::cpp, true, false), std::move(s)}; }
  // A direct binary string written by C++.
  static Value binary(std::string s) { return {descriptor::make(Language::cpp, true, true), std::move(s)}; }
};

}  // namespace nws
