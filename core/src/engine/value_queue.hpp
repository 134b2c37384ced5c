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

// What the values held by an engine take, for the server's quotas: heap
// memory (the chunks small values are packed into, and the blobs of larger
// ones) and spool disk (the blobs of spooled values).
struct Holdings {
  std::uint64_t memory = 0;
  std::uint64_t spool = 0;
  // The values themselves, for monitoring: how many, and their bytes.
  std::uint64_t values = 0;
  std::uint64_t value_bytes = 0;
  // Requests blocked in fetch and in find, over every variable.
  std::uint64_t fetchers = 0;
  std::uint64_t finders = 0;

  // What a variable or a workspace itself takes, besides its name (its
  // bookkeeping, roughly): counted so that millions of empty variables
  // meet the memory quota too.
  static constexpr std::uint64_t kVariableCost = 256;
  static constexpr std::uint64_t kWorkspaceCost = 512;
};

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

  // `holdings`, when given, is kept up to date with what this queue holds.
  explicit ValueQueue(Holdings* holdings = nullptr) : holdings_(holdings) {}
  ~ValueQueue();
  ValueQueue(const ValueQueue&) = delete;
  ValueQueue& operator=(const ValueQueue&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_back(IncomingValue&& v);
  // Puts a value before the front (a value back from a lease).
  void push_front(IncomingValue&& v);
  ValueView front() const;
  ValueView back() const;
  // Position `i` from the front (fifo find with an iterator position).
  ValueView at(std::size_t i) const;
  // Calls fn(position, view) for at most `count` values from position
  // `from` on, oldest first: the chunk holding `from` is found by binary
  // search, so a page deep in millions of values costs what the first does.
  template <typename Fn>
  void visit(std::size_t from, std::size_t count, Fn&& fn) const {
    if (from >= size_ || count == 0) return;
    auto c = chunk_of(from);
    std::size_t e = static_cast<std::size_t>(sequence_of_front() + from - c->first);
    for (std::size_t pos = from; c != chunks_.end() && count; ++c, e = c == chunks_.end() ? 0 : c->head)
      for (; e < c->offsets.size() && count; ++e, --count, ++pos) fn(pos, decode(*c, e));
  }

  void pop_front();
  void pop_back();
  void clear();

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::uint32_t used = 0;                  // bytes of data in use
    std::uint32_t head = 0;                  // first live entry
    std::vector<std::uint16_t> offsets;      // entry start offsets
    // The sequence number of entry 0: chunks number their entries on from
    // where the chunk before them ended, so a position is found by binary
    // search over the chunks (chunk_of).
    std::uint64_t first = 0;
    std::size_t live() const { return offsets.size() - head; }
  };
  static ValueView decode(const Chunk& c, std::size_t entry);
  // Appends `v` as the next entry of `c`, which has room for it.
  void write_entry(Chunk& c, IncomingValue&& v, bool as_blob);
  // A new, empty chunk numbering its entries from `first`.
  Chunk new_chunk(std::uint64_t first);
  void release(Chunk& c, std::size_t entry);
  void account_blob(const proto::Blob& b, bool adding);
  void account_chunks(std::size_t n, bool adding);

  std::deque<Chunk> chunks_;
  std::uint64_t sequence_of_front() const { return chunks_.front().first + chunks_.front().head; }
  // The chunk holding position `i` from the front (i < size()).
  std::deque<Chunk>::const_iterator chunk_of(std::size_t i) const;
  std::size_t size_ = 0;
  Holdings* holdings_ = nullptr;
};

}  // namespace nws::engine
