// What a server is allowed to take: every limit, its default, in one place
// (docs/limits.md is the page users read; keep the two together).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/journal.hpp"
#include "server/durable/data_log.hpp"

namespace nws::server {

// $TMPDIR, else /tmp.
std::string default_spool_parent();
// Half the machine's physical memory: the default --max-memory.
std::uint64_t default_max_memory();
// Nine tenths of the free space under `dir` now: the default --max-spool.
std::uint64_t default_max_spool(const std::string& dir);
// Half the descriptors this process may open, less a reserve: each
// connection may hold a spool file open as well as its socket.
std::size_t default_max_connections();

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8765;
  std::string spool_parent = default_spool_parent();
  std::uint64_t spool_threshold = 16u << 20;   // values this large go to disk; never below 64 bytes
  std::uint64_t max_value_size = 8ull << 30;   // larger stores are refused as soon as their length is read

  // Quotas for the values held: none = the default (above), 0 = no limit.
  // Past either, a store is refused with an error reply; fetches go on.
  std::optional<std::uint64_t> max_memory;
  std::optional<std::uint64_t> max_spool;

  // Connections past this many are refused at once with a reason
  // (none = default_max_connections()).
  std::optional<std::size_t> max_connections;
  // A connection must complete its handshake in this long after it opens.
  std::chrono::milliseconds handshake_timeout{10'000};
  // A request must arrive whole within this long of its first byte, plus one
  // second for each MiB its length fields announce (large values take time).
  std::chrono::milliseconds request_timeout{30'000};
  // A connection with no request in flight and none blocked is closed after
  // this long; 0 keeps idle connections for ever (the original's behaviour).
  std::chrono::milliseconds idle_timeout{0};

  // A client that stops reading its replies has its requests set aside once
  // this much output waits for it (one reply may take it past).
  std::size_t max_pending_output = 8u << 20;
  // Names, verbs and fields are at most this long; values are not bounded
  // by it (PROTOCOL.md §5.3).
  std::uint64_t max_field_size = 64 * 1024;
  // A refused value longer than this is not read and dropped: the
  // connection closes after the error reply.
  std::uint64_t discard_limit = 64u << 20;
  // `list wss` / `list vars` replies longer than this are refused with an
  // error asking for fewer.
  std::size_t max_listing_bytes = 8u << 20;

  // Whether `deadman` and KillServerOnClose may stop the server (the
  // original let any client); an embedded server allows it.
  bool allow_client_shutdown = false;
  // Durable workspaces (docs/durability.md): with a data directory, the
  // workspaces `durability` names survive a restart; `fsync` says when the
  // data log reaches the disk.
  std::string data_dir;
  durable::FsyncPolicy fsync = durable::FsyncPolicy::everysec;
  engine::Durability durability = engine::Durability::persistent;

  // Security (docs/security.md).  With a certificate and key, every
  // connection (NWS and web port) must use TLS; with `tls_ca` too, clients
  // must present a certificate it signed.  With a users file or a token,
  // every NWS connection must authenticate; the users file's rules say
  // what each user may do.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  std::string users_file;
  std::string token;  // read from --token-file

  // SIGINT and SIGTERM stop the server (nws-server); an embedded server
  // leaves the host's signals alone.
  bool handle_signals = true;
};

}  // namespace nws::server
