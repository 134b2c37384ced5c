// The client's side of option negotiation (PROTOCOL.md §3.2): which options
// to request from what the server advertised.  Pure, so it is unit-tested
// without a server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nws/client.hpp"
#include "protocol/dict.hpp"

namespace nws::detail {

// What the connection will use once the server accepts `request`.  The
// framing flags follow what we *request*, never the server's reply, as
// PROTOCOL.md §3.2 requires of a client.
struct OptionChoice {
  proto::Dict request;
  bool metadata_in = false;   // requests start with a metadata dict
  bool metadata_out = false;  // replies start with a metadata dict
  bool cancel = false;        // NwsCancel: blocked requests can be withdrawn
  bool lease = false;         // NwsLease: leased fetch
  bool tls = false;           // SSL: TLS starts after A000
  bool auth = false;          // NwsAuth: authenticate before anything else
  std::string auth_mechanisms;  // what the server offers ("SCRAM-SHA-256 token")
  std::optional<std::uint16_t> web_port;
  std::optional<std::uint64_t> max_value_size;  // NwsMaxValueSize, if advertised
};

// Throws nws::Error(Errc::unsupported) when the options ask for something
// the server does not offer (KillServerOnClose), Errc::tls when one side
// wants TLS and the other does not, Errc::authentication when the server
// requires credentials and none were given.  `where` names the server.
OptionChoice choose_options(const proto::Dict& advertised, const ConnectOptions& options);

// Reply format of a connection whose server answered the greeting with
// `answer` instead of `P000` (an old-style server): `2222` means no cookies.
inline bool old_style_cookie(std::string_view answer) { return answer != "2222"; }

}  // namespace nws::detail
