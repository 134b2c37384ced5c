// The blocking C++ client: the API every language binding wraps.
//
// A Server is one connection to an NWS server; Workspaces are handles on
// workspaces reached through that connection (the original clients' split).
// Both are cheap, copyable handles on shared state.
//
// Threads: a connection carries one request at a time.  Calls from several
// threads on handles sharing one connection are serialised by a mutex, so
// they are safe, but a thread blocked in fetch/find holds the connection
// until it returns: another thread's store on the *same* connection waits
// for it.  Give each thread that blocks its own Server.
//
// Blocking calls take a Wait (nws::args::wait builds one from a timeout in
// seconds): an optional deadline and an optional cancel check polled every
// slice.  On servers that offer the NwsCancel option (ours) a cancelled or
// timed-out call withdraws its request and the connection stays usable; if
// the value arrived before the withdrawal reached the server, it is not
// lost (see Wait).  Against a server without NwsCancel (the original),
// cancelling closes the connection (the server then withdraws the request
// itself) and later calls raise Errc::connection_dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nws/args.hpp"
#include "nws/error.hpp"
#include "nws/mode.hpp"
#include "nws/value.hpp"
#include "nws/version.hpp"

namespace nws {

namespace detail { class Connection; }

using Metadata = std::map<std::string, std::string>;
using Clock = std::chrono::steady_clock;

// The server a program talks to when it names none: $NWS_HOST and $NWS_PORT
// when set, else localhost:8765 (the original's default port).
inline constexpr std::uint16_t kDefaultPort = 8765;

// TLS for a connection (docs/security.md): after the handshake the
// connection switches to TLS (the SSL option, PROTOCOL.md §3.4).  The
// server's certificate is always verified: it must chain to the system's
// CAs (or `ca_file`'s) and carry the host's name (or `server_name`).
struct TlsOptions {
  bool enabled = false;     // also on when ca_file or cert_file is given
  std::string ca_file;      // PEM file of CAs to trust instead of the system's
  std::string cert_file;    // a client certificate (PEM), for servers that require one
  std::string key_file;     // its private key (PEM); empty: cert_file holds it too
  std::string server_name;  // the name the certificate must carry; empty: the host
};

struct ConnectOptions {
  std::string host;                   // empty: $NWS_HOST, else "localhost"
  std::optional<std::uint16_t> port;  // none: $NWS_PORT, else kDefaultPort
  std::chrono::milliseconds connect_timeout{10000};
  // Ask for the metadata options when the server offers them: requests can
  // then carry metadata and error replies carry the server's reason text.
  bool metadata = true;
  // KillServerOnClose: the server shuts down when this connection closes.
  bool kill_server_on_close = false;
  // Text the server shows as the owner label of workspaces this connection
  // opens; the original clients send their process id.  Empty: our pid.
  std::string owner_label;
  // TLS, and credentials for a server that requires them: a user and
  // password (SCRAM-SHA-256: the password never crosses the network) or a
  // shared token.  Each one not given here comes from the environment:
  // NWS_TLS=1, NWS_TLS_CA, NWS_TLS_CERT, NWS_TLS_KEY, NWS_USER,
  // NWS_PASSWORD, NWS_TOKEN (so a sleigh's workers inherit them).
  TlsOptions tls;
  std::string user;
  std::string password;
  std::string token;
};

// How long a blocking call waits, and how it learns that it should stop.
// Build one with nws::args::wait() from a timeout in seconds.
//
// `should_cancel` is polled every `slice` on the calling thread while no
// reply has begun to arrive.  Returning true (or throwing, which counts as
// true) withdraws the request: the call then raises Errc::cancelled (or the
// check's own exception), unless the server had already sent the value.
// Then the value is not lost: the call raises Errc::cancelled carrying it
// (Error::arrived()), so the binding hands the program both the value and
// the interrupt.  A deadline that passes raises Errc::timeout; a value that
// won that race is simply returned.
struct Wait {
  static constexpr std::chrono::milliseconds kSlice{50};

  std::optional<Clock::time_point> deadline;  // none: wait for ever
  std::function<bool()> should_cancel;        // polled every slice; true cancels
  std::chrono::milliseconds slice = kSlice;

