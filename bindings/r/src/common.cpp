#include "common.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>

#include "nws/portable.hpp"
#include "portable.h"

namespace glue {
namespace {

// Whether `x` is one string that is not NA.
bool is_string(SEXP x) { return TYPEOF(x) == STRSXP && Rf_xlength(x) == 1 && STRING_ELT(x, 0) != NA_STRING; }

// Whether `x` is one number (which may be NA).
bool is_number(SEXP x) {
  return (TYPEOF(x) == REALSXP || TYPEOF(x) == INTSXP) && Rf_xlength(x) == 1 && !Rf_isFactor(x);
}

// What R gave, for a refusal of a value the rule could not read.
std::string given(SEXP x) {
  if (Rf_isVectorAtomic(x) && Rf_xlength(x) == 1) {
    const bool na = (TYPEOF(x) == STRSXP && STRING_ELT(x, 0) == NA_STRING) ||
                    (TYPEOF(x) == LGLSXP && LOGICAL(x)[0] == NA_LOGICAL) ||
                    (TYPEOF(x) == INTSXP && INTEGER(x)[0] == NA_INTEGER) || (TYPEOF(x) == REALSXP && ISNA(REAL(x)[0]));
    if (na) return " (R gave NA)";
  }
  std::string t = Rf_type2char(TYPEOF(x));
  if (Rf_isVector(x)) t += " vector of length " + std::to_string(Rf_xlength(x));
  return std::string(" (R gave ") + (std::strchr("aeiou", t[0]) ? "an " : "a ") + t + ")";
}

// Runs a rule on a value it cannot read (nullopt, NaN): the core refuses
// it, and the refusal says what R gave unless that was NULL, R's own null.
template <class Rule>
[[noreturn]] void refuse_unreadable(SEXP x, Rule rule) {
  try {
    rule();
  } catch (const nws::Error& e) {
    if (Rf_isNull(x) || e.code() != nws::Errc::invalid_argument) throw;
    throw nws::Error(nws::Errc::invalid_argument, std::string(e.what()) + given(x));
  }
  // Every rule refuses what it cannot read; reaching here is a bug.
  throw nws::Error(nws::Errc::invalid_argument, "an argument cannot be used" + given(x));
}

// A number argument for a rule taking std::optional<double>: NULL is
// nullopt, one number is itself; NA and other values are NaN to the rule,
// which refuses it.
template <class Rule>
auto number_rule(SEXP x, Rule rule) {
  if (Rf_isNull(x)) return rule(std::nullopt);
  if (is_number(x) && !ISNA(Rf_asReal(x))) return rule(std::optional<double>(Rf_asReal(x)));
  refuse_unreadable(x, [&] { rule(std::numeric_limits<double>::quiet_NaN()); });
}

void poll_interrupt(void*) { R_CheckUserInterrupt(); }

bool checking = false;

}  // namespace

Rcpp::List failure(const nws::Error& e) {
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("kind") = std::string(nws::errc_name(e.code())), Rcpp::Named("code") = static_cast<int>(e.code()),
      Rcpp::Named("message") = utf8(e.what()), Rcpp::Named("status") = e.status(),
      Rcpp::Named("reason") = utf8(e.reason()));
  out.attr("class") = "nws_failure_info";
  return out;
}

std::string name_arg(SEXP x, nws::args::NameOf what) {
  if (is_string(x)) return nws::args::name(std::string_view(Rf_translateCharUTF8(STRING_ELT(x, 0))), what);
  refuse_unreadable(x, [&] { nws::args::name(std::nullopt, what); });
}

nws::Mode mode_arg(SEXP x) {
  if (is_string(x)) return nws::args::mode(std::string_view(Rf_translateCharUTF8(STRING_ELT(x, 0))));
  refuse_unreadable(x, [&] { nws::args::mode(std::nullopt); });
}

std::optional<std::uint16_t> port_arg(SEXP x, nws::args::PortUse use) {
  if (Rf_isNull(x)) return std::nullopt;
  return number_rule(x, [use](std::optional<double> v) { return nws::args::port(v, use); });
}

std::string host_arg(SEXP x) {
  if (Rf_isNull(x)) return {};
  if (is_string(x)) return Rf_translateCharUTF8(STRING_ELT(x, 0));
  throw nws::Error(nws::Errc::invalid_argument,
                   "the host must be one string (or NULL: $NWS_HOST, else localhost)" + given(x));
}

nws::Wait wait_arg(SEXP timeout, std::function<bool()> cancel) {
  return number_rule(timeout, [&](std::optional<double> v) { return nws::args::wait(v, cancel); });
}

std::chrono::milliseconds connect_timeout_arg(SEXP x) { return number_rule(x, nws::args::connect_timeout); }

std::chrono::milliseconds duration_arg(SEXP x) {
  if (Rf_isNull(x)) return nws::Lease::kDefaultDuration;
  if (is_number(x) && !ISNAN(Rf_asReal(x))) {
    const double seconds = Rf_asReal(x);
    // Far beyond the core's range: no millisecond count to show it.
    if (std::isfinite(seconds) && std::abs(seconds) < 1e12) {
      const double ms = seconds * 1000;
      return std::chrono::milliseconds(static_cast<std::int64_t>(ms > 0 ? std::ceil(ms) : std::floor(ms)));
    }
  }
  std::string what = given(x);
  if (is_number(x) && !ISNA(Rf_asReal(x))) {
    const double v = Rf_asReal(x);
    char text[64];
    std::snprintf(text, sizeof text, "%g", v);
    what = std::string(" (R gave ") + (std::isnan(v) ? "NaN" : std::isinf(v) ? (v > 0 ? "Inf" : "-Inf") : text) + ")";
  }
  throw nws::Error(nws::Errc::invalid_argument,
                   "a lease duration must be one number of seconds, from 0.001 to about 24 days" + what);
}

