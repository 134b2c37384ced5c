// The sleigh: the core's master, jobs and worker loop (nws/sleigh.hpp),
// raw vectors in and out.  R's serialisation, the original API's names and
// options, foreach and progress bars are R's business (R/sleigh*.R).
#include <limits>
#include <map>

#include "common.h"
#include "nws/sleigh.hpp"
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


std::vector<std::string> strings(SEXP x) {
  if (Rf_isNull(x)) return {};
  return Rcpp::as<std::vector<std::string>>(x);
}

std::map<std::string, std::string> string_map(SEXP x) {
  std::map<std::string, std::string> out;
  if (Rf_isNull(x)) return out;
  Rcpp::CharacterVector v(x);
  Rcpp::CharacterVector names = v.names();
  for (R_xlen_t i = 0; i < v.size(); ++i) out[Rcpp::as<std::string>(names[i])] = Rcpp::as<std::string>(v[i]);
  return out;
}

// Runs a blocking call of the sleigh with R's interrupt check: its result,
// or the interrupt (to be re-signalled by .nws()).
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

}  // namespace

// The master, from the options R/sleigh.R has checked (a named list).
// [[Rcpp::export(.nws_sleigh_master)]]
SEXP nws_sleigh_master(Rcpp::List o) {
  NWS_BEGIN
  sl::MasterOptions m;
  m.server.host = glue::host_arg(o["host"]);
  m.server.port = glue::port_arg(o["port"], nws::args::PortUse::connect);
  // TLS and credentials: the master's connections use them, and the core's
  // launcher hands them to the workers (NWS_TLS, NWS_TLS_CA, ..., NWS_TOKEN).
  glue::security_args(o["security"], m.server);
  m.ws_name_template = glue::name_arg(o["wsNameTemplate"], nws::args::NameOf::name_template);
  m.user_ws_name_template = glue::name_arg(o["userWsNameTemplate"], nws::args::NameOf::name_template);
  m.launch.kind = sl::launch_kind_named(Rcpp::as<std::string>(o["kind"]));
  m.launch.worker_count = Rcpp::as<int>(o["workerCount"]);
  m.launch.node_list = strings(o["nodeList"]);
  Rcpp::List prefixes = o["prefixes"];
  if (prefixes.size() > 0) {
    // Computed in R beforehand (sshcmd, or the user's function), so the
    // launcher never calls back into R from the core.
    std::map<std::string, std::vector<std::string>> by_node;
    Rcpp::CharacterVector nodes = prefixes.names();
    for (R_xlen_t i = 0; i < prefixes.size(); ++i)
      by_node[Rcpp::as<std::string>(nodes[i])] = Rcpp::as<std::vector<std::string>>(prefixes[i]);
    m.launch.prefix = [by_node = std::move(by_node)](const std::string& node) {
      auto it = by_node.find(node);
      return it == by_node.end() ? std::vector<std::string>{} : it->second;
    };
  }
  // The workers' language: R's own workers run this R's Rscript (the
  // program R/sleigh.R gives); another language's, its default program
  // (workerProgram empty).  The core takes the environment prefix from
  // the language (RSleigh for R).
  m.launch.language = Rcpp::as<std::string>(o["language"]);
  m.launch.load = Rcpp::as<std::string>(o["load"]);
  m.launch.module_path = Rcpp::as<std::string>(o["modulePath"]);
  m.launch.worker_program = strings(o["workerProgram"]);
  m.launch.working_dir = Rcpp::as<std::string>(o["workingDir"]);
  m.launch.log_dir = Rcpp::as<std::string>(o["logDir"]);
  m.launch.remote_host = Rcpp::as<std::string>(o["remoteHost"]);
  m.launch.remote_port = glue::port_arg(o["remotePort"], nws::args::PortUse::connect);
  m.launch.slurm_args = strings(o["slurmArgs"]);
  m.launch.extra_env = string_map(o["extraEnv"]);
  m.launch.manual_command = Rcpp::as<std::string>(o["manualCommand"]);
  m.inbox_depth = Rcpp::as<int>(o["inboxDepth"]);
  m.stop_wait = Rcpp::as<double>(o["stopTimeout"]);
  XPtr<sl::Master> x(new sl::Master(m), true);
  return x;
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_info)]]
SEXP nws_sleigh_info(SEXP p) {
  NWS_BEGIN
  auto& m = deref<sl::Master>(p);
  return Rcpp::List::create(Rcpp::Named("wsName") = utf8(m.ws_name()),
                            Rcpp::Named("userWsName") = utf8(m.user_ws_name()), Rcpp::Named("host") = utf8(m.host()),
                            Rcpp::Named("port") = static_cast<int>(m.port()),
                            Rcpp::Named("launched") = m.launched(),
                            Rcpp::Named("workersAlive") = m.workers_alive(), Rcpp::Named("stopped") = m.stopped(),
                            Rcpp::Named("manualCommand") = utf8(m.manual_command()));
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_status)]]
SEXP nws_sleigh_status(SEXP p, bool close_group, double timeout) {
  NWS_BEGIN
  auto& m = deref<sl::Master>(p);
  return interruptible(R_NilValue, [&](const nws::Wait& wait) -> SEXP {
    auto st = m.status(close_group, timeout, wait.should_cancel);
    return Rcpp::List::create(Rcpp::Named("numWorkers") = st.workers, Rcpp::Named("closed") = st.closed);
  });
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_worker_info)]]
SEXP nws_sleigh_worker_info(SEXP p) {
  NWS_BEGIN
  return Rcpp::wrap(deref<sl::Master>(p).worker_info());
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_each_elem)]]
SEXP nws_sleigh_each_elem(SEXP p, Rcpp::RawVector fun_bytes) {
  NWS_BEGIN
  return XPtr<sl::Job>(new sl::Job(deref<sl::Master>(p).each_elem(bytes_of(fun_bytes))), true);
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_each_worker)]]
SEXP nws_sleigh_each_worker(SEXP p, Rcpp::RawVector fun_bytes, Rcpp::RawVector payload, SEXP timeout) {
  NWS_BEGIN
  auto& m = deref<sl::Master>(p);
  std::string args(bytes_of(payload));
  return interruptible(timeout, [&](const nws::Wait& wait) -> SEXP {
    return XPtr<sl::Job>(new sl::Job(m.each_worker(bytes_of(fun_bytes), std::move(args), wait)), true);
  });
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_stop)]]
SEXP nws_sleigh_stop(SEXP p) {
  NWS_BEGIN
  XPtr<sl::Master> x(p);
  if (x.get() != nullptr) x->stop();
  return R_NilValue;
  NWS_END
}

