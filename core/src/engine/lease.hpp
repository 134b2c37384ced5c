// A value handed out by a leased fetch: gone from its variable, kept here
// until the holder acknowledges it.  If the lease ends otherwise (it
// expires, is released, or its connection closes), the value goes back.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/value_queue.hpp"
#include "protocol/blob.hpp"
#include "protocol/dict.hpp"

namespace nws::engine {

struct Session;
struct Workspace;

struct Lease {
  Session* holder = nullptr;  // null: restored from the journal, held by no one
  std::weak_ptr<Workspace> ws;
  std::string var;
  std::string var_id;  // the variable it came from (a variable made again later is another)
  std::uint64_t descriptor = 0;
  proto::BlobRef bytes;
  std::shared_ptr<const proto::Dict> metadata;
  std::int64_t duration_ms = 0;
  std::int64_t deadline_ms = 0;

  ValueView view() const { return ValueView{descriptor, bytes.view(), bytes.operator->(), metadata.get()}; }
  IncomingValue take() {
    IncomingValue v;
    v.descriptor = descriptor;
    v.blob = std::move(bytes);
    v.bytes = v.blob.view();
    v.metadata = std::move(metadata);
    return v;
  }
};

}  // namespace nws::engine
