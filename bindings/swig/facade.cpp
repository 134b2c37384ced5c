// The facade: conversions onto nws::Server / Workspace / Iterator /
// LocalServer.  Argument rules are the core's (nws/args.hpp).
#include "facade.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "nws/client.hpp"
#include "nws/local_server.hpp"

namespace nws_swig {

std::atomic<bool> g_interrupt{false};

namespace {

using nws::args::NameOf;

std::optional<std::string_view> opt(const char* s) {
  return s ? std::optional<std::string_view>(s) : std::nullopt;
}
std::string name_arg(const char* s, NameOf what) { return nws::args::name(opt(s), what); }

nws::Wait make_wait(double timeout, std::atomic<bool>* flag) {
  return nws::args::wait(timeout, [flag] { return flag->load() || g_interrupt.load(); });
}

Got got_of(const nws::Fetched& f) {
  Got g;
  g.found = true;
  g.descriptor = f.value.descriptor;
  g.bytes = f.value.bytes;
  g.size = f.value.bytes.size();
  return g;
}

// The value of a blocking call.  An interrupt after the value arrived comes
// back as a Got marked `interrupted` (the language layer raises the
// interrupt carrying it); any other error propagates.
template <class F>
Got blocking_call(F&& f) {
  try {
    return f();
  } catch (const nws::Error& e) {
    if (e.code() != nws::Errc::cancelled || !e.arrived()) throw;
    Got g = got_of(*e.arrived());
    g.interrupted = true;
    return g;
  }
}

// A lease duration in seconds as the core takes it (milliseconds, to the
// nearest).  The range is the core's rule (1 ms .. 2^31-1 ms): what is out
// of it goes through, so the core refuses it with its message; only NaN
// and infinities, which have no number of milliseconds, are refused here.
std::chrono::milliseconds lease_duration(bool given, double seconds) {
  if (!given) return nws::Lease::kDefaultDuration;
  if (!std::isfinite(seconds))
    throw nws::Error(nws::Errc::invalid_argument, "a lease duration must be a finite number of seconds, not " +
                                                      std::string(std::isnan(seconds) ? "NaN" : "infinity"));
  const double ms = std::round(seconds * 1000.0);
  constexpr double kMax = 9.0e18;  // within long long
  return std::chrono::milliseconds(static_cast<long long>(ms < -kMax ? -kMax : ms > kMax ? kMax : ms));
}

VarListing to_listing(nws::VarListing&& l) {
  VarListing out;
  out.text = std::move(l.text);
  for (auto& v : l.rows) out.rows.push_back({std::move(v.name), v.values, v.fetchers, v.finders, std::move(v.mode)});
  return out;
}

WsListing to_listing(nws::WsListing&& l) {
  WsListing out;
  out.text = std::move(l.text);
  for (auto& w : l.rows)
    out.rows.push_back({w.mine, std::move(w.name), std::move(w.owner), w.persistent, w.variables,
                        std::move(w.variable_names)});
  return out;
}

[[noreturn]] void file_error(const std::string& what) {
  throw nws::Error(nws::Errc::invalid_argument, what + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view chunk) {
  while (!chunk.empty()) {
    ssize_t n = ::write(fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      file_error("cannot write the value to the file");
    }
    chunk.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t read_some(int fd, char* buf, std::size_t n) {
  for (;;) {
    ssize_t r = ::read(fd, buf, n);
    if (r >= 0) return static_cast<std::size_t>(r);
    if (errno != EINTR) file_error("cannot read the file");
  }
}

}  // namespace

// ---- Server ----

Server::Server(const char* host, bool has_port, double port, bool has_connect_timeout, double connect_timeout,
               bool kill_server_on_close, const Security* security) {
  nws::ConnectOptions o;
  if (host) o.host = host;
  if (has_port) o.port = nws::args::port(port, nws::args::PortUse::connect);
  o.connect_timeout = nws::args::connect_timeout(has_connect_timeout ? std::optional<double>(connect_timeout)
                                                                    : std::nullopt);
  o.kill_server_on_close = kill_server_on_close;
  if (security) apply_security(*security, o);
  s_ = std::make_unique<nws::Server>(o);
}

void apply_security(const Security& security, nws::ConnectOptions& o) {
  o.tls.enabled = security.tls;
  o.tls.ca_file = security.tls_ca;
  o.tls.cert_file = security.tls_cert;
  o.tls.key_file = security.tls_key;
  o.tls.server_name = security.tls_server_name;
  o.user = security.user;
  o.password = security.password;
  o.token = security.token;
}

Server::Server(std::unique_ptr<nws::Server> s) : s_(std::move(s)) {}

Server::~Server() = default;  // the connection closes with its last handle

Workspace* Server::open_ws(const char* name, bool persistent, bool create) {
  return new Workspace(std::make_unique<nws::Workspace>(s_->open_ws(name_arg(name, NameOf::workspace), persistent, create)));
}

Workspace* Server::use_ws(const char* name, bool create) {
  return new Workspace(std::make_unique<nws::Workspace>(s_->use_ws(name_arg(name, NameOf::workspace), create)));
}

std::string Server::mktemp_ws(const char* name_template) {
  return name_template ? s_->mktemp_ws(name_template) : s_->mktemp_ws();
}

void Server::delete_ws(const char* name) { s_->delete_ws(name_arg(name, NameOf::workspace)); }
WsListing Server::list_wss(const char* name) { return to_listing(s_->list_wss(name ? name : "")); }
VarListing Server::list_vars(const char* ws) { return to_listing(s_->list_vars(name_arg(ws, NameOf::workspace))); }
void Server::close() { s_->close(); }
bool Server::closed() const { return s_->closed(); }
std::string Server::host() const { return s_->host(); }
int Server::port() const { return s_->port(); }

// ---- Workspace ----

Workspace::Workspace(std::unique_ptr<nws::Workspace> ws) : ws_(std::move(ws)) {}
Workspace::~Workspace() = default;

std::string Workspace::name() const { return ws_->name(); }
Server* Workspace::server() const { return new Server(std::make_unique<nws::Server>(ws_->server())); }

void Workspace::store(const char* var, unsigned long long descriptor, const std::string& bytes) {
  ws_->store(name_arg(var, NameOf::variable), descriptor, bytes);
}

Got Workspace::blocking(bool consume, const char* var, double timeout) {
  const std::string v = name_arg(var, NameOf::variable);
  cancel_.store(false);
  nws::Wait w = make_wait(timeout, &cancel_);
  return blocking_call([&] { return got_of(*ws_->retrieve(consume ? nws::Retrieve::fetch : nws::Retrieve::find, v, w)); });
}

Got Workspace::fetch(const char* var, double timeout) { return blocking(true, var, timeout); }
Got Workspace::find(const char* var, double timeout) { return blocking(false, var, timeout); }

Got Workspace::fetch_try(const char* var) {
  auto f = ws_->retrieve(nws::Retrieve::fetch_try, name_arg(var, NameOf::variable));
  return f ? got_of(*f) : Got{};
}

Got Workspace::find_try(const char* var) {
  auto f = ws_->retrieve(nws::Retrieve::find_try, name_arg(var, NameOf::variable));
  return f ? got_of(*f) : Got{};
}

void Workspace::declare(const char* var, const char* mode) {
  const std::string v = name_arg(var, NameOf::variable);
  ws_->declare(v, nws::args::mode(opt(mode)));
}

void Workspace::delete_var(const char* var) { ws_->delete_var(name_arg(var, NameOf::variable)); }
VarListing Workspace::list_vars() { return to_listing(ws_->list_vars()); }

Cursor* Workspace::ifetch(const char* var) {
  return new Cursor(std::make_unique<nws::Iterator>(ws_->ifetch(name_arg(var, NameOf::variable))));
}

Cursor* Workspace::ifind(const char* var) {
  return new Cursor(std::make_unique<nws::Iterator>(ws_->ifind(name_arg(var, NameOf::variable))));
}

void Workspace::store_file(const char* var, unsigned long long descriptor, int fd) {
  const std::string v = name_arg(var, NameOf::variable);
  struct stat st {};
  if (::fstat(fd, &st) != 0) file_error("cannot store from the file");
  off_t here = S_ISREG(st.st_mode) ? ::lseek(fd, 0, SEEK_CUR) : -1;
  if (here >= 0) {
    // A regular file: stream what is left of it, without holding it in memory.
    const auto length = static_cast<std::uint64_t>(st.st_size > here ? st.st_size - here : 0);
    nws::ByteSource source = [fd](char* buf, std::size_t n) { return read_some(fd, buf, n); };
    ws_->store_stream(v, descriptor, length, source);
    return;
  }
  // A pipe or socket: its length is known only at its end.
  std::string all;
  char buf[64 * 1024];
  for (std::size_t n; (n = read_some(fd, buf, sizeof buf)) > 0;) all.append(buf, n);
  ws_->store(v, descriptor, all);
}

Got Workspace::retrieve_file(int how, const char* var, int fd, double timeout) {
  const std::string v = name_arg(var, NameOf::variable);
  static constexpr nws::Retrieve kHow[] = {nws::Retrieve::fetch, nws::Retrieve::fetch_try, nws::Retrieve::find,
                                           nws::Retrieve::find_try};
  if (how < 0 || how > 3) throw nws::Error(nws::Errc::invalid_argument, "retrieve_file: `how` must be 0 to 3");
  std::uint64_t size = 0;
  nws::ByteSink sink = [fd, &size](std::string_view chunk) {
    write_all(fd, chunk);
    size += chunk.size();
  };
  cancel_.store(false);
  nws::Wait w = make_wait(timeout, &cancel_);
  Got got = blocking_call([&] {
    auto f = ws_->retrieve(kHow[how], v, w, &sink);
    Got g;
    if (!f) return g;
    g.found = true;
    g.descriptor = f->value.descriptor;
    g.size = size;
    return g;
  });
  // Interrupted after the value arrived: its bytes went to the file too.
  if (got.interrupted) got.size = size;
  return got;
}

Lease* Workspace::lease(const char* var, bool has_duration, double duration, double timeout) {
  const std::string v = name_arg(var, NameOf::variable);
  const auto d = lease_duration(has_duration, duration);
  cancel_.store(false);
  nws::Wait w = make_wait(timeout, &cancel_);
  return new Lease(std::make_unique<nws::Lease>(ws_->lease(v, d, w)));
}

Lease* Workspace::lease_try(const char* var, bool has_duration, double duration) {
  const std::string v = name_arg(var, NameOf::variable);
  auto l = ws_->lease_try(v, lease_duration(has_duration, duration));
  return l ? new Lease(std::make_unique<nws::Lease>(std::move(*l))) : nullptr;
}

void Workspace::close() { ws_->close(); }
bool Workspace::closed() const { return ws_->closed(); }
void Workspace::cancel() { cancel_.store(true); }

// ---- Cursor ----

Cursor::Cursor(std::unique_ptr<nws::Iterator> it) : it_(std::move(it)) {}
Cursor::~Cursor() = default;

Got Cursor::next_value(double timeout) {
  cancel_.store(false);
  nws::Wait w = make_wait(timeout, &cancel_);
  return blocking_call([&] { return got_of(it_->next(w)); });
}

Got Cursor::try_next() {
  auto f = it_->try_next();
  return f ? got_of(*f) : Got{};
}

void Cursor::reset() { it_->reset(); }
void Cursor::cancel() { cancel_.store(true); }

// ---- Lease ----

Lease::Lease(std::unique_ptr<nws::Lease> l) : l_(std::move(l)), pid_(static_cast<long>(::getpid())) {}

Lease::~Lease() {
  // nws::Lease releases an unsettled lease; a forked child's copy is
  // leaked instead (see facade.hpp).
  if (static_cast<long>(::getpid()) != pid_) static_cast<void>(l_.release());
}

Got Lease::value() const { return got_of(l_->fetched()); }
unsigned long long Lease::id() const { return l_->id(); }
std::string Lease::variable() const { return l_->variable(); }
bool Lease::settled() const { return l_->settled(); }
void Lease::ack() { l_->ack(); }

void Lease::ack_store(const char* var, unsigned long long descriptor, const std::string& bytes) {
  l_->ack_store(name_arg(var, NameOf::variable), descriptor, bytes);
}

void Lease::release() { l_->release(); }
void Lease::renew(double duration) { l_->renew(lease_duration(true, duration)); }

// ---- LocalServer ----

LocalServer::LocalServer(const char* bind, double port) {
  nws::LocalServerOptions o;
  if (bind) o.bind = bind;
  o.port = nws::args::port(port, nws::args::PortUse::listen);
  s_ = std::make_unique<nws::LocalServer>(o);
}

LocalServer::~LocalServer() = default;
std::string LocalServer::host() const { return s_->host(); }
int LocalServer::port() const { return s_->port(); }
void LocalServer::stop() { s_->stop(); }
bool LocalServer::running() const { return s_->running(); }

// ---- tables ----

std::string version() { return std::string(nws::version()); }
void check_workspace_name(const char* name) { name_arg(name, NameOf::workspace); }
std::string errc_name(int code) { return std::string(nws::errc_name(static_cast<nws::Errc>(code))); }
std::string language_name(int id) { return nws::language_name(static_cast<std::uint8_t>(id)); }

std::vector<ErrorRow> error_kinds() {
  std::vector<ErrorRow> out;
  for (const nws::ErrorKind& k : nws::error_kinds())
    out.push_back({std::string(k.id), k.code, std::string(k.parent), std::string(k.kind), std::string(k.name)});
  return out;
}

std::string unreadable_value_message(const char* ws, const char* var, unsigned long long descriptor, int language,
                                     const char* why) {
  return nws::unreadable_value_message(ws ? ws : "", var ? var : "", descriptor, static_cast<nws::Language>(language),
                                       why ? why : "");
}

}  // namespace nws_swig