// ---- jobs ----------------------------------------------------------------

// [[Rcpp::export(.nws_job_add_chunk)]]
SEXP nws_job_add_chunk(SEXP j, double first, double count, Rcpp::RawVector payload) {
  NWS_BEGIN
  deref<sl::Job>(j).add_chunk(static_cast<std::int64_t>(first), static_cast<std::int64_t>(count), bytes_of(payload));
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_job_close)]]
SEXP nws_job_close(SEXP j) {
  NWS_BEGIN
  deref<sl::Job>(j).close();
  return R_NilValue;
  NWS_END
}

// The next chunk's result: list(first (0-based), count, status, payload,
// rank, failed, seconds), NULL when every result was taken, or the
// timeout's error.
// [[Rcpp::export(.nws_job_next)]]
SEXP nws_job_next(SEXP j, bool elements_order, SEXP timeout) {
  NWS_BEGIN
  auto& job = deref<sl::Job>(j);
  return interruptible(timeout, [&](const nws::Wait& wait) -> SEXP {
    auto r = job.next(elements_order ? sl::Order::elements : sl::Order::arrival, wait);
    if (!r) return R_NilValue;
    return Rcpp::List::create(Rcpp::Named("first") = static_cast<double>(r->first),
                              Rcpp::Named("count") = static_cast<double>(r->count),
                              Rcpp::Named("status") = sl::chunk_status_name(r->status),
                              Rcpp::Named("payload") = raw_of(r->payload), Rcpp::Named("rank") = r->rank,
                              Rcpp::Named("failed") = static_cast<double>(r->failed),
                              Rcpp::Named("seconds") = r->seconds);
  });
  NWS_END
}

// [[Rcpp::export(.nws_job_wait_room)]]
SEXP nws_job_wait_room(SEXP j, double limit) {
  NWS_BEGIN
  auto& job = deref<sl::Job>(j);
  return interruptible(R_NilValue, [&](const nws::Wait& wait) -> SEXP {
    job.wait_room(static_cast<std::int64_t>(limit), wait);
    return R_NilValue;
  });
  NWS_END
}

