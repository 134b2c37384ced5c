// The flat facade: thin forwarding onto nws::Workspace / nws::Iterator.
#include "nws_flat.hpp"

#include <chrono>
#include <cmath>

#include "nws/client.hpp"

namespace nws_flat {

std::atomic<bool> g_interrupt{false};

namespace {

nws::Wait make_wait(double timeout, std::atomic<bool>* flag) {
  nws::Wait w;
  if (std::isnan(timeout)) throw nws::Error(nws::Errc::invalid_argument, "timeout must be a number");
  if (timeout >= 0 && std::isfinite(timeout))
    w.deadline = nws::Clock::now() +
                 std::chrono::duration_cast<nws::Clock::duration>(std::chrono::duration<double>(timeout));
  w.slice = std::chrono::milliseconds(50);
  w.should_cancel = [flag] { return flag->load() || g_interrupt.load(); };
  return w;
}

Got got_of(const nws::Value& v) {
  Got g;
  g.found = true;
  g.descriptor = v.descriptor;
  g.bytes = v.bytes;
  return g;
}

}  // namespace

Space::Space(const std::string& name, const std::string& host, int port, bool use_only, bool persistent) {
  if (port <= 0 || port > 65535) throw nws::Error(nws::Errc::invalid_argument, "port must be 1..65535");
  nws::ConnectOptions opts;
  opts.host = host;
  opts.port = static_cast<std::uint16_t>(port);
  ws_ = std::make_unique<nws::Workspace>(name, opts, use_only, true, persistent);
}

Space::~Space() {
  try {
    if (ws_) ws_->close();
  } catch (...) {
  }
}

std::string Space::name() const { return ws_->name(); }

void Space::store(const std::string& var, unsigned long long descriptor, const std::string& bytes) {
  ws_->store(var, descriptor, bytes);
}

Got Space::blocking(bool consume, const std::string& var, double timeout) {
  cancel_.store(false);
  was_cancelled_ = false;
  try {
    nws::Wait w = make_wait(timeout, &cancel_);
    return got_of(consume ? ws_->fetch(var, w) : ws_->find(var, w));
  } catch (const nws::Error& e) {
    if (e.code() == nws::Errc::cancelled) was_cancelled_ = true;
    throw;
  }
}

Got Space::fetch(const std::string& var, double timeout) { return blocking(true, var, timeout); }
Got Space::find(const std::string& var, double timeout) { return blocking(false, var, timeout); }

Got Space::fetch_try(const std::string& var) {
  auto v = ws_->fetch_try(var);
  return v ? got_of(*v) : Got{};
}

Got Space::find_try(const std::string& var) {
  auto v = ws_->find_try(var);
  return v ? got_of(*v) : Got{};
}

void Space::declare(const std::string& var, const std::string& mode) { ws_->declare(var, std::string_view(mode)); }
void Space::delete_var(const std::string& var) { ws_->delete_var(var); }

std::vector<VarRow> Space::list_vars() {
  std::vector<VarRow> rows;
  for (const auto& v : ws_->list_vars()) rows.push_back({v.name, v.values, v.fetchers, v.finders, v.mode});
  return rows;
}

std::string Space::list_vars_text() { return ws_->list_vars_text(); }

// Creating an iterator sends nothing, so check here that the handle is open.
Cursor* Space::ifetch(const std::string& var) {
  if (ws_->closed()) throw nws::Error(nws::Errc::closed, "the workspace '" + ws_->name() + "' has been closed");
  return new Cursor(std::make_unique<nws::Iterator>(ws_->ifetch(var)));
}
Cursor* Space::ifind(const std::string& var) {
  if (ws_->closed()) throw nws::Error(nws::Errc::closed, "the workspace '" + ws_->name() + "' has been closed");
  return new Cursor(std::make_unique<nws::Iterator>(ws_->ifind(var)));
}

void Space::close() { ws_->close(); }
bool Space::closed() const { return ws_->closed(); }
void Space::cancel() { cancel_.store(true); }
bool Space::was_cancelled() const { return was_cancelled_; }

Cursor::Cursor(std::unique_ptr<nws::Iterator> it) : it_(std::move(it)) {}
Cursor::~Cursor() = default;

Got Cursor::next_value(double timeout) {
  cancel_.store(false);
  it_->restart();  // after the end, values stored later are still reached
  nws::Fetched f = it_->next(make_wait(timeout, &cancel_));
  return got_of(f.value);
}

Got Cursor::try_next() {
  it_->restart();
  auto f = it_->try_next();
  return f ? got_of(f->value) : Got{};
}

void Cursor::reset() { it_->reset(); }
void Cursor::cancel() { cancel_.store(true); }

std::string errc_name(int code) { return std::string(nws::errc_name(static_cast<nws::Errc>(code))); }
std::string language_name(int id) { return nws::language_name(static_cast<std::uint8_t>(id)); }

}  // namespace nws_flat