  static Wait forever() { return {}; }
  static Wait for_duration(std::chrono::nanoseconds d) { Wait w; w.deadline = Clock::now() + d; return w; }
};

// One row of `list vars`.
struct VarInfo {
  std::string name;
  std::int64_t values = 0;
  std::int64_t fetchers = 0;
  std::int64_t finders = 0;
  std::string mode;
};

// A listing as the server wrote it, and parsed into rows: one round trip
// gives both (the original API returns either).
struct VarListing {
  std::string text;
  std::vector<VarInfo> rows;
};

// One row of `list wss`.
struct WsInfo {
  bool mine = false;  // opened (owned set) by this connection
  std::string name;
  std::string owner;
  bool persistent = false;
  std::int64_t variables = 0;
  std::vector<std::string> variable_names;
};

struct WsListing {
  std::string text;
  std::vector<WsInfo> rows;
};

// A retrieved value with what iterators and metadata-aware callers need.
struct Fetched {
  Value value;
  std::string var_id;
  std::int64_t index = 0;
  Metadata metadata;
};

// Receives value bytes as they arrive (file helpers stream with it).
using ByteSink = std::function<void(std::string_view)>;
// Supplies value bytes: fills up to `n` bytes at `buf`, returns how many
// (0 = the source ran dry; the client pads with zero bytes, as the original).
using ByteSource = std::function<std::size_t(char* buf, std::size_t n)>;

enum class Retrieve { fetch, fetch_try, find, find_try };

class Workspace;
class Iterator;
class Lease;

class Server {
 public:
  explicit Server(const ConnectOptions& options = {});
  Server(std::string host, std::uint16_t port);

  // Opens (and by default creates) a workspace, claiming ownership if it is
  // unowned.  Non-persistent owned workspaces vanish when this connection closes.
  Workspace open_ws(const std::string& name, bool persistent = false, bool create = true);
  // Uses a workspace without claiming ownership.
  Workspace use_ws(const std::string& name, bool create = true);
  // Creates a uniquely named workspace; returns its name (already usable).
  std::string mktemp_ws(const std::string& name_template = "__ws__%d");
  void delete_ws(const std::string& name);
  // Every workspace, or only `name` (text and rows from one round trip).
  WsListing list_wss(const std::string& name = {});
  // The variables of the workspace `name`, which this connection must have
  // opened or used (the server answers Errc::not_opened otherwise).
  VarListing list_vars(const std::string& ws);

  // Idempotent.  Any call after close raises Errc::closed.
  void close();
  bool closed() const;

  // Where the connection went (the defaults resolved).
  const std::string& host() const;
  std::uint16_t port() const;
  bool supports_cancel() const;     // the server offered NwsCancel
  bool supports_lease() const;      // the server offered NwsLease (leased fetch)
  bool cookie_format() const;       // iterators need it
  std::optional<std::uint16_t> web_port() const;  // NwsWebPort, if advertised
  const std::string& owner_label() const;

 private:
  friend class Workspace;
  friend class Iterator;
  explicit Server(std::shared_ptr<detail::Connection> conn) : conn_(std::move(conn)) {}
  std::shared_ptr<detail::Connection> conn_;
};

class Workspace {
 public:
  // Connects and opens (or uses) `name`, like the original NetWorkSpace().
  Workspace(const std::string& name, const ConnectOptions& options = {}, bool use_use = false,
            bool create = true, bool persistent = false);

  const std::string& name() const { return name_; }
  Server server() const { return Server(conn_); }

  void store(const std::string& var, const Value& value, const Metadata* metadata = nullptr);
  void store(const std::string& var, std::uint64_t descriptor, std::string_view bytes,
             const Metadata* metadata = nullptr);
  // Streams `length` bytes from `source` as one value (storeFile).
  void store_stream(const std::string& var, std::uint64_t descriptor, std::uint64_t length,
                    const ByteSource& source, const Metadata* metadata = nullptr);

  Value fetch(const std::string& var, const Wait& wait = {});
  Value find(const std::string& var, const Wait& wait = {});
  std::optional<Value> fetch_try(const std::string& var);
  std::optional<Value> find_try(const std::string& var);

  // The general form: nothing from the Try verbs when no value is there.
  // With a sink, the value bytes go to it and Fetched::value.bytes stays empty.
  std::optional<Fetched> retrieve(Retrieve how, const std::string& var, const Wait& wait = {},
                                  const ByteSink* sink = nullptr);

  // Raises Errc::declaration_failed if the variable has another mode, and
  // Errc::invalid_argument for a mode that cannot be declared (unknown).
  void declare(const std::string& var, Mode mode);
  void delete_var(const std::string& var);
  VarListing list_vars();

