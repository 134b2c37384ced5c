// Errors of the NWS client: nws::Error with an nws::Errc code from the one
// error table (errors.def), which every binding's exception classes are
// generated from.
#pragma once

#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nws {

enum class Errc {
#define NWS_ERROR(id, code, parent, Kind, name, description) id = code,
#include "nws/errors.def"
};

// The stable lower-case name of a code ("no such workspace", ...).
std::string_view errc_name(Errc code) noexcept;

// One row of the error table, for bindings' tests and tools that check
// their classes against it.
struct ErrorKind {
  std::string_view id;           // "no_such_workspace"
  int code;                      // the Errc value; -1 for a group
  std::string_view parent;       // the parent's id; "none" for the root
  std::string_view kind;         // "NoSuchWorkspace"
  std::string_view name;         // "no such workspace"
  std::string_view description;
};
// Every row, groups included, in the table's order (parents before children).
std::span<const ErrorKind> error_kinds() noexcept;

struct Fetched;

class Error : public std::runtime_error {
 public:
  Error(Errc code, std::string message, int status = -1, std::string reason = {})
      : std::runtime_error(std::move(message)), code_(code), status_(status), reason_(std::move(reason)) {}

  Errc code() const noexcept { return code_; }
  // The server's status code (PROTOCOL.md §12), or -1 if the error is local.
  int status() const noexcept { return status_; }
  // The server's nwsReason text, when it sent one.
  const std::string& reason() const noexcept { return reason_; }

  // Errc::cancelled only: the value that had already arrived when the call
  // was interrupted (the server sent it before it saw the withdrawal), or
  // null.  Such a value is no longer on the server: a binding must hand it
  // to the program together with the interrupt, so neither is lost.
  const Fetched* arrived() const noexcept { return arrived_.get(); }
  void set_arrived(std::shared_ptr<const Fetched> f) { arrived_ = std::move(f); }

 private:
  Errc code_;
  int status_;
  std::string reason_;
  std::shared_ptr<const Fetched> arrived_;
};

}  // namespace nws
