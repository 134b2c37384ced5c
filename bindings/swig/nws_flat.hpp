// A small flat facade over the C++ client, shaped for SWIG.
//
// The full client.hpp uses std::function, std::optional, chrono and nested
// handle types that SWIG wraps poorly; the bindings only need bytes in and
// out (std::string), descriptors as integers, timeouts as seconds and a
// per-handle cancel flag.  Errors stay nws::Error; each language's %exception
// (nws.i) turns them into that language's exception carrying code + message.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nws { class Workspace; class Iterator; }

namespace nws_flat {

// A retrieved value.  `found` is false when a *_try call found nothing.
struct Got {
  bool found = false;
  unsigned long long descriptor = 0;
  std::string bytes;
};

// One row of `list vars`.
struct VarRow {
  std::string name;
  long long values = 0;
  long long fetchers = 0;
  long long finders = 0;
  std::string mode;
};

// Set from a C signal handler (Perl's SIGINT guard): every blocking call on
// every handle polls it.  Languages that cancel per call use Space::cancel().
extern std::atomic<bool> g_interrupt;

class Cursor;

class Space {
 public:
  // Connects to host:port and opens (use_only: uses) the workspace `name`.
  Space(const std::string& name, const std::string& host, int port, bool use_only, bool persistent);
  ~Space();
  Space(const Space&) = delete;
  Space& operator=(const Space&) = delete;

  std::string name() const;
  void store(const std::string& var, unsigned long long descriptor, const std::string& bytes);
  // timeout < 0: wait for ever.  Raises Errc::timeout / Errc::cancelled.
  Got fetch(const std::string& var, double timeout);
  Got find(const std::string& var, double timeout);
  Got fetch_try(const std::string& var);
  Got find_try(const std::string& var);
  void declare(const std::string& var, const std::string& mode);
  void delete_var(const std::string& var);
  std::vector<VarRow> list_vars();
  std::string list_vars_text();
  Cursor* ifetch(const std::string& var);
  Cursor* ifind(const std::string& var);
  void close();
  bool closed() const;

  // Cancels the blocking call in progress (from another thread, or an
  // unblocking function); cleared when the next blocking call starts.
  void cancel();
  // True when the last blocking call stopped because of a cancel request.
  bool was_cancelled() const;

  // For Cursor: the wait of a blocking call.
  struct WaitSpec;

 private:
  friend class Cursor;
  std::unique_ptr<nws::Workspace> ws_;
  std::atomic<bool> cancel_{false};
  bool was_cancelled_ = false;
  Got blocking(bool consume, const std::string& var, double timeout);
};

class Cursor {
 public:
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  // Blocking step (timeout < 0: for ever).
  Got next_value(double timeout);
  // Non-blocking step: found = false at the end.
  Got try_next();
  void reset();
  void cancel();

 private:
  friend class Space;
  explicit Cursor(std::unique_ptr<nws::Iterator> it);
  // The iterator holds its own handle on the connection: a Cursor outlives
  // its Space safely (after the Space closes, steps raise Errc::closed).
  std::unique_ptr<nws::Iterator> it_;
  std::atomic<bool> cancel_{false};
};

// Stable error names and class suffixes for the language layers.
std::string errc_name(int code);
std::string language_name(int id);

}  // namespace nws_flat
