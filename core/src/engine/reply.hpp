// What the engine answers; the server encodes it in each connection's format.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocol/blob.hpp"
#include "protocol/dict.hpp"
#include "protocol/status.hpp"

namespace nws::engine {

using proto::Status;
using proto::kOk;
using proto::kFailed;
using proto::kCancelled;
using proto::kNoSuchWorkspace;
using proto::kInternalError;
using proto::kNotOpened;

// A reply is only valid during the ReplySink::send call that receives it:
// views point into engine state that may change right after.
struct Reply {
  bool is_long = false;
  int status = kOk;
  std::uint64_t descriptor = 0;
  std::string_view var_id;          // empty: twenty spaces
  std::int64_t index = 0;
  std::string_view bytes;                 // the value of a long reply
  const proto::Blob* blob = nullptr;      // set when `bytes` live in a blob:
                                          // BlobRef::share() it to write later
  const proto::Dict* metadata = nullptr;  // the stored value's metadata
  std::string_view reason;          // error text, sent as nwsReason
};

}  // namespace nws::engine
