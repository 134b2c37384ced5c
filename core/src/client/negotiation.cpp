#include "client/negotiation.hpp"

#include "protocol/fields.hpp"
#include "protocol/handshake.hpp"
#include "protocol/status.hpp"

namespace nws::detail {
namespace {
// An option we want switched on may be requested only if it is advertised,
// and only with value "1" if the server accepts any value (advertised '')
// or insists on exactly "1".
bool can_request_on(const proto::Dict& advertised, std::string_view key) {
  auto offered = advertised.get(key);
  return offered && (offered->empty() || *offered == "1");
}
}  // namespace

OptionChoice choose_options(const proto::Dict& advertised, const ConnectOptions& options) {
  OptionChoice c;
  auto want = [&](std::string_view key) { c.request.set(std::string(key), "1"); };

  if (options.metadata) {
    if (can_request_on(advertised, proto::kMetadataToServer)) {
      want(proto::kMetadataToServer);
      c.metadata_in = true;
    }
    if (can_request_on(advertised, proto::kMetadataFromServer)) {
      want(proto::kMetadataFromServer);
      c.metadata_out = true;
    }
  }
  const std::string where = options.host + ":" + std::to_string(options.port.value_or(0));
  const bool server_tls = advertised.get(proto::kSsl).has_value();
  if (options.tls.enabled && !server_tls)
    throw Error(Errc::tls, "the NWS server at " + where +
                               " does not offer TLS (it was started without --tls-cert): connect without TLS");
  if (!options.tls.enabled && server_tls)
    throw Error(Errc::tls, "the NWS server at " + where +
                               " requires TLS: connect with TLS (and with the CA that signed its certificate, if this "
                               "system does not trust it already)");
  if (server_tls) {
    want(proto::kSsl);
    c.tls = true;
  }
  if (auto mechanisms = advertised.get(proto::kNwsAuth)) {
    if (options.token.empty() && (options.user.empty() || options.password.empty()))
      throw Error(Errc::authentication, "the NWS server at " + where + " refused the connection: " +
                                            std::string(proto::kAuthFailed));
    want(proto::kNwsAuth);
    c.auth = true;
    c.auth_mechanisms = std::string(*mechanisms);
  }
  if (options.kill_server_on_close) {
    if (!can_request_on(advertised, proto::kKillServerOnClose))
      throw Error(Errc::unsupported, "the NWS server at " + options.host + ":" + std::to_string(options.port.value_or(0)) +
                                         " does not offer KillServerOnClose");
    want(proto::kKillServerOnClose);
  }
  // Always take cancellation when offered: it is what keeps a connection
  // usable after a cancelled or timed-out blocking call.
  if (can_request_on(advertised, proto::kNwsCancel)) {
    want(proto::kNwsCancel);
    c.cancel = true;
  }
  if (can_request_on(advertised, proto::kNwsLease)) {
    want(proto::kNwsLease);
    c.lease = true;
  }
  if (auto limit = advertised.get(proto::kNwsMaxValueSize)) c.max_value_size = proto::parse_uint(*limit);
  if (auto web = advertised.get(proto::kNwsWebPort)) {
    auto p = proto::parse_int(*web);
    if (p && *p > 0 && *p <= 65535) c.web_port = static_cast<std::uint16_t>(*p);
  }
  return c;
}

}  // namespace nws::detail
