// nws/value.hpp: the display names of values.def's languages.
#include <string>

#include "nws/value.hpp"

namespace nws {

std::string language_name(std::uint8_t id) {
  switch (static_cast<Language>(id)) {
#define NWS_LANGUAGE(lid, number, display) \
  case Language::lid:                       \
    if (number != 0) return display;        \
    break;
#include "nws/values.def"
  }
  return "language " + std::to_string(id);
}

std::string unreadable_value_message(std::string_view ws, std::string_view var, std::uint64_t descriptor,
                                     Language reader, std::string_view why) {
  const std::uint8_t writer = descriptor::language_of(descriptor);
  const std::string reader_name = language_name(static_cast<std::uint8_t>(reader));
  std::string m = "cannot read the value of variable '" + std::string(var) + "' in workspace '" + std::string(ws) + "'";
  if (!why.empty()) return m + ": " + std::string(why);
  if (writer == static_cast<std::uint8_t>(Language::none))
    return m + ": its writer named no language (descriptor " + std::to_string(descriptor) + "); " + reader_name +
           " reads direct strings, portable values and its own serialised values";
  return m + ": it was serialised by " + language_name(writer) + " (language id " + std::to_string(writer) +
         "), and " + reader_name +
         " reads only direct strings, portable values and its own serialised values (a value every language reads is "
         "stored portable: docs/values.md)";
}

}  // namespace nws
