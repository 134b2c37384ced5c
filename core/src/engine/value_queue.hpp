// The values of one variable, oldest first.  Small values are packed into
// chunks (no allocation per value, ~15 bytes of overhead each instead of a
// heap block and a slot); large ones stay in their shared blob.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "protocol/blob.hpp"
#include "protocol/dict.hpp"

namespace nws::engine {

// A value on its way in: bytes viewed from the request, or a blob already.
struct IncomingValue {
  std::uint64_t descriptor = 0;
  std::string_view bytes;   // what the value is (views `blob` when set)
  proto::BlobRef blob;      // set for values that must not be copied
  std::shared_ptr<const proto::Dict> metadata;
};

// A stored value as the engine reads it.  Valid until the queue changes.
struct ValueView {
  std::uint64_t descriptor = 0;
  std::string_view bytes;
  const proto::Blob* blob = nullptr;  // set when the bytes live in a blob (BlobRef::share it to keep it)
  const proto::Dict* metadata = nullptr;
};

class ValueQueue {
 public:
  // Values up to this size are packed; larger ones are kept as blobs.
  static constexpr std::size_t kPackedMax = 1024;

  ValueQueue() = default;
  ~ValueQueue();
  ValueQueue(const ValueQueue&) = delete;
  ValueQueue& operator=(const ValueQueue&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_back(IncomingValue&& v);
  ValueView front() const;
  ValueView back() const;
  // Position `i` from the front (fifo find with an iterator position).
  ValueView at(std::size_t i) const;
  void pop_front();
  void pop_back();
  void clear();

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::uint32_t used = 0;                  // bytes of data in use
    std::uint32_t head = 0;                  // first live entry
    std::vector<std::uint16_t> offsets;      // entry start offsets
    std::size_t live() const { return offsets.size() - head; }
  };
  static ValueView decode(const Chunk& c, std::size_t entry);
  static void release(Chunk& c, std::size_t entry);

  std::deque<Chunk> chunks_;
  std::size_t size_ = 0;
};

}  // namespace nws::engine
