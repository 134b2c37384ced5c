// Portable value -> R value (docs/values.md, R's column of the type table),
// from the core's decoded Node tree, which points into the value's bytes: a
// packed vector is allocated once and copied once, straight from the bytes.
// What R cannot hold is refused with an nwsSerialisation error naming it,
// which R/values.R prefixes with the variable and the workspace.
#include <bit>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "common.h"
#include "nws/portable.hpp"
#include "portable.h"

// Packed vectors are little-endian, and copied as they are into R's vectors.
static_assert(std::endian::native == std::endian::little, "the portable reader assumes a little-endian machine");

namespace glue {
namespace {

using nws::portable::Element;
using nws::portable::Kind;
using nws::portable::Node;
using Rcpp::Shield;

[[noreturn]] void refuse(const std::string& what) { throw nws::Error(nws::Errc::serialisation, what); }

// R has no 64-bit integers: an int64 reads as an integer when it fits in 32
// bits (INT_MIN is R's NA_integer_, so it does not), else as a double when
// the double is exact.
bool fits_integer(std::int64_t v) { return v > INT_MIN && v <= INT_MAX; }
void check_exact(std::int64_t v, const std::string& where) {
  constexpr std::int64_t exact = std::int64_t{1} << 53;
  if (v > exact || v < -exact)
    refuse("the integer " + std::to_string(v) + where +
           " is beyond R's exact doubles (|x| <= 2^53), and R has no 64-bit integers");
}

SEXP char_sexp(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(INT_MAX)) refuse("a string of " + std::to_string(s.size()) + " bytes, longer than R's strings");
  if (std::memchr(s.data(), '\0', s.size()) != nullptr) refuse("a string with a NUL byte, which R's strings cannot hold");
  return Rf_mkCharLenCE(s.data(), static_cast<int>(s.size()), CE_UTF8);
}

// Nanoseconds since the epoch -> POSIXct seconds, rounded down to the
// microsecond (POSIXct's precision; the writer rounds to it too, so R's
// times round-trip exactly).
double seconds(std::int64_t ns) {
  std::int64_t us = ns / 1000;
  if (ns % 1000 < 0) --us;
  return static_cast<double>(us) / 1e6;
}

// Makes the double vector `x` a POSIXct in UTC, as R's own .POSIXct(x, "UTC").
SEXP as_posixct(SEXP x) {
  Shield<SEXP> cls(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(cls, 0, Rf_mkChar("POSIXct"));
  SET_STRING_ELT(cls, 1, Rf_mkChar("POSIXt"));
  Rf_setAttrib(x, R_ClassSymbol, cls);
  static const SEXP tzone = Rf_install("tzone");
  Rf_setAttrib(x, tzone, Rf_mkString("UTC"));
  return x;
}

// A packed numeric vector: element i as an R double or int, missing as NA.
template <class T, class R, class Convert>
SEXP packed(const Node& n, SEXPTYPE type, R* (*data)(SEXP), R na, Convert convert) {
  Shield<SEXP> out(Rf_allocVector(type, static_cast<R_xlen_t>(n.count)));
  R* d = data(out);
  if constexpr (sizeof(T) == sizeof(R) && std::is_same_v<Convert, std::nullptr_t>) {
    if (n.count) std::memcpy(d, n.text.data(), n.count * sizeof(T));  // the one copy
  } else {
    for (std::size_t i = 0; i < n.count; ++i) d[i] = convert(n.element_at<T>(i));
  }
  if (!n.missing.empty())
    for (std::size_t i = 0; i < n.count; ++i)
      if (n.is_missing(i)) d[i] = na;
  return out;
}

std::string element_where(std::size_t i) { return " (element " + std::to_string(i + 1) + " of a vector)"; }

// An int32 or int64 vector as R's integers, or as doubles when one does not
// fit (missing elements aside), or refused when a double is not exact.
template <class T>
SEXP integers(const Node& n) {
  bool fits = true;
  for (std::size_t i = 0; i < n.count && fits; ++i) fits = n.is_missing(i) || fits_integer(n.element_at<T>(i));
  if (fits) {
    if constexpr (sizeof(T) == sizeof(int)) return packed<T>(n, INTSXP, INTEGER, NA_INTEGER, nullptr);
    return packed<T>(n, INTSXP, INTEGER, NA_INTEGER, [](T v) { return static_cast<int>(v); });
  }
  for (std::size_t i = 0; i < n.count; ++i)
    if (!n.is_missing(i)) check_exact(n.element_at<T>(i), element_where(i));
  return packed<T>(n, REALSXP, REAL, NA_REAL, [](T v) { return static_cast<double>(v); });
}

SEXP strings(const Node& n) {
  Shield<SEXP> out(Rf_allocVector(STRSXP, static_cast<R_xlen_t>(n.items.size())));
  for (std::size_t i = 0; i < n.items.size(); ++i)
    SET_STRING_ELT(out, static_cast<R_xlen_t>(i), n.items[i].kind == Kind::null ? NA_STRING : char_sexp(n.items[i].text));
  return out;
}

SEXP vector(const Node& n) {
  switch (n.element) {
    case Element::float64: return packed<double>(n, REALSXP, REAL, NA_REAL, nullptr);
    case Element::int32: return integers<std::int32_t>(n);
    case Element::int64: return integers<std::int64_t>(n);
    case Element::boolean:
      return packed<std::uint8_t>(n, LGLSXP, LOGICAL, NA_LOGICAL, [](std::uint8_t v) { return v ? TRUE : FALSE; });
    case Element::timestamp: {
      Shield<SEXP> out(packed<std::int64_t>(n, REALSXP, REAL, NA_REAL, seconds));
      return as_posixct(out);
    }
    case Element::string: return strings(n);
  }
  refuse("a vector of unknown element type " + std::to_string(static_cast<int>(n.element)));
}

SEXP names(const std::vector<std::string_view>& keys) {
  Shield<SEXP> out(Rf_allocVector(STRSXP, static_cast<R_xlen_t>(keys.size())));
  for (std::size_t i = 0; i < keys.size(); ++i) SET_STRING_ELT(out, static_cast<R_xlen_t>(i), char_sexp(keys[i]));
  return out;
}

SEXP value(const Node& n);

SEXP items(const Node& n) {
  Shield<SEXP> out(Rf_allocVector(VECSXP, static_cast<R_xlen_t>(n.items.size())));
  for (std::size_t i = 0; i < n.items.size(); ++i) SET_VECTOR_ELT(out, static_cast<R_xlen_t>(i), value(n.items[i]));
  return out;
}

// A table: a data.frame of its columns with automatic row names (R's
// compact form, as data.frame() makes them); strings stay character.
SEXP data_frame(const Node& n) {
  Shield<SEXP> out(items(n));
  Rf_setAttrib(out, R_NamesSymbol, names(n.keys));
  Rf_setAttrib(out, R_ClassSymbol, Rf_mkString("data.frame"));
  if (n.count > static_cast<std::size_t>(INT_MAX)) refuse("a table of " + std::to_string(n.count) + " rows, more than a data.frame holds");
  Shield<SEXP> rows(Rf_allocVector(INTSXP, n.count ? 2 : 0));
  if (n.count) {
    INTEGER(rows)[0] = NA_INTEGER;
    INTEGER(rows)[1] = -static_cast<int>(n.count);
  }
  Rf_setAttrib(out, R_RowNamesSymbol, rows);
  return out;
}

SEXP value(const Node& n) {
  switch (n.kind) {
    case Kind::null: return R_NilValue;
    case Kind::boolean: return Rf_ScalarLogical(n.flag ? TRUE : FALSE);
    case Kind::integer:
      if (fits_integer(n.integer)) return Rf_ScalarInteger(static_cast<int>(n.integer));
      check_exact(n.integer, "");
      return Rf_ScalarReal(static_cast<double>(n.integer));
    case Kind::real: return Rf_ScalarReal(n.real);
    case Kind::string: return Rf_ScalarString(char_sexp(n.text));
    case Kind::bytes: {
      SEXP out = Rf_allocVector(RAWSXP, static_cast<R_xlen_t>(n.text.size()));
      if (!n.text.empty()) std::memcpy(RAW(out), n.text.data(), n.text.size());
      return out;
    }
    case Kind::timestamp: {
      Shield<SEXP> out(Rf_ScalarReal(seconds(n.integer)));
      return as_posixct(out);
    }
    case Kind::list: return items(n);
    case Kind::map: {
      Shield<SEXP> out(items(n));
      Rf_setAttrib(out, R_NamesSymbol, names(n.keys));
      return out;
    }
    case Kind::vector: return vector(n);
    case Kind::table: return data_frame(n);
  }
  refuse("a value of unknown kind " + std::to_string(static_cast<int>(n.kind)));
}

}  // namespace

SEXP portable_value(std::string_view bytes) { return value(nws::portable::decode(bytes)); }

}  // namespace glue

// The value of portable bytes, for the tests (and a portable value that
// was retrieved as bytes).
// [[Rcpp::export(.nws_portable_decode)]]
SEXP nws_portable_decode(Rcpp::RawVector bytes) {
  NWS_BEGIN
  return glue::portable_value(
      std::string_view(reinterpret_cast<const char*>(RAW(bytes)), static_cast<std::size_t>(Rf_xlength(bytes))));
  NWS_END
}
