// The C++ API as SWIG wraps it for Perl and Ruby.
//
// client.hpp uses std::function, std::optional, chrono and value handles
// that SWIG wraps poorly; this facade gives the same server / workspace /
// iterator split with plain types: names as `const char*` (a binding's
// undef or nil arrives as NULL, which the core's argument rules refuse),
// bytes as std::string, descriptors as integers, timeouts as seconds
// (+inf: wait for ever).  Every rule stays in the core: this file only
// converts.  Errors stay nws::Error; each language's %exception (nws.i)
// turns them into that language's exception of the same kind.  SWIG's
// output is not the public API: NWS.pm and nws.rb are.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nws {
struct ConnectOptions;
class Server;
class Workspace;
class Iterator;
class Lease;
class LocalServer;
}  // namespace nws

namespace nws_swig {

// A retrieved value.  `found` is false when a Try form found nothing.
// `interrupted`: the call was interrupted (Ctrl-C, a cancel) after its value
// had arrived; the value is here and the binding raises the interrupt
// carrying it, so neither is lost.
struct Got {
  bool found = false;
  bool interrupted = false;
  unsigned long long descriptor = 0;
  std::string bytes;          // empty for the file forms
  unsigned long long size = 0;  // the value's length in bytes
};

struct VarRow {
  std::string name;
  long long values = 0;
  long long fetchers = 0;
  long long finders = 0;
  std::string mode;
};

struct WsRow {
  bool mine = false;
  std::string name;
  std::string owner;
  bool persistent = false;
  long long variables = 0;
  std::vector<std::string> variable_names;
};

struct VarListing {
  std::string text;
  std::vector<VarRow> rows;
};

struct WsListing {
  std::string text;
  std::vector<WsRow> rows;
};

// One row of the core's error table (nws::error_kinds()).
struct ErrorRow {
  std::string id;
  int code = -1;  // -1: a group
  std::string parent;
  std::string kind;
  std::string name;
};

// Set from a C signal handler (Perl's SIGINT guard, nws.i): every blocking
// call polls it.  Languages that cancel per call use cancel() instead.
extern std::atomic<bool> g_interrupt;

// TLS and credentials for a connection (nws::ConnectOptions::tls, user,
// password, token; docs/security.md).  What is not given (tls false, an
// empty string) the core takes from the environment: NWS_TLS=1,
// NWS_TLS_CA, NWS_TLS_CERT, NWS_TLS_KEY, NWS_USER, NWS_PASSWORD, NWS_TOKEN.
// tls_ca or tls_cert given also turns TLS on.
struct Security {
  bool tls = false;
  std::string tls_ca;           // PEM CAs to trust instead of the system's
  std::string tls_cert;         // a client certificate (PEM)
  std::string tls_key;          // its private key (empty: in tls_cert)
  std::string tls_server_name;  // the name the certificate must carry (empty: the host)
  std::string user;             // with password: SCRAM-SHA-256
  std::string password;
  std::string token;            // a shared token instead of user and password
};

#ifndef SWIG
// The security options onto a connection's (the sleigh's master uses it too).
void apply_security(const Security& security, nws::ConnectOptions& o);
#endif

class Workspace;
class Cursor;
class Lease;

class Server {
 public:
  // host NULL: the default ($NWS_HOST, else localhost); has_port false:
  // the default port ($NWS_PORT, else 8765); has_connect_timeout false: the
  // default connect timeout.  kill_server_on_close: the server stops when
  // this connection closes.  security NULL: none given (the environment's).
  Server(const char* host, bool has_port, double port, bool has_connect_timeout, double connect_timeout,
         bool kill_server_on_close, const Security* security);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Workspace* open_ws(const char* name, bool persistent, bool create);
  Workspace* use_ws(const char* name, bool create);
  std::string mktemp_ws(const char* name_template);  // NULL: the server's default template
  void delete_ws(const char* name);
  WsListing list_wss(const char* name);  // NULL: every workspace
  VarListing list_vars(const char* ws);
  void close();
  bool closed() const;
  std::string host() const;
  int port() const;

 private:
  friend class Workspace;
  explicit Server(std::unique_ptr<nws::Server> s);
  std::unique_ptr<nws::Server> s_;
};

class Workspace {
 public:
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  std::string name() const;
  // Another handle on this workspace's connection.
  Server* server() const;

