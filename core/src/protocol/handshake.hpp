// The server side of the connection handshake (PROTOCOL.md §3): old-style
// greetings and new-style option negotiation.  Pure: bytes in, bytes out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/dict.hpp"

namespace nws::proto {

// Option keys.  NwsCancel is our extension: a client that requests it with
// value 1 may send `cancel` while a blocking request is outstanding (see
// docs/protocol-extensions.md); original clients never request it.
inline constexpr std::string_view kMetadataToServer = "MetadataToServer";
inline constexpr std::string_view kMetadataFromServer = "MetadataFromServer";
inline constexpr std::string_view kKillServerOnClose = "KillServerOnClose";
inline constexpr std::string_view kNwsWebPort = "NwsWebPort";
inline constexpr std::string_view kNwsCancel = "NwsCancel";
// NwsLease: the `lease ...` verbs (leased fetch) may be used.
inline constexpr std::string_view kNwsLease = "NwsLease";
// SSL (the original's name): the connection switches to TLS right after
// A000 (PROTOCOL.md §3.4).  Advertised only by a server with a certificate,
// which then requires it; any requested value but "" and "0" turns it on
// (DESIGN.md OQ2: the original Python client sends "").
inline constexpr std::string_view kSsl = "SSL";
// NwsAuth: the client will authenticate (the `auth` verb) before anything
// else.  Advertised, with the mechanisms offered ("SCRAM-SHA-256 token"),
// only by a server that requires authentication; requested with "1".
inline constexpr std::string_view kNwsAuth = "NwsAuth";
// Informational, advertised with the server's --max-value-size in decimal.
inline constexpr std::string_view kNwsMaxValueSize = "NwsMaxValueSize";

// Sent instead of any handshake answer when the server cannot take the
// connection (too many connections), followed by a dict whose nwsReason
// says why; then the server closes (docs/protocol-extensions.md).
inline constexpr std::string_view kRefused = "E000";
// The server's first bytes over TLS, once it has accepted the client's
// TLS handshake (and certificate): the client knows at once that it is in.
inline constexpr std::string_view kTlsReady = "T000";

// What a connection agreed to.
struct Negotiated {
  bool new_style = false;
  bool cookie = true;          // long replies carry variable id and index
  bool metadata_in = false;    // requests are preceded by a dict
  bool metadata_out = false;   // replies are preceded by a dict
  bool kill_server_on_close = false;
  bool cancel = false;         // NwsCancel extension
  bool lease = false;          // NwsLease extension
  bool tls = false;            // SSL: TLS starts after A000
  bool auth = false;           // NwsAuth: the client will authenticate
  std::string greeting;
};

class ServerHandshake {
 public:
  enum class State { reading, done, failed };

  explicit ServerHandshake(Dict advertised) : advertised_(std::move(advertised)) {}

  // Consumes handshake bytes, appending what must be sent back to `out`.
  // Stops at the end of the handshake; returns how many bytes were used.
  std::size_t feed(std::string_view data, std::string& out);

  State state() const { return state_; }
  const Negotiated& result() const { return result_; }
  const std::string& error() const { return error_; }

 private:
  enum class Step { greeting, request_tag, request_dict };
  bool validate(const Dict& requested, std::string& why) const;

  Dict advertised_;
  State state_ = State::reading;
  Step step_ = Step::greeting;
  std::string field_;
  DictParser dict_;
  Negotiated result_;
  std::string error_;
};

}  // namespace nws::proto
