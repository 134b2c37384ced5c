// Incremental decoder of server replies (PROTOCOL.md §6), for the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "protocol/dict.hpp"
#include "protocol/encoder.hpp"

namespace nws::proto {

struct ReplyHead {
  int status = 0;
  std::uint64_t descriptor = 0;
  std::string var_id;       // 20 bytes as sent (spaces = none)
  std::int64_t index = 0;
  std::uint64_t length = 0;
  Dict metadata;
};

class ReplyDecoder {
 public:
  enum class Kind { short_reply, long_reply };
  enum class State { reading, done, failed };
  // Receives the value bytes of a long reply as they arrive.  Returning false
  // stops keeping them (the rest is still consumed to stay in sync).
  using ValueSink = std::function<bool(std::string_view)>;

  ReplyDecoder(ReplyFormat fmt, Kind kind, ValueSink sink = {});

  std::size_t feed(std::string_view data);
  State state() const { return state_; }
  const ReplyHead& head() const { return head_; }
  // The value bytes when no sink was given.
  std::string& value() { return value_; }
  const std::string& error() const { return error_; }

 private:
  enum class Step { metadata, status, descriptor, var_id, index, length, value };
  bool gather(std::string_view& data, std::size_t& used, std::size_t n);
  void after_fixed_field();

  ReplyFormat fmt_;
  Kind kind_;
  ValueSink sink_;
  State state_ = State::reading;
  Step step_;
  std::string field_;
  DictParser dict_;
  ReplyHead head_;
  std::uint64_t remaining_ = 0;
  std::string value_;
  std::string error_;
};

}  // namespace nws::proto
