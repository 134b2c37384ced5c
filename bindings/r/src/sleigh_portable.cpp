// Portable sleigh jobs (nws/sleigh_tasks.hpp): a function named in the
// workers' language, argument lists and results as portable values, so an
// R master can run R, Python, Java, Perl or Ruby functions on workers of
// that language.  The core chunks, paces and decodes; this file turns R
// values into portable bytes and back.
#include <cstring>

#include "common.h"
#include "nws/sleigh_tasks.hpp"
#include "portable.h"

namespace sl = nws::sleigh;
using glue::deref;
using glue::utf8;
using Rcpp::XPtr;

namespace {

std::string_view bytes_of(const Rcpp::RawVector& r) {
  return {reinterpret_cast<const char*>(RAW(r)), static_cast<std::size_t>(r.size())};
}

Rcpp::RawVector raw_of(std::string_view s) {
  Rcpp::RawVector r(s.size());
  if (!s.empty()) std::memcpy(RAW(r), s.data(), s.size());
  return r;
}

// One outcome as R sees it: list(index (0-based), ok, value, error, rank).
// The value is read here; one R cannot hold (an integer beyond 2^53) makes
// that element an error rather than ending the whole wait.
SEXP outcome_list(const sl::ElementOutcome& o) {
  bool ok = o.ok;
  std::string error = o.error;
  Rcpp::RObject value(R_NilValue);
  if (ok) {
    try {
      value = glue::portable_value(o.value);
    } catch (const nws::Error& e) {
      ok = false;
      error = std::string("the result cannot be read in R: ") + e.what();
    }
  }
  return Rcpp::List::create(Rcpp::Named("index") = static_cast<double>(o.index), Rcpp::Named("ok") = ok,
                            Rcpp::Named("value") = value, Rcpp::Named("error") = utf8(error),
                            Rcpp::Named("rank") = o.rank);
}

// The portable bytes of every argument list in `args` (an R list of
// lists), all of them before any is sent: a value that has no portable
// type fails the call with nothing half-added.
std::vector<std::string> encoded(const Rcpp::List& args) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(args.size()));
  for (R_xlen_t i = 0; i < args.size(); ++i) {
    try {
      out.push_back(glue::portable_bytes(args[i]));
    } catch (const nws::Error& e) {
      throw nws::Error(e.code(), "the arguments of a task: " + std::string(e.what()));
    }
  }
  return out;
}

// Runs a blocking call with R's interrupt check (as in sleigh.cpp).
template <class Call>
SEXP interruptible(SEXP timeout, Call call) {
  glue::InterruptWatch watch;
  const nws::Wait wait = glue::wait_arg(timeout, watch.check());
  try {
    SEXP out = call(wait);
    if (watch.fired()) return glue::interrupted(nullptr);
    return out;
  } catch (const nws::Error& e) {
    if (watch.fired()) return glue::interrupted(nullptr);
    throw;
  }
}

// A job's handle keeps its sleigh's handle alive (the job points into it).
SEXP job_handle(sl::MapJob job, SEXP master) {
  return XPtr<sl::MapJob>(new sl::MapJob(std::move(job)), true, R_NilValue, master);
}

}  // namespace

// A language's id from the user's spelling ("R", "Python").
// [[Rcpp::export(.nws_sleigh_language_id)]]
SEXP nws_sleigh_language_id(std::string name) {
  NWS_BEGIN
  return Rcpp::wrap(sl::language_id(name));
  NWS_END
}

// How `language` names a function, for messages ("module:function").
// [[Rcpp::export(.nws_sleigh_name_form)]]
SEXP nws_sleigh_name_form(std::string language) {
  NWS_BEGIN
  return Rcpp::wrap(std::string(sl::name_form(language)));
  NWS_END
}

// The spec of `name` in `language`; invalid_argument with the form to use
// when the name is not of it.
// [[Rcpp::export(.nws_sleigh_named_function)]]
SEXP nws_sleigh_named_function(std::string language, std::string name) {
  NWS_BEGIN
  return raw_of(sl::named_function(language, name));
  NWS_END
}

