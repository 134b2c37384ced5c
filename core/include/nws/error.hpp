// The one error table every binding derives its exception classes from.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace nws {

enum class Errc {
  connection,          // could not connect, or the handshake was refused
  connection_dropped,  // the server closed the connection or a socket call failed
  no_such_workspace,   // status 100: the workspace does not exist (or was deleted)
  not_opened,          // status 2001: the workspace was never opened on this connection
  declaration_failed,  // declare of an incompatible or unknown mode
  operation_failed,    // any other non-zero status from the server
  server_error,        // status 2000: the server could not carry out the request
  protocol,            // the server sent bytes that do not follow the protocol
  serialisation,       // a value could not be encoded or decoded by the caller's language
  cancelled,           // a blocking call was cancelled by the caller
  timeout,             // a blocking call passed its deadline
  closed,              // a call on a closed Server or Workspace
  unsupported,         // the server or connection cannot do this (e.g. iterators without cookies)
  invalid_argument,    // the caller passed something that cannot be sent
};

// A stable, lower-case name per code ("no such workspace", ...).
std::string_view errc_name(Errc code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(Errc code, std::string message, int status = -1, std::string reason = {})
      : std::runtime_error(std::move(message)), code_(code), status_(status), reason_(std::move(reason)) {}

  Errc code() const noexcept { return code_; }
  // The server's status code (PROTOCOL.md §12), or -1 if the error is local.
  int status() const noexcept { return status_; }
  // The server's nwsReason text, when it sent one.
  const std::string& reason() const noexcept { return reason_; }

 private:
  Errc code_;
  int status_;
  std::string reason_;
};

}  // namespace nws