namespace {

// The element `name` of the list `x` (R_NilValue when absent).
SEXP list_elt(SEXP x, const char* name) {
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  if (Rf_isNull(names)) return R_NilValue;
  for (R_xlen_t i = 0; i < Rf_xlength(x); ++i)
    if (std::strcmp(CHAR(STRING_ELT(names, i)), name) == 0) return VECTOR_ELT(x, i);
  return R_NilValue;
}

// One string option: NULL is "" (not given); file names in the native
// encoding, credentials in UTF-8 (what goes on the wire).
std::string string_option(SEXP x, const char* name, const char* what, bool file) {
  if (Rf_isNull(x)) return {};
  if (is_string(x)) return file ? Rf_translateChar(STRING_ELT(x, 0)) : Rf_translateCharUTF8(STRING_ELT(x, 0));
  throw nws::Error(nws::Errc::invalid_argument, std::string(name) + " must be one string: " + what + given(x));
}

}  // namespace

void security_args(SEXP options, nws::ConnectOptions& o) {
  if (Rf_isNull(options)) return;
  if (TYPEOF(options) != VECSXP)
    throw nws::Error(nws::Errc::invalid_argument, "the connection's security options must be a named list" + given(options));
  SEXP tls = list_elt(options, "tls");
  if (!Rf_isNull(tls)) {
    if (TYPEOF(tls) != LGLSXP || Rf_xlength(tls) != 1 || LOGICAL(tls)[0] == NA_LOGICAL)
      throw nws::Error(nws::Errc::invalid_argument,
                       "tls must be TRUE or FALSE (or NULL: $NWS_TLS)" +
                           given(tls));
    o.tls.enabled = LOGICAL(tls)[0] == TRUE;
  }
  o.tls.ca_file = string_option(list_elt(options, "tlsCa"), "tlsCa",
                                "a PEM file of the CAs to trust (or NULL: $NWS_TLS_CA, else the system's)", true);
  o.tls.cert_file = string_option(list_elt(options, "tlsCert"), "tlsCert",
                                  "a PEM file of the client certificate (or NULL: $NWS_TLS_CERT)", true);
  o.tls.key_file = string_option(list_elt(options, "tlsKey"), "tlsKey",
                                 "a PEM file of the client certificate's key (or NULL: $NWS_TLS_KEY, else in tlsCert)",
                                 true);
  o.tls.server_name = string_option(list_elt(options, "tlsServerName"), "tlsServerName",
                                    "the name the server's certificate must carry (or NULL: the host)", false);
  o.user = string_option(list_elt(options, "user"), "user", "the user name (or NULL: $NWS_USER)", false);
  o.password = string_option(list_elt(options, "password"), "password", "the password (or NULL: $NWS_PASSWORD)", false);
  o.token = string_option(list_elt(options, "token"), "token", "the server's shared token (or NULL: $NWS_TOKEN)", false);
}

bool is_empty_string(SEXP x) { return is_string(x) && CHAR(STRING_ELT(x, 0))[0] == '\0'; }

std::function<bool()> InterruptWatch::check() {
  return [this] {
    if (!fired_) {
      // R_ToplevelExec never jumps out, so the flag always comes down.
      checking = true;
      fired_ = R_ToplevelExec(poll_interrupt, nullptr) == FALSE;
      checking = false;
    }
    return fired_;
  };
}

bool in_interrupt_check() { return checking; }

SEXP utf8(const std::string& s) { return Rcpp::wrap(Rcpp::String(s, CE_UTF8)); }

Rcpp::List value_list(const nws::Value& v, bool decode) {
  const bool portable = nws::portable::is_portable(v.descriptor);
  Rcpp::RObject value, error;
  Rcpp::RawVector bytes(0);
  if (portable && decode) {
    try {
      value = portable_value(v.bytes);
    } catch (const nws::Error& e) {
      error = utf8(e.what());
    }
  } else {
    bytes = Rcpp::RawVector(v.bytes.size());
    if (!v.bytes.empty()) std::memcpy(RAW(bytes), v.bytes.data(), v.bytes.size());
  }
  return Rcpp::List::create(Rcpp::Named("found") = true, Rcpp::Named("descriptor") = static_cast<double>(v.descriptor),
                            Rcpp::Named("direct") = v.is_string(), Rcpp::Named("binary") = v.is_binary(),
                            Rcpp::Named("language") = static_cast<int>(v.language()), Rcpp::Named("bytes") = bytes,
                            Rcpp::Named("portable") = portable, Rcpp::Named("decoded") = portable && decode,
                            Rcpp::Named("value") = value, Rcpp::Named("error") = error);
}

Rcpp::List nothing() { return Rcpp::List::create(Rcpp::Named("found") = false); }

Rcpp::List interrupted(const nws::Fetched* arrived, bool decode) {
  Rcpp::List out =
      Rcpp::List::create(Rcpp::Named("value") = arrived ? SEXP(value_list(arrived->value, decode)) : R_NilValue);
  out.attr("class") = "nws_interrupt_info";
  return out;
}

}  // namespace glue
