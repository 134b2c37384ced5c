#include "nws/error.hpp"

namespace nws {

// Bindings derive exception class names and messages from these, so they
// must never change once published.
std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::connection: return "connection";
    case Errc::connection_dropped: return "connection dropped";
    case Errc::no_such_workspace: return "no such workspace";
    case Errc::not_opened: return "not opened";
    case Errc::declaration_failed: return "declaration failed";
    case Errc::operation_failed: return "operation failed";
    case Errc::server_error: return "server error";
    case Errc::protocol: return "protocol";
    case Errc::serialisation: return "serialisation";
    case Errc::cancelled: return "cancelled";
    case Errc::timeout: return "timeout";
    case Errc::closed: return "closed";
    case Errc::unsupported: return "unsupported";
    case Errc::invalid_argument: return "invalid argument";
  }
  return "unknown error";
}

}  // namespace nws
