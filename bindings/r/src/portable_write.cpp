// R value -> portable value (docs/values.md, R's column of the type table):
// a depth-first walk of the R object making nws::portable::Writer calls.
// Numeric, integer and logical vectors go in with one copy and R's NA as the
// missing bitmap.  Whatever has no portable type is refused with an
// nwsSerialisation error naming it, where it is and what to convert it to:
// never a silent change.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "common.h"
#include "nws/portable.hpp"
#include "portable.h"

namespace glue {
namespace {

using nws::portable::Element;
using nws::portable::Writer;

// Where a value sits inside the one being stored, for messages.  A chain
// of the parents on the C++ stack: only formatted if something is refused,
// so a list of a million elements builds no strings.
struct Path {
  const Path* up = nullptr;
  SEXP names = R_NilValue;  // the container's names (map keys), or none
  R_xlen_t index = 0;       // the position in the container

  std::string str() const {
    if (up == nullptr) return "";
    std::string s = up->str();
    if (names != R_NilValue) return s + "$" + Rf_translateCharUTF8(STRING_ELT(names, index));
    return s + "[[" + std::to_string(index + 1) + "]]";
  }
  Path child(R_xlen_t i, SEXP keys = R_NilValue) const { return Path{this, keys, i}; }
};

[[noreturn]] void refuse(const Path& p, const std::string& what, const std::string& advice) {
  const std::string where = p.str();
  throw nws::Error(nws::Errc::serialisation, "cannot store " + what + " as a portable value" +
                                                 (where.empty() ? "" : " (at value" + where + ")") + ": " + advice);
}

const char* const kNative = "store it without portable = TRUE (R's own serialisation, which only R reads)";

std::string classes(SEXP cls) {
  std::string s;
  for (R_xlen_t i = 0; i < Rf_xlength(cls); ++i) s += (i ? "', '" : "") + std::string(CHAR(STRING_ELT(cls, i)));
  return s;
}

// A value of a class the table has no row for: what it is and what to
// convert it to.
[[noreturn]] void refuse_class(const Path& p, SEXP x) {
  SEXP cls = Rf_getAttrib(x, R_ClassSymbol);
  const std::string what = "an object of class '" + classes(cls) + "'";
  if (Rf_inherits(x, "Date")) refuse(p, what, "convert it with as.POSIXct()");
  if (Rf_inherits(x, "POSIXlt")) refuse(p, what, "convert it with as.POSIXct()");
  if (Rf_inherits(x, "integer64"))
    refuse(p, what, "convert it with as.numeric() (exact up to 2^53) or as.character()");
  if (Rf_inherits(x, "difftime")) refuse(p, what, "convert it with as.numeric(x, units = \"secs\")");
  refuse(p, what,
         "convert it to a type of docs/values.md (unclass(), as.list(), as.vector(), as.character()), or " +
             std::string(kNative));
}

// Anything that is not a vector, list, NULL or data.frame.
[[noreturn]] void refuse_type(const Path& p, SEXP x) {
  if (OBJECT(x) && Rf_getAttrib(x, R_ClassSymbol) != R_NilValue && TYPEOF(x) != CLOSXP) refuse_class(p, x);
  switch (TYPEOF(x)) {
    case CLOSXP:
    case BUILTINSXP:
    case SPECIALSXP: refuse(p, "a function", std::string("a function has no portable type; ") + kNative);
    case CPLXSXP: refuse(p, "a complex vector", "convert it with Re() and Im(), or as.character()");
    case ENVSXP: refuse(p, "an environment", "convert it with as.list(), or " + std::string(kNative));
    default:
      refuse(p, std::string("an R object of type '") + Rf_type2char(TYPEOF(x)) + "'",
             std::string("it has no portable type; ") + kNative);
  }
}

SEXP install_tzone() {
  static SEXP s = Rf_install("tzone");
  return s;
}

// The R types that map to a portable scalar or vector.
enum class Atom { logical, integer, real, string, factor, time };

// The kind of an atomic vector, after checking its attributes: names (when
// `named_ok`), a factor's class and levels, a POSIXct's class and time zone.
// A dim (a matrix or array), another class or another attribute is refused:
// dropping it would change the value.
Atom atom_of(SEXP x, const Path& p, bool named_ok) {
  if (Rf_getAttrib(x, R_DimSymbol) != R_NilValue)
    refuse(p, "a matrix or array", "convert it with as.vector() (column by column) or as.data.frame()");
  const bool factor = Rf_isFactor(x);
  const bool time = Rf_inherits(x, "POSIXct") && (TYPEOF(x) == REALSXP || TYPEOF(x) == INTSXP);
  if (!factor && !time && Rf_getAttrib(x, R_ClassSymbol) != R_NilValue) refuse_class(p, x);
  for (SEXP a = ATTRIB(x); a != R_NilValue; a = CDR(a)) {
    const SEXP tag = TAG(a);
    if (tag == R_NamesSymbol && named_ok) continue;
    if (tag == R_ClassSymbol && (factor || time)) continue;
    if (tag == R_LevelsSymbol && factor) continue;
    if (tag == install_tzone() && time) continue;
    const std::string name = CHAR(PRINTNAME(tag));
    refuse(p, std::string("a ") + Rf_type2char(TYPEOF(x)) + " vector with the attribute '" + name + "'",
           "remove it (attr(x, \"" + name + "\") <- NULL) or store it without portable = TRUE");
  }
  if (factor) {
    if (TYPEOF(Rf_getAttrib(x, R_LevelsSymbol)) != STRSXP) refuse(p, "a factor without character levels", "fix its levels");
    return Atom::factor;
  }
  if (time) return Atom::time;
  switch (TYPEOF(x)) {
    case LGLSXP: return Atom::logical;
    case INTSXP: return Atom::integer;
    case REALSXP: return Atom::real;
    default: return Atom::string;
  }
}

// A CHARSXP as UTF-8 (R's strings may be latin1 or native), given to `f`.
// translateCharUTF8's buffer is released after each string, so a vector of
// millions of latin1 strings does not pile them up.
template <class F>
void with_utf8(SEXP c, const Path& p, F f) {
  if (Rf_getCharCE(c) == CE_BYTES)
    refuse(p, "a string of \"bytes\" encoding",
           "declare its encoding (Encoding(x) <- \"UTF-8\" or \"latin1\"), or store it as a raw vector");
  const void* vmax = vmaxget();
  const char* s = Rf_translateCharUTF8(c);
  try {
    f(std::string_view(s, std::strlen(s)));
  } catch (const nws::Error& e) {
    // The core's UTF-8 check: say where the string is.
    const std::string where = p.str();
    throw nws::Error(e.code(), std::string(e.what()) + (where.empty() ? "" : " (at value" + where + ")"));
  }
  vmaxset(vmax);
}

// A factor's label for element i, or NA_STRING.
SEXP label(SEXP x, R_xlen_t i, const Path& p) {
  const int code = INTEGER(x)[i];
  if (code == NA_INTEGER) return NA_STRING;
  SEXP levels = Rf_getAttrib(x, R_LevelsSymbol);
  if (code < 1 || code > Rf_xlength(levels)) refuse(p, "a factor with a code outside its levels", "fix the factor");
  return STRING_ELT(levels, code - 1);
}

// A POSIXct element as nanoseconds since the epoch, rounded to the
// microsecond (R's clock and printing stop there, and it makes a time that
// came from a portable value write back the same).  False for NA and NaN.
bool nanoseconds(SEXP x, R_xlen_t i, const Path& p, std::int64_t& ns) {
  double s;
  if (TYPEOF(x) == INTSXP) {
    if (INTEGER(x)[i] == NA_INTEGER) return false;
    s = INTEGER(x)[i];
  } else {
    s = REAL(x)[i];
    if (std::isnan(s)) return false;
  }
  // int64 nanoseconds reach the years 1677-2262.
  if (!(std::fabs(s) < 9.2e9))
    refuse(p, "a POSIXct time " + std::to_string(s) + " s from 1970", "portable times lie between the years 1678 and 2261");
  ns = std::llround(s * 1e6) * 1000;
  return true;
}

void write_scalar(Writer& w, SEXP x, R_xlen_t i, Atom a, const Path& p) {
  switch (a) {
    case Atom::logical: {
      const int v = LOGICAL(x)[i];
      return v == NA_LOGICAL ? w.null() : w.boolean(v != 0);
    }
    case Atom::integer: {
      const int v = INTEGER(x)[i];
      return v == NA_INTEGER ? w.null() : w.integer(v);
    }
    case Atom::real: {
      const double v = REAL(x)[i];
      return R_IsNA(v) ? w.null() : w.real(v);  // NaN is a number, not missing
    }
    case Atom::string:
    case Atom::factor: {
      SEXP c = a == Atom::factor ? label(x, i, p) : STRING_ELT(x, i);
      if (c == NA_STRING) return w.null();
      return with_utf8(c, p, [&](std::string_view s) { w.string(s); });
    }
    case Atom::time: {
      std::int64_t ns;
      return nanoseconds(x, i, p, ns) ? w.timestamp(ns) : w.null();
    }
  }
}

// The missing bitmap of R's NAs, empty when there is none.
template <class IsNA>
std::vector<std::uint8_t> missing_bitmap(R_xlen_t n, IsNA is_na) {
  std::vector<std::uint8_t> bits;
  for (R_xlen_t i = 0; i < n; ++i) {
    if (!is_na(i)) continue;
    if (bits.empty()) bits.assign(static_cast<std::size_t>((n + 7) / 8), 0);
    bits[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(1u << (i % 8));
  }
  return bits;
}

const std::uint8_t* or_null(const std::vector<std::uint8_t>& v) { return v.empty() ? nullptr : v.data(); }

// A vector of any length (a data.frame column, or an unnamed vector whose
// length is not 1).
void write_vector(Writer& w, SEXP x, Atom a, const Path& p) {
  const R_xlen_t n = Rf_xlength(x);
  const auto count = static_cast<std::size_t>(n);
  switch (a) {
    case Atom::real: {
      const double* d = REAL(x);
      const auto bits = missing_bitmap(n, [d](R_xlen_t i) { return R_IsNA(d[i]) != 0; });
      return w.vector(Element::float64, count, d, or_null(bits));  // NA keeps its payload
    }
    case Atom::integer: {
      const int* d = INTEGER(x);
      const auto bits = missing_bitmap(n, [d](R_xlen_t i) { return d[i] == NA_INTEGER; });
      return w.vector(Element::int32, count, d, or_null(bits));
    }
    case Atom::logical: {
      // R's logicals are ints; portable booleans are one byte.
      const int* d = LOGICAL(x);
      bool any_na = false;
      for (R_xlen_t i = 0; i < n && !any_na; ++i) any_na = d[i] == NA_LOGICAL;
      const Writer::Slot slot = w.vector_slot(Element::boolean, count, any_na);
      auto* out = static_cast<std::uint8_t*>(slot.data);
      for (R_xlen_t i = 0; i < n; ++i) {
        out[i] = d[i] != NA_LOGICAL && d[i] != 0;
        if (d[i] == NA_LOGICAL) slot.missing[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
      }
      return;
    }
    case Atom::time: {
      std::vector<std::int64_t> ns(count);
      std::vector<std::uint8_t> bits;
      for (R_xlen_t i = 0; i < n; ++i) {
        if (nanoseconds(x, i, p, ns[static_cast<std::size_t>(i)])) continue;
        if (bits.empty()) bits.assign((count + 7) / 8, 0);
        bits[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(1u << (i % 8));
      }
      return w.vector(Element::timestamp, count, ns.data(), or_null(bits));
    }
    case Atom::string:
    case Atom::factor: {
      w.string_vector(count);
      for (R_xlen_t i = 0; i < n; ++i) {
        SEXP c = a == Atom::factor ? label(x, i, p) : STRING_ELT(x, i);
        if (c == NA_STRING)
          w.null();
        else
          with_utf8(c, p, [&](std::string_view s) { w.string(s); });
      }
      return;
    }
  }
}

// The names of a named list or vector as map keys (UTF-8): each one a
// non-empty string, no two the same.
std::vector<std::string> keys_of(SEXP names, const Path& p) {
  const R_xlen_t n = Rf_xlength(names);
  std::vector<std::string> keys;
  keys.reserve(static_cast<std::size_t>(n));
  std::unordered_set<std::string> seen;
  for (R_xlen_t i = 0; i < n; ++i) {
    SEXP c = STRING_ELT(names, i);
    if (c == NA_STRING || CHAR(c)[0] == '\0')
      refuse(p, "a named list or vector whose element " + std::to_string(i + 1) + " has no name",
             "name every element (map keys are non-empty strings), or none (unname())");
    with_utf8(c, p, [&](std::string_view s) { keys.emplace_back(s); });
    if (!seen.insert(keys.back()).second)
      refuse(p, "a named list or vector with the name '" + keys.back() + "' twice",
             "make the names unique (map keys are unique), e.g. with make.unique()");
  }
  return keys;
}

// The number of rows of a data.frame whose row names are automatic (R's
// compact form c(NA, -n), or 1..n); others would be lost, so they are
// refused.  Read from the attribute as stored: getAttrib() would expand the
// compact form into a vector of n integers.
std::size_t automatic_rows(SEXP x, const Path& p) {
  SEXP rn = R_NilValue;
  for (SEXP a = ATTRIB(x); a != R_NilValue; a = CDR(a))
    if (TAG(a) == R_RowNamesSymbol) rn = CAR(a);
  if (rn == R_NilValue) return Rf_xlength(x) ? static_cast<std::size_t>(Rf_xlength(VECTOR_ELT(x, 0))) : 0;
  if (TYPEOF(rn) == INTSXP) {
    const int* r = INTEGER(rn);
    const R_xlen_t n = Rf_xlength(rn);
    if (n == 2 && r[0] == NA_INTEGER) return static_cast<std::size_t>(std::abs(r[1]));
    bool sequence = true;
    for (R_xlen_t i = 0; i < n && sequence; ++i) sequence = r[i] == i + 1;
    if (sequence) return static_cast<std::size_t>(n);
  }
  refuse(p, "a data.frame with row names",
         "move them into a column and drop them (df$name <- rownames(df); rownames(df) <- NULL)");
}

void write_value(Writer& w, SEXP x, const Path& p);

// A data.frame: a table of its columns, each a vector of any length.
void write_table(Writer& w, SEXP x, const Path& p) {
  for (SEXP a = ATTRIB(x); a != R_NilValue; a = CDR(a)) {
    const SEXP tag = TAG(a);
    if (tag != R_NamesSymbol && tag != R_RowNamesSymbol && tag != R_ClassSymbol)
      refuse(p, std::string("a data.frame with the attribute '") + CHAR(PRINTNAME(tag)) + "'",
             "convert it with as.data.frame() or remove the attribute, or store it without portable = TRUE");
  }
  const std::size_t rows = automatic_rows(x, p);
  const R_xlen_t n = Rf_xlength(x);
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  const std::vector<std::string> keys = n ? keys_of(names, p) : std::vector<std::string>{};
  w.table(static_cast<std::size_t>(n), rows);
  for (R_xlen_t j = 0; j < n; ++j) {
    SEXP col = VECTOR_ELT(x, j);
    const Path cp = p.child(j, names);
    const int t = TYPEOF(col);
    if (t != LGLSXP && t != INTSXP && t != REALSXP && t != STRSXP)
      refuse(cp, "a data.frame column that is not an atomic vector",
             "columns are logical, integer, double, character, factor or POSIXct vectors");
    const Atom a = atom_of(col, cp, false);
    w.key(keys[static_cast<std::size_t>(j)]);
    write_vector(w, col, a, cp);
  }
}

// An unnamed list is a list, a named one a map.
void write_list(Writer& w, SEXP x, const Path& p) {
  if (Rf_getAttrib(x, R_ClassSymbol) != R_NilValue) refuse_class(p, x);
  for (SEXP a = ATTRIB(x); a != R_NilValue; a = CDR(a))
    if (TAG(a) != R_NamesSymbol)
      refuse(p, std::string("a list with the attribute '") + CHAR(PRINTNAME(TAG(a))) + "'",
             "remove the attribute, or store it without portable = TRUE");
  const R_xlen_t n = Rf_xlength(x);
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  if (names == R_NilValue) {
    w.list(static_cast<std::size_t>(n));
    for (R_xlen_t i = 0; i < n; ++i) write_value(w, VECTOR_ELT(x, i), p.child(i));
    return;
  }
  const std::vector<std::string> keys = keys_of(names, p);
  w.map(static_cast<std::size_t>(n));
  for (R_xlen_t i = 0; i < n; ++i) {
    w.key(keys[static_cast<std::size_t>(i)]);
    write_value(w, VECTOR_ELT(x, i), p.child(i, names));
  }
}

// R has no scalars: a length-1 vector without names is a scalar (NA:
// null), a named vector a map of scalars, any other a vector.
void write_atomic(Writer& w, SEXP x, const Path& p) {
  const Atom a = atom_of(x, p, true);
  const R_xlen_t n = Rf_xlength(x);
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  if (names != R_NilValue) {
    const std::vector<std::string> keys = keys_of(names, p);
    w.map(static_cast<std::size_t>(n));
    for (R_xlen_t i = 0; i < n; ++i) {
      w.key(keys[static_cast<std::size_t>(i)]);
      write_scalar(w, x, i, a, p.child(i, names));
    }
    return;
  }
  if (n == 1) return write_scalar(w, x, 0, a, p);
  write_vector(w, x, a, p);
}

void write_value(Writer& w, SEXP x, const Path& p) {
  switch (TYPEOF(x)) {
    case NILSXP: return w.null();
    case VECSXP: return Rf_inherits(x, "data.frame") ? write_table(w, x, p) : write_list(w, x, p);
    case LGLSXP:
    case INTSXP:
    case REALSXP:
    case STRSXP: return write_atomic(w, x, p);
    case RAWSXP:
      if (ATTRIB(x) != R_NilValue) refuse(p, "a raw vector with attributes", "remove them (attributes(x) <- NULL)");
      return w.bytes(std::string_view(reinterpret_cast<const char*>(RAW(x)), static_cast<std::size_t>(Rf_xlength(x))));
    default: refuse_type(p, x);
  }
}

}  // namespace

std::string portable_bytes(SEXP x) {
  Writer w;
  write_value(w, x, Path{});
  return w.finish();
}

}  // namespace glue

// The bytes nwsStore(portable = TRUE) would store, for the tests.
// [[Rcpp::export(.nws_portable_encode)]]
SEXP nws_portable_encode(SEXP x) {
  NWS_BEGIN
  const std::string b = glue::portable_bytes(x);
  Rcpp::RawVector out(b.size());
  if (!b.empty()) std::memcpy(RAW(out), b.data(), b.size());
  return out;
  NWS_END
}