// eachElem over a function spec.  total: NULL when unknown (elementFunc);
// chunkSize 0: the core's rule; loadFactor NULL: no limit.
// [[Rcpp::export(.nws_map_each_elem)]]
SEXP nws_map_each_elem(SEXP p, Rcpp::RawVector spec, SEXP total, double chunk_size, SEXP load_factor) {
  NWS_BEGIN
  sl::MapOptions o;
  if (!Rf_isNull(total)) o.total = static_cast<std::int64_t>(Rf_asReal(total));
  o.chunk_size = static_cast<std::int64_t>(chunk_size);
  if (!Rf_isNull(load_factor)) o.load_factor = Rf_asReal(load_factor);
  // Results are placed by index in R (and an accumulator sees them as they
  // come, as in the original): arrival order holds none back.
  o.order = sl::Order::arrival;
  return job_handle(sl::MapJob::each_elem(deref<sl::Master>(p), bytes_of(spec), o), p);
  NWS_END
}

// eachWorker over a function spec: `args` the one argument list.
// [[Rcpp::export(.nws_map_each_worker)]]
SEXP nws_map_each_worker(SEXP p, Rcpp::RawVector spec, SEXP args, SEXP timeout) {
  NWS_BEGIN
  auto& m = deref<sl::Master>(p);
  const std::string a = glue::portable_bytes(args);
  return interruptible(timeout, [&](const nws::Wait& wait) -> SEXP {
    return job_handle(sl::MapJob::each_worker(m, bytes_of(spec), a, wait), p);
  });
  NWS_END
}

// Adds the elements whose argument lists are `args`, waiting for room
// under the job's load factor.
// [[Rcpp::export(.nws_map_add)]]
SEXP nws_map_add(SEXP j, Rcpp::List args) {
  NWS_BEGIN
  auto& job = deref<sl::MapJob>(j);
  const std::vector<std::string> bytes = encoded(args);
  std::size_t done = 0;
  return interruptible(R_NilValue, [&](const nws::Wait& wait) -> SEXP {
    for (; done < bytes.size(); ++done) job.add(bytes[done], wait);
    return R_NilValue;
  });
  NWS_END
}

// [[Rcpp::export(.nws_map_close)]]
SEXP nws_map_close(SEXP j) {
  NWS_BEGIN
  deref<sl::MapJob>(j).close();
  return R_NilValue;
  NWS_END
}

// The outcomes that have arrived, as a list: with `wait_first`, waits (up
// to `timeout`, NULL for ever) for one first, and gives NULL once the job
// is closed and every outcome was taken; without, never waits (the list
// may be empty).
// [[Rcpp::export(.nws_map_take)]]
SEXP nws_map_take(SEXP j, bool wait_first, SEXP timeout) {
  NWS_BEGIN
  auto& job = deref<sl::MapJob>(j);
  return interruptible(timeout, [&](const nws::Wait& wait) -> SEXP {
    std::vector<sl::ElementOutcome> got;
    if (wait_first) {
      auto first = job.next(wait);
      if (!first) return R_NilValue;
      got.push_back(std::move(*first));
    }
    for (auto& o : job.drain()) got.push_back(std::move(o));
    Rcpp::List out(got.size());
    for (std::size_t i = 0; i < got.size(); ++i) out[static_cast<R_xlen_t>(i)] = outcome_list(got[i]);
    return out;
  });
  NWS_END
}

// [[Rcpp::export(.nws_map_state)]]
SEXP nws_map_state(SEXP j) {
  NWS_BEGIN
  auto& job = deref<sl::MapJob>(j);
  return Rcpp::List::create(Rcpp::Named("added") = static_cast<double>(job.added()),
                            Rcpp::Named("taken") = static_cast<double>(job.taken()),
                            Rcpp::Named("remaining") = static_cast<double>(job.remaining()),
                            Rcpp::Named("outstanding") = static_cast<double>(job.job().outstanding()));
  NWS_END
}
