// What the engine tells a durable store (the server's data log) about the
// workspaces it keeps: every change, in the order it happens, and where one
// request's changes end.  Replaying the changes on an empty engine (through
// Engine's restore_* calls) rebuilds those workspaces exactly; the engine
// itself does no I/O.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/value_queue.hpp"
#include "nws/mode.hpp"

namespace nws::engine {

struct Workspace;
class Variable;

class Journal {
 public:
  virtual ~Journal() = default;
  // The workspace exists (made, or made durable): its name and owner.  Its
  // variables and values follow as declare/store records.
  virtual void workspace(const Workspace& ws) = 0;
  virtual void delete_workspace(std::string_view ws) = 0;
  virtual void declare(std::string_view ws, std::string_view var, Mode mode) = 0;
  virtual void delete_variable(std::string_view ws, std::string_view var) = 0;
  // A value stored by the variable's mode (fifo appends, single replaces...).
  virtual void store(std::string_view ws, std::string_view var, const ValueView& v) = 0;
  // A fetch took the value the mode gives out next; `lease` is non-zero
  // when it is held under that lease rather than gone.
  virtual void taken(std::string_view ws, std::string_view var, std::uint64_t lease) = 0;
  // A value held under `lease`, written by a snapshot (it was taken before).
  virtual void leased(std::string_view ws, std::string_view var, std::uint64_t lease, const ValueView& v) = 0;
  // The lease was acknowledged: its value is gone for good.
  virtual void acknowledged(std::uint64_t lease) = 0;
  // The lease ended unacknowledged: its value went back to its variable.
  virtual void given_back(std::uint64_t lease) = 0;
  // The end of one request's changes: they are one record, kept or lost
  // together.
  virtual void commit() = 0;
};

// Which workspaces the journal keeps.
enum class Durability : std::uint8_t {
  persistent,  // those opened with persistent = yes (and __default)
  all,         // every workspace
};

}  // namespace nws::engine
