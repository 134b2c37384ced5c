// The core's tables as the compiled core holds them, for the test that the
// generated R/tables.R matches them, and the core's message for a value R
// cannot read.
#include <cstdint>
#include <string_view>

#include "common.h"

namespace {

Rcpp::CharacterVector strings(const std::vector<std::string>& v) {
  Rcpp::CharacterVector out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i];
  return out;
}

Rcpp::List error_kinds() {
  std::vector<std::string> id, parent, kind, name, description;
  std::vector<int> code;
  for (const nws::ErrorKind& k : nws::error_kinds()) {
    id.emplace_back(k.id);
    code.push_back(k.code < 0 ? NA_INTEGER : k.code);
    parent.emplace_back(k.parent);
    kind.emplace_back(k.kind);
    name.emplace_back(k.name);
    description.emplace_back(k.description);
  }
  return Rcpp::List::create(Rcpp::Named("id") = strings(id), Rcpp::Named("code") = Rcpp::wrap(code),
                            Rcpp::Named("parent") = strings(parent), Rcpp::Named("kind") = strings(kind),
                            Rcpp::Named("name") = strings(name), Rcpp::Named("description") = strings(description));
}

// Every writer language of the core's table (nws/values.def), with the
// display name the core gives it.
Rcpp::List languages() {
  std::vector<std::string> id, display;
  std::vector<int> number;
#define NWS_LANGUAGE(lang_id, lang_number, lang_display)                            \
  id.emplace_back(#lang_id);                                                        \
  number.push_back(static_cast<int>(nws::Language::lang_id));                       \
  display.push_back(nws::language_name(static_cast<std::uint8_t>(nws::Language::lang_id)));
#include "nws/values.def"
  return Rcpp::List::create(Rcpp::Named("id") = strings(id), Rcpp::Named("number") = Rcpp::wrap(number),
                            Rcpp::Named("display") = strings(display));
}

Rcpp::List descriptor_bits() {
  namespace d = nws::descriptor;
  return Rcpp::List::create(Rcpp::Named("direct_string") = static_cast<double>(d::direct_string),
                            Rcpp::Named("binary") = static_cast<double>(d::binary),
                            Rcpp::Named("language_shift") = static_cast<double>(d::language_shift),
                            Rcpp::Named("language_mask") = static_cast<double>(d::language_mask),
                            Rcpp::Named("r_string") = static_cast<double>(d::make(nws::Language::r, true, false)),
                            Rcpp::Named("r_binary") = static_cast<double>(d::make(nws::Language::r, true, true)),
                            Rcpp::Named("r_serialized") = static_cast<double>(d::make(nws::Language::r, false, false)));
}

Rcpp::List modes() {
  std::vector<std::string> name;
  std::vector<bool> standard, declarable;
  for (nws::Mode m : nws::all_modes()) {
    name.emplace_back(nws::mode_name(m));
    standard.push_back(nws::standard(m));
    declarable.push_back(nws::declarable(m));
  }
  return Rcpp::List::create(Rcpp::Named("name") = strings(name), Rcpp::Named("standard") = Rcpp::wrap(standard),
                            Rcpp::Named("declarable") = Rcpp::wrap(declarable));
}

}  // namespace

// [[Rcpp::export(.nws_tables)]]
Rcpp::List nws_tables() {
  return Rcpp::List::create(Rcpp::Named("errors") = error_kinds(), Rcpp::Named("languages") = languages(),
                            Rcpp::Named("descriptor") = descriptor_bits(), Rcpp::Named("modes") = modes(),
                            Rcpp::Named("version") = std::string(nws::version()));
}

// The core's message for a value R cannot read (nws::Errc::serialisation):
// the variable, the workspace, the writer's language; `why` is R's own
// failure (unserialize's message), or "".
// [[Rcpp::export(.nws_unreadable)]]
SEXP nws_unreadable(std::string ws, std::string var, double descriptor, std::string why) {
  return glue::utf8(
      nws::unreadable_value_message(ws, var, static_cast<std::uint64_t>(descriptor), nws::Language::r, why));
}
