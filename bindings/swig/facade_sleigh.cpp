// The sleigh facade: conversions onto nws::sleigh's Master, MapJob and
// PortableWorker.  Every rule is the core's.
#include "facade_sleigh.hpp"

#include <cmath>
#include <limits>

#include "nws/args.hpp"
#include "nws/client.hpp"
#include "nws/local_server.hpp"
#include "nws/sleigh.hpp"
#include "nws/sleigh_tasks.hpp"

namespace nws_swig {
namespace {

namespace sl = nws::sleigh;

nws::Wait make_wait(double timeout, std::atomic<bool>* flag) {
  return nws::args::wait(timeout, [flag] { return flag->load() || g_interrupt.load(); });
}

std::string replace_node(std::string word, const std::string& node) {
  for (std::size_t at = 0; (at = word.find("{node}", at)) != std::string::npos; at += node.size())
    word.replace(at, 6, node);
  return word;
}

SleighOutcome outcome_of(sl::ElementOutcome&& o) {
  SleighOutcome r;
  r.found = true;
  r.index = o.index;
  r.ok = o.ok;
  r.value = std::move(o.value);
  r.error = std::move(o.error);
  r.rank = o.rank;
  return r;
}

}  // namespace

// ---- SleighMaster ----

SleighMaster::SleighMaster(const SleighOptions& o) {
  sl::MasterOptions m;
  if (o.has_security) apply_security(o.security, m.server);
  language_ = sl::language_id(o.language.empty() ? "python" : o.language);
  sl::LaunchKind kind;
  if (o.launch == "ssh" || o.launch == "sshforward") {
    kind = sl::LaunchKind::command;
  } else {
    kind = sl::launch_kind_named(o.launch);
  }
  std::optional<std::string> host;
  if (!o.host.empty()) host = o.host;
  std::optional<std::uint16_t> port;
  if (o.has_port) port = nws::args::port(o.port, nws::args::PortUse::connect);
  sl::ServerChoice choice = sl::choose_server(host, port, sl::env_prefix_for(language_), kind);
  if (choice.start_embedded) {
    embedded_ = std::make_unique<nws::LocalServer>();
    choice.host = embedded_->host();
    choice.port = embedded_->port();
  }
  if (choice.host) m.server.host = *choice.host;
  if (choice.port) m.server.port = *choice.port;
  m.ws_name_template = o.ws_template;
  m.user_ws_name_template = o.user_ws_template;
  m.launch.kind = kind;
  m.launch.worker_count = o.worker_count;
  m.launch.node_list = o.node_list;
  if (o.launch == "ssh") {
    m.launch.prefix = [user = o.user](const std::string& node) { return sl::ssh_prefix(node, user); };
  } else if (o.launch == "sshforward") {
    // Workers reach the server through the tunnel: on their machine, at
    // remote_host (localhost) and remote_port (the server's port).
    const std::string nws_host = m.server.host.empty() ? std::string("localhost") : m.server.host;
    const std::uint16_t nws_port = m.server.port.value_or(nws::kDefaultPort);
    const std::uint16_t remote_port =
        o.has_remote_port ? nws::args::port(o.remote_port, nws::args::PortUse::connect) : nws_port;
    m.launch.prefix = [=, user = o.user, remote_host = o.remote_host](const std::string& node) {
      return sl::ssh_forward_prefix(node, user, remote_port, nws_host, nws_port, remote_host);
    };
    m.launch.remote_host = o.remote_host.empty() ? "localhost" : o.remote_host;
    m.launch.remote_port = remote_port;
  } else if (o.launch == "command") {
    if (o.command_prefix.empty())
      throw nws::Error(nws::Errc::invalid_argument, "sleigh: launch 'command' needs a command prefix");
    m.launch.prefix = [words = o.command_prefix](const std::string& node) {
      std::vector<std::string> out;
      for (const auto& w : words) out.push_back(replace_node(w, node));
      return out;
    };
  }
  m.launch.language = language_;
  m.launch.worker_program = o.worker_program;
  m.launch.load = o.load;
  m.launch.module_path = o.module_path;
  m.launch.working_dir = o.working_dir;
  m.launch.log_dir = o.log_dir;
  m.launch.redirect_output = o.redirect_output;
  if (o.launch != "sshforward") {
    m.launch.remote_host = o.remote_host;
    if (o.has_remote_port) m.launch.remote_port = nws::args::port(o.remote_port, nws::args::PortUse::connect);
  }
  m.launch.slurm_args = o.slurm_args;
  m.launch.manual_command = o.manual_command;
  m.inbox_depth = o.inbox_depth;
  m.stop_wait = o.stop_wait;
  // A manual launch waits for a person: Perl's Ctrl-C (the SIGINT flag)
  // gives it up.
  m.cancel = [] { return g_interrupt.load(); };
  m_ = std::make_unique<sl::Master>(m);
}

SleighMaster::~SleighMaster() {
  if (m_) m_->stop();
}

std::string SleighMaster::ws_name() const { return m_->ws_name(); }
std::string SleighMaster::user_ws_name() const { return m_->user_ws_name(); }
std::string SleighMaster::host() const { return m_->host(); }
int SleighMaster::port() const { return m_->port(); }
std::string SleighMaster::language() const { return language_; }
int SleighMaster::launched() const { return m_->launched(); }
int SleighMaster::workers_alive() const { return m_->workers_alive(); }
std::string SleighMaster::manual_command() const { return m_->manual_command(); }

SleighStatus SleighMaster::status(bool close_group, double timeout) {
  cancel_ = false;
  if (!(timeout >= 0)) throw nws::Error(nws::Errc::invalid_argument, "sleigh: status timeout must be 0 or more");
  auto st = m_->status(close_group, std::isinf(timeout) ? 1e9 : timeout,
                       [this] { return cancel_.load() || g_interrupt.load(); });
  return SleighStatus{st.workers, st.closed};
}

std::vector<std::string> SleighMaster::worker_info() { return m_->worker_info(); }

SleighJob* SleighMaster::each_elem(const char* name, double total, double chunk_size, double load_factor,
                                   bool arrival) {
  if (!name) throw nws::Error(nws::Errc::invalid_argument, "sleigh: the function name is missing");
  sl::MapOptions o;
  if (total >= 0) o.total = static_cast<std::int64_t>(total);
  if (!(chunk_size >= 0) || chunk_size != std::floor(chunk_size))
    throw nws::Error(nws::Errc::invalid_argument, "sleigh: chunkSize must be a whole number of elements");
  o.chunk_size = static_cast<std::int64_t>(chunk_size);
  if (load_factor > 0) o.load_factor = load_factor;
  o.order = arrival ? sl::Order::arrival : sl::Order::elements;
  const std::string spec = sl::named_function(language_, name);
  return new SleighJob(std::make_unique<sl::MapJob>(sl::MapJob::each_elem(*m_, spec, o)));
}

SleighJob* SleighMaster::each_worker(const char* name, const std::string& args, double timeout) {
  if (!name) throw nws::Error(nws::Errc::invalid_argument, "sleigh: the function name is missing");
  cancel_ = false;
  const std::string spec = sl::named_function(language_, name);
  return new SleighJob(
      std::make_unique<sl::MapJob>(sl::MapJob::each_worker(*m_, spec, args, make_wait(timeout, &cancel_))));
}

void SleighMaster::stop() { m_->stop(); }
bool SleighMaster::stopped() const { return m_->stopped(); }
void SleighMaster::cancel() { cancel_ = true; }

// ---- SleighJob ----

SleighJob::SleighJob(std::unique_ptr<sl::MapJob> j) : j_(std::move(j)) {}
SleighJob::~SleighJob() {
  try {
    j_->close();
  } catch (const nws::Error&) {
  }
}

void SleighJob::add(const std::string& args, double timeout) {
  cancel_ = false;
  j_->add(args, make_wait(timeout, &cancel_));
}

void SleighJob::close() { j_->close(); }

SleighOutcome SleighJob::next_outcome(double timeout) {
  cancel_ = false;
  auto o = j_->next(make_wait(timeout, &cancel_));
  return o ? outcome_of(std::move(*o)) : SleighOutcome{};
}

std::vector<SleighOutcome> SleighJob::drain() {
  std::vector<SleighOutcome> out;
  for (auto& o : j_->drain()) out.push_back(outcome_of(std::move(o)));
  return out;
}

long long SleighJob::added() const { return j_->added(); }
long long SleighJob::remaining() const { return j_->remaining(); }
void SleighJob::cancel() { cancel_ = true; }

// ---- SleighWorker ----

SleighWorker::SleighWorker(const char* language, const char* description) {
  if (!language || !description) throw nws::Error(nws::Errc::invalid_argument, "sleigh worker: language missing");
  const std::string lang = sl::language_id(language);
  w_ = std::make_unique<sl::PortableWorker>(sl::WorkerEnv::from_environment(sl::env_prefix_for(lang)), lang,
                                            description);
}

SleighWorker::~SleighWorker() = default;
int SleighWorker::rank() const { return w_->rank(); }
int SleighWorker::worker_count() const { return w_->worker_count(); }

SleighCall SleighWorker::next_call() {
  auto c = w_->next();
  SleighCall r;
  if (!c) return r;
  r.found = true;
  r.index = c->index;
  r.language = c->function->language;
  r.name = c->function->name;
  r.serialized = c->function->serialized;
  r.function_id = std::string(c->function_id);
  r.args = std::string(c->args);
  r.barrier = c->barrier;
  return r;
}

void SleighWorker::reply(const std::string& value) { w_->reply(value); }
void SleighWorker::reply_error(const std::string& message) { w_->reply_error(message); }

SleighWorkerEnv sleigh_worker_env(const char* language) {
  if (!language) throw nws::Error(nws::Errc::invalid_argument, "sleigh worker: language missing");
  const sl::WorkerEnv e = sl::WorkerEnv::from_environment(sl::env_prefix_for(sl::language_id(language)));
  SleighWorkerEnv r;
  r.host = e.host;
  r.port = e.port;
  r.sleigh_ws = e.sleigh_ws;
  r.user_ws = e.user_ws;
  r.working_dir = e.working_dir;
  r.module_path = e.module_path;
  r.load = e.load;
  r.language = e.language;
  return r;
}

std::vector<std::string> sleigh_languages() { return sl::worker_languages(); }

std::string sleigh_language_id(const char* name) {
  if (!name) throw nws::Error(nws::Errc::invalid_argument, "sleigh: language missing");
  return sl::language_id(name);
}

void sleigh_check_name(const char* language, const char* name) {
  if (!language || !name) throw nws::Error(nws::Errc::invalid_argument, "sleigh: language or name missing");
  sl::check_function_name(sl::language_id(language), name);
}

std::string sleigh_shell_quote(const char* word) { return sl::shell_quote(word ? word : ""); }

}  // namespace nws_swig