  void store(const char* var, unsigned long long descriptor, const std::string& bytes);
  // timeout in seconds; +inf waits for ever.  Raises Errc::timeout /
  // Errc::cancelled (cancel(), or the SIGINT flag).
  Got fetch(const char* var, double timeout);
  Got find(const char* var, double timeout);
  Got fetch_try(const char* var);
  Got find_try(const char* var);
  void declare(const char* var, const char* mode);
  void delete_var(const char* var);
  VarListing list_vars();
  Cursor* ifetch(const char* var);
  Cursor* ifind(const char* var);

  // Files, by descriptor (the binding passes its handle's fileno, flushed).
  // store_file stores what is left of the file from its position (a pipe
  // or socket: until its end).  The retrieving forms write the value's bytes
  // to `fd`; how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.
  void store_file(const char* var, unsigned long long descriptor, int fd);
  Got retrieve_file(int how, const char* var, int fd, double timeout);

  // Leased fetch (nws::Workspace::lease).  The duration in seconds;
  // has_duration false: the core's default (nws::Lease::kDefaultDuration).
  // lease waits like fetch (timeout, cancel(), the SIGINT flag; interrupted
  // after its value arrived, the core gives the value back and raises
  // Errc::cancelled); lease_try returns NULL when the variable has no value.
  Lease* lease(const char* var, bool has_duration, double duration, double timeout);
  Lease* lease_try(const char* var, bool has_duration, double duration);

  void close();
  bool closed() const;
  // Cancels the blocking call in progress (from another thread, or an
  // unblocking function); cleared when the next blocking call starts.
  void cancel();

 private:
  friend class Server;
  explicit Workspace(std::unique_ptr<nws::Workspace> ws);
  Got blocking(bool consume, const char* var, double timeout);
  std::unique_ptr<nws::Workspace> ws_;
  std::atomic<bool> cancel_{false};
};

class Cursor {
 public:
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  // Blocking step (timeout as for fetch).
  Got next_value(double timeout);
  // Non-blocking step: found = false at the end, and the next step goes on
  // from the same place (values stored since are seen).
  Got try_next();
  // The next step starts from the oldest value again.
  void reset();
  void cancel();

 private:
  friend class Workspace;
  explicit Cursor(std::unique_ptr<nws::Iterator> it);
  // The iterator holds its own handle on the connection: a Cursor outlives
  // its Workspace safely (after the connection closes, steps raise Errc::closed).
  std::unique_ptr<nws::Iterator> it_;
  std::atomic<bool> cancel_{false};
};

// A value held under a lease (nws::Lease): the binding decodes value() as
// it decodes a fetched value and encodes ack_store's value as it encodes a
// stored one.  Settling a lease that is no longer held raises
// Errc::lease_lost; settling one twice, Errc::invalid_argument.  Destroyed
// unsettled, it releases its value (errors ignored), as nws::Lease does;
// but not in a child forked after the lease was made: the lease and its
// connection are the parent's (a release from the child would put the
// child's request into the parent's stream), so there it is let go of
// without a word.
class Lease {
 public:
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Got value() const;  // found = true
  unsigned long long id() const;
  std::string variable() const;
  bool settled() const;

  void ack();
  // Stores (descriptor, bytes) into `var` of the same workspace and
  // acknowledges, atomically.
  void ack_store(const char* var, unsigned long long descriptor, const std::string& bytes);
  void release();
  // The lease now ends `duration` seconds from now.
  void renew(double duration);

 private:
  friend class Workspace;
  explicit Lease(std::unique_ptr<nws::Lease> l);
  std::unique_ptr<nws::Lease> l_;
  long pid_;  // the process that made it
};

// A server in this process on a thread of its own (nws::LocalServer).
class LocalServer {
 public:
  // bind NULL: 127.0.0.1; port 0: a free one.
  LocalServer(const char* bind, double port);
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;
  std::string host() const;
  int port() const;
  void stop();
  bool running() const;

 private:
  std::unique_ptr<nws::LocalServer> s_;
};

std::string version();
// The core's rule for a workspace name (NULL is refused with
// Errc::invalid_argument), for a binding that checks it before connecting.
void check_workspace_name(const char* name);
std::string errc_name(int code);
std::string language_name(int id);
std::vector<ErrorRow> error_kinds();
// The message for a value this language cannot read (Errc::serialisation);
// `language` is the reader's id.
std::string unreadable_value_message(const char* ws, const char* var, unsigned long long descriptor, int language,
                                     const char* why);

}  // namespace nws_swig