  Iterator ifetch(const std::string& var);
  Iterator ifind(const std::string& var);

  // Leased fetch (reliable consume): like fetch, but the value stays the
  // server's until the Lease is acknowledged.  If this connection drops,
  // or `duration` passes first, the value goes back to the head of its
  // variable and the next fetcher gets it.  Errc::unsupported on a server
  // without leases (the original).  A blocking lease interrupted after its
  // value arrived gives the value back at once.
  Lease lease(const std::string& var, std::chrono::milliseconds duration, const Wait& wait = {});
  std::optional<Lease> lease_try(const std::string& var, std::chrono::milliseconds duration);

  // Closes the underlying connection (shared with other handles on it).
  void close();
  bool closed() const;

 private:
  friend class Server;
  friend class Iterator;
  friend class Lease;
  Workspace(std::shared_ptr<detail::Connection> conn, std::string name)
      : conn_(std::move(conn)), name_(std::move(name)) {}
  std::shared_ptr<detail::Connection> conn_;
  std::string name_;
};

// A value held under a lease (Workspace::lease).  Settle it once: ack()
// when done with it, ack_store() to store a result and acknowledge in one
// step (both or neither happen, so a consumer that dies in between never
// duplicates its result), or release() to give the value back now.  A
// Lease destroyed unsettled releases its value (errors ignored).  Settling
// a lease that expired raises Errc::lease_lost, saying what became of it.
class Lease {
 public:
  // A duration for callers that name none: long enough for most tasks;
  // renew() for longer ones.
  static constexpr std::chrono::milliseconds kDefaultDuration{std::chrono::minutes(5)};

  Lease(Lease&& o) noexcept;
  Lease& operator=(Lease&& o) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  const Fetched& fetched() const { return fetched_; }
  const Value& value() const { return fetched_.value; }
  Value& value() { return fetched_.value; }
  std::uint64_t id() const { return id_; }
  const std::string& variable() const { return var_; }
  bool settled() const { return settled_; }

  void ack();
  void ack_store(const std::string& var, const Value& value, const Metadata* metadata = nullptr);
  void ack_store(const std::string& var, std::uint64_t descriptor, std::string_view bytes,
                 const Metadata* metadata = nullptr);
  void release();
  // The lease now ends `duration` from now, unless settled before.
  void renew(std::chrono::milliseconds duration);

 private:
  friend class Workspace;
  Lease(Workspace ws, std::string var, Fetched fetched, std::uint64_t id)
      : ws_(std::move(ws)), var_(std::move(var)), fetched_(std::move(fetched)), id_(id) {}
  void settle(int verb, std::string_view detail);
  Workspace ws_;
  std::string var_;
  Fetched fetched_;
  std::uint64_t id_ = 0;
  bool settled_ = false;
};

// Client-side iterator state over ifetch/ifind (PROTOCOL.md §11).
//
// The end is not sticky: a step that finds no further value returns
// nothing (or, blocking, raises) and keeps the position, and the next step
// goes on from there, so values stored since are seen.  A language whose
// iterator protocol wants a sticky end (Python's StopIteration) keeps that
// flag itself.  A blocking step interrupted after its value arrived
// (Errc::cancelled with Error::arrived()) has still advanced the position.
class Iterator {
 public:
  // Blocking step: waits for the next value (ifetch / ifind).
  Fetched next(const Wait& wait = {});
  // Non-blocking step: nothing at the end (ifetchTry / ifindTry).
  std::optional<Fetched> try_next(const ByteSink* sink = nullptr);
  // Forget the position: the next step starts from the oldest value.
  void reset() { ended_ = false; var_id_.clear(); index_ = 0; }
  // The last step found no further value.
  bool ended() const { return ended_; }
  bool consuming() const { return consuming_; }
  const std::string& variable() const { return var_; }

 private:
  friend class Workspace;
  Iterator(Workspace ws, std::string var, bool consuming)
      : ws_(std::move(ws)), var_(std::move(var)), consuming_(consuming) {}
  std::optional<Fetched> step(bool block, const Wait& wait, const ByteSink* sink);
  Workspace ws_;
  std::string var_;
  bool consuming_;
  bool ended_ = false;
  std::string var_id_;
  std::int64_t index_ = 0;
};

}  // namespace nws