// [[Rcpp::export(.nws_job_state)]]
SEXP nws_job_state(SEXP j) {
  NWS_BEGIN
  auto& job = deref<sl::Job>(j);
  return Rcpp::List::create(Rcpp::Named("id") = static_cast<double>(job.id()),
                            Rcpp::Named("outstanding") = static_cast<double>(job.outstanding()),
                            Rcpp::Named("undelivered") = static_cast<double>(job.undelivered()),
                            Rcpp::Named("done") = job.done());
  NWS_END
}

// ---- helpers of the core -----------------------------------------------------

// [[Rcpp::export(.nws_sleigh_chunk_size)]]
double nws_sleigh_chunk_size(double elements, int workers, double element_bytes) {
  return static_cast<double>(sl::chunk_size(static_cast<std::int64_t>(elements), workers,
                                            static_cast<std::int64_t>(element_bytes)));
}

// Chunks a job may have outstanding for a load factor (NULL: no limit, Inf).
// [[Rcpp::export(.nws_sleigh_outstanding_limit)]]
double nws_sleigh_outstanding_limit(SEXP load_factor, int workers) {
  std::optional<double> lf;
  if (!Rf_isNull(load_factor)) lf = Rf_asReal(load_factor);
  const std::int64_t n = sl::outstanding_limit(lf, workers);
  return n == std::numeric_limits<std::int64_t>::max() ? R_PosInf : static_cast<double>(n);
}

// [[Rcpp::export(.nws_sleigh_ssh_prefix)]]
std::vector<std::string> nws_sleigh_ssh_prefix(std::string node, std::string user) {
  return sl::ssh_prefix(node, user);
}

// [[Rcpp::export(.nws_sleigh_ssh_forward_prefix)]]
SEXP nws_sleigh_ssh_forward_prefix(std::string node, std::string user, SEXP remote_port, std::string nws_host,
                                   SEXP nws_port, std::string remote_host) {
  NWS_BEGIN
  using nws::args::PortUse;
  auto rp = glue::port_arg(remote_port, PortUse::connect);
  auto np = glue::port_arg(nws_port, PortUse::connect);
  if (!rp || !np) throw nws::Error(nws::Errc::invalid_argument, "sshforwardcmd needs nwsPort (and nwsPortRemote)");
  return Rcpp::wrap(sl::ssh_forward_prefix(node, user, *rp, nws_host, *np, remote_host));
  NWS_END
}

// The environment contract of one worker (SLEIGH.md §3.1) for a manual
// start: the core's names, from the core's rules.
// [[Rcpp::export(.nws_sleigh_worker_environment)]]
SEXP nws_sleigh_worker_environment(std::string ws, std::string host, SEXP port, std::string user_ws,
                                   std::string working_dir, std::string log_dir, std::string worker_out) {
  NWS_BEGIN
  sl::WorkerEnv e;
  e.sleigh_ws = glue::name_arg(Rcpp::wrap(ws), nws::args::NameOf::workspace);
  e.host = host;
  auto p = glue::port_arg(port, nws::args::PortUse::connect);
  if (!p) throw nws::Error(nws::Errc::invalid_argument, "launch needs the server's port");
  e.port = *p;
  e.user_ws = user_ws;
  e.working_dir = working_dir;
  e.log_dir = log_dir;
  e.worker_out = worker_out;
  e.worker_count = -1;  // the master closes the group
  auto env = e.to_environment("RSleigh");
  Rcpp::CharacterVector out(env.size());
  Rcpp::CharacterVector names(env.size());
  R_xlen_t i = 0;
  for (const auto& [k, v] : env) {
    names[i] = k;
    out[i++] = v;
  }
  out.names() = names;
  return out;
  NWS_END
}

// [[Rcpp::export(.nws_sleigh_worker_env)]]
SEXP nws_sleigh_worker_env() {
  NWS_BEGIN
  auto e = sl::WorkerEnv::from_environment("RSleigh");
  return Rcpp::List::create(Rcpp::Named("host") = utf8(e.host), Rcpp::Named("port") = static_cast<int>(e.port),
                            Rcpp::Named("wsName") = utf8(e.sleigh_ws), Rcpp::Named("userWsName") = utf8(e.user_ws),
                            Rcpp::Named("name") = utf8(e.name), Rcpp::Named("id") = e.id,
                            Rcpp::Named("redirectOutput") = e.redirect_output,
                            Rcpp::Named("load") = utf8(e.load), Rcpp::Named("modulePath") = utf8(e.module_path));
  NWS_END
}

