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
// Informational, advertised with the server's --max-value-size in decimal.
inline constexpr std::string_view kNwsMaxValueSize = "NwsMaxValueSize";

// Sent instead of any handshake answer when the server cannot take the
// connection (too many connections), followed by a dict whose nwsReason
// says why; then the server closes (docs/protocol-extensions.md).
inline constexpr std::string_view kRefused = "E000";

// What a connection agreed to.
struct Negotiated {
  bool new_style = false;
  bool cookie = true;          // long replies carry variable id and index
  bool metadata_in = false;    // requests are preceded by a dict
  bool metadata_out = false;   // replies are preceded by a dict
  bool kill_server_on_close = false;
  bool cancel = false;         // NwsCancel extension
  bool lease = false;          // NwsLease extension
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
