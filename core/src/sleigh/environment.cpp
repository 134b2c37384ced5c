// The worker environment contract (SLEIGH.md §3.1): what a launched worker
// learns from its environment, under the host language's prefix.
#include <cstdlib>

#include "nws/sleigh.hpp"

namespace nws::sleigh {
namespace {

const char* getenv_nonempty(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v && *v ? v : nullptr;
}

long parse_number(const std::string& name, const char* text, long lo, long hi) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text, &end, 10);
  if (errno || end == text || *end || v < lo || v > hi)
    throw Error(Errc::invalid_argument, "sleigh worker: the environment variable " + name + " is '" + text +
                                            "', not a number from " + std::to_string(lo) + " to " +
                                            std::to_string(hi));
  return v;
}

}  // namespace

std::map<std::string, std::string> WorkerEnv::to_environment(std::string_view prefix) const {
  const std::string p(prefix);
  std::map<std::string, std::string> e;
  e[p + "NwsHost"] = host;
  e[p + "NwsPort"] = std::to_string(port);
  e[p + "NwsName"] = sleigh_ws;
  e[p + "UserNwsName"] = user_ws;
  // Every variable of the contract is set, the unset ones to "" (which
  // from_environment reads as unset): a worker started from a process that
  // is itself a worker, or from a shell that ran one, never inherits a stale
  // value for them, whatever the binding or launcher that starts it.
  e[p + "Name"] = name;
  e[p + "ID"] = id >= 0 ? std::to_string(id) : "";
  e[p + "WorkerCount"] = std::to_string(worker_count);
  e[p + "WorkingDir"] = working_dir;
  e[p + "LogDir"] = log_dir;
  e[p + "WorkerOut"] = worker_out;
  e[p + "ModulePath"] = module_path;
  e[p + "RedirectOutput"] = redirect_output ? "True" : "False";
  e[p + "SpillDir"] = spill_dir;
  e[p + "Language"] = language;
  e[p + "Load"] = load;
  for (const auto& [k, v] : connection) e[k] = v;
  return e;
}

WorkerEnv WorkerEnv::from_environment(std::string_view prefix) {
  const std::string p(prefix);
  auto required = [&](const char* field) -> std::string {
    const std::string name = p + field;
    const char* v = getenv_nonempty(name);
    if (!v)
      throw Error(Errc::invalid_argument,
                  "sleigh worker: the environment variable " + name + " is not set (workers are started by a sleigh)");
    return v;
  };
  auto optional = [&](const char* field) -> std::string {
    const char* v = getenv_nonempty(p + field);
    return v ? v : "";
  };
  WorkerEnv e;
  e.host = required("NwsHost");
  e.port = static_cast<std::uint16_t>(parse_number(p + "NwsPort", required("NwsPort").c_str(), 1, 65535));
  e.sleigh_ws = required("NwsName");
  e.user_ws = optional("UserNwsName");
  e.name = optional("Name");
  if (const char* id = getenv_nonempty(p + "ID")) {
    e.id = static_cast<int>(parse_number(p + "ID", id, 0, 1 << 30));
  } else if (const char* procid = getenv_nonempty("SLURM_PROCID")) {
    e.id = static_cast<int>(parse_number("SLURM_PROCID", procid, 0, 1 << 30));
  }
  if (const char* wc = getenv_nonempty(p + "WorkerCount"))
    e.worker_count = static_cast<int>(parse_number(p + "WorkerCount", wc, -1, 1 << 30));
  e.working_dir = optional("WorkingDir");
  e.log_dir = optional("LogDir");
  e.worker_out = optional("WorkerOut");
  e.module_path = optional("ModulePath");
  e.spill_dir = optional("SpillDir");
  e.language = optional("Language");
  e.load = optional("Load");
  const std::string redirect = optional("RedirectOutput");
  e.redirect_output = !redirect.empty() && (redirect[0] == 'T' || redirect[0] == 't' || redirect[0] == '1');
  return e;
}

ServerChoice choose_server(std::optional<std::string> host, std::optional<std::uint16_t> port,
                           std::string_view env_prefix, LaunchKind kind) {
  const std::string p(env_prefix);
  ServerChoice c;
  c.host = std::move(host);
  c.port = port;
  if (!c.host)
    if (const char* h = getenv_nonempty(p + "NwsHost")) c.host = h;
  if (!c.port)
    if (const char* v = getenv_nonempty(p + "NwsPort"))
      c.port = static_cast<std::uint16_t>(parse_number(p + "NwsPort", v, 1, 65535));
  const bool named = c.host || c.port || getenv_nonempty("NWS_HOST") || getenv_nonempty("NWS_PORT");
  if (named || kind != LaunchKind::local) return c;
  // Nothing named: the default server, if one answers; else a server of our own.
  try {
    ConnectOptions probe;
    probe.host = "localhost";
    probe.port = kDefaultPort;
    probe.connect_timeout = std::chrono::milliseconds(500);
    Server answered(probe);
  } catch (const Error&) {
    c.start_embedded = true;
  }
  return c;
}

}  // namespace nws::sleigh