// The worker: the core joins, starts the sentinel and loops; each chunk
// of R's own serialisation goes to `run(functionId, function, payload,
// meta)`, an R function that returns list(payload = raw, failed = number,
// log = string), or list(error = message) when the chunk cannot run; each
// element of a portable chunk (a function named by a master of any
// language) goes to `call(functionId, name, args, meta)` with its
// argument list read from portable bytes, and returns list(value = the
// result) or list(error = message).  Neither ever signals
// (R/sleigh_worker.R catches every error per element); `joined(rank,
// workerCount)` once the group is closed.
// [[Rcpp::export(.nws_sleigh_worker)]]
SEXP nws_sleigh_worker(Rcpp::Function run, Rcpp::Function call, Rcpp::Function joined, std::string language) {
  NWS_BEGIN
  const sl::WorkerEnv env = sl::WorkerEnv::from_environment("RSleigh");
  sl::WorkerHooks hooks;
  hooks.language = language;
  hooks.language_id = "r";
  hooks.run = [&run](const sl::TaskRun& t) {
    Rcpp::List meta = Rcpp::List::create(
        Rcpp::Named("job") = static_cast<double>(t.job), Rcpp::Named("tag") = static_cast<double>(t.tag),
        Rcpp::Named("count") = static_cast<double>(t.count), Rcpp::Named("barrier") = t.barrier,
        Rcpp::Named("rank") = t.rank);
    Rcpp::List out = run(std::string(t.function_id), raw_of(t.function), raw_of(t.payload), meta);
    if (out.containsElementNamed("error")) throw std::runtime_error(Rcpp::as<std::string>(out["error"]));
    sl::TaskOutcome o;
    Rcpp::RawVector payload = out["payload"];
    o.payload = std::string(bytes_of(payload));
    o.failed = static_cast<std::uint32_t>(Rcpp::as<double>(out["failed"]));
    o.log = Rcpp::as<std::string>(out["log"]);
    return o;
  };
  hooks.call = [&call](const sl::PortableCall& c) {
    // Arguments another language wrote: one R cannot read fails this
    // element (the core turns the exception into its error).
    Rcpp::RObject args(glue::portable_value(c.args));
    Rcpp::List meta = Rcpp::List::create(Rcpp::Named("index") = static_cast<double>(c.index),
                                         Rcpp::Named("barrier") = c.barrier);
    Rcpp::List out = call(std::string(c.function_id), c.function->name, args, meta);
    if (out.containsElementNamed("error")) throw std::runtime_error(Rcpp::as<std::string>(out["error"]));
    try {
      return glue::portable_bytes(out["value"]);
    } catch (const nws::Error& e) {
      throw nws::Error(e.code(), std::string("the result of ") + c.function->name + ": " + e.what());
    }
  };
  hooks.joined = [&joined](int rank, int count) { joined(rank, count); };
  return Rcpp::wrap(sl::run_worker(env, hooks));
  NWS_END
}

// Where the master's server is, by the rule every binding shares (the
// options, $RSleighNwsHost/Port, $NWS_HOST/PORT; a server of its own for a
// local sleigh when the default one does not answer).
// [[Rcpp::export(.nws_sleigh_choose_server)]]
SEXP nws_sleigh_choose_server(SEXP host, SEXP port, std::string kind) {
  NWS_BEGIN
  std::optional<std::string> h;
  if (!Rf_isNull(host)) h = glue::host_arg(host);
  sl::ServerChoice c =
      sl::choose_server(h, glue::port_arg(port, nws::args::PortUse::connect), "RSleigh", sl::launch_kind_named(kind));
  return Rcpp::List::create(
      Rcpp::Named("host") = c.host ? Rcpp::RObject(Rcpp::wrap(*c.host)) : Rcpp::RObject(R_NilValue),
      Rcpp::Named("port") = c.port ? Rcpp::RObject(Rcpp::wrap(static_cast<int>(*c.port))) : Rcpp::RObject(R_NilValue),
      Rcpp::Named("start_embedded") = c.start_embedded);
  NWS_END
}
