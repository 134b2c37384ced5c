#include "engine/value_queue.hpp"

#include <algorithm>

#include <cstring>
#include <new>

namespace nws::engine {
namespace {

// Chunk size: large enough that the per-chunk bookkeeping vanishes per value,
// small enough that a variable holding one value stays cheap.
constexpr std::uint32_t kChunkBytes = 4096;

// Entry layout: varint(header) varint(descriptor) payload [metadata pointer]
//   header = length << 2 | has_metadata << 1 | is_blob
//   payload = `length` bytes, or (is_blob) one Blob pointer holding a reference
//   metadata = a heap shared_ptr<const Dict>*, owned by the entry
constexpr std::uint64_t kIsBlob = 1;
constexpr std::uint64_t kHasMetadata = 2;

std::size_t put_varint(char* out, std::uint64_t v) {
  std::size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out[n++] = static_cast<char>(v);
  return n;
}

std::uint64_t get_varint(const char*& p) {
  std::uint64_t v = 0;
  int shift = 0;
  while (true) {
    auto b = static_cast<unsigned char>(*p++);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
    shift += 7;
  }
}

using MetaPtr = std::shared_ptr<const proto::Dict>;

struct Decoded {
  std::uint64_t header;
  std::uint64_t descriptor;
  const char* payload;
};

Decoded parse(const char* p) {
  Decoded d;
  d.header = get_varint(p);
  d.descriptor = get_varint(p);
  d.payload = p;
  return d;
}

}  // namespace

ValueQueue::~ValueQueue() { clear(); }

void ValueQueue::account_blob(const proto::Blob& b, bool adding) {
  if (!holdings_) return;
  std::uint64_t& counter = b.spooled() ? holdings_->spool : holdings_->memory;
  if (adding) counter += b.size();
  else counter -= b.size();
}

void ValueQueue::account_chunks(std::size_t n, bool adding) {
  if (!holdings_) return;
  if (adding) holdings_->memory += std::uint64_t{kChunkBytes} * n;
  else holdings_->memory -= std::uint64_t{kChunkBytes} * n;
}

namespace {
// Where the first chunk's numbering starts: far from zero, so values put
// before the front (push_front) number down without wrapping.
constexpr std::uint64_t kFirstSequence = std::uint64_t{1} << 62;
// What an entry may take at most, besides its payload: two varints and the
// metadata pointer.
constexpr std::size_t kEntryOverhead = 20;
}  // namespace

ValueQueue::Chunk ValueQueue::new_chunk(std::uint64_t first) {
  Chunk c;
  c.first = first;
  c.data.reset(new char[kChunkBytes]);
  account_chunks(1, true);
  return c;
}

void ValueQueue::push_back(IncomingValue&& v) {
  bool as_blob = v.blob || v.bytes.size() > kPackedMax;
  if (as_blob && !v.blob) v.blob = proto::Blob::copy_of(v.bytes);
  std::size_t need = kEntryOverhead + (as_blob ? sizeof(void*) : v.bytes.size()) + (v.metadata ? sizeof(void*) : 0);

  if (chunks_.empty() || chunks_.back().used + need > kChunkBytes) {
    // The chunk being left is full: give back its offsets' spare capacity.
    if (!chunks_.empty()) chunks_.back().offsets.shrink_to_fit();
    const std::uint64_t next = chunks_.empty() ? kFirstSequence : chunks_.back().first + chunks_.back().offsets.size();
    chunks_.push_back(new_chunk(next));
  }
  write_entry(chunks_.back(), std::move(v), as_blob);
}

void ValueQueue::push_front(IncomingValue&& v) {
  if (chunks_.empty()) return push_back(std::move(v));
  bool as_blob = v.blob || v.bytes.size() > kPackedMax;
  if (as_blob && !v.blob) v.blob = proto::Blob::copy_of(v.bytes);
  // A chunk of its own, numbered just before the front (rare: values come
  // back from leases one at a time).  The front chunk first forgets the
  // entries that already left it, so that numbers stay in order from one
  // chunk to the next (chunk_of's binary search needs it).
  Chunk& front = chunks_.front();
  if (front.head > 0) {
    front.offsets.erase(front.offsets.begin(), front.offsets.begin() + front.head);
    front.first += front.head;
    front.head = 0;
  }
  chunks_.push_front(new_chunk(front.first - 1));
  write_entry(chunks_.front(), std::move(v), as_blob);
}

void ValueQueue::write_entry(Chunk& c, IncomingValue&& v, bool as_blob) {
  std::uint64_t header = (as_blob ? kIsBlob : 0) | (v.metadata ? kHasMetadata : 0) |
                         (as_blob ? 0 : static_cast<std::uint64_t>(v.bytes.size()) << 2);
  char* p = c.data.get() + c.used;
  c.offsets.push_back(static_cast<std::uint16_t>(c.used));
  std::size_t n = put_varint(p, header);
  n += put_varint(p + n, v.descriptor);
  if (as_blob) {
    account_blob(*v.blob.get(), true);
    proto::Blob* b = v.blob.release();
    std::memcpy(p + n, &b, sizeof b);
    n += sizeof b;
  } else {
    if (!v.bytes.empty()) std::memcpy(p + n, v.bytes.data(), v.bytes.size());
    n += v.bytes.size();
  }
  if (v.metadata) {
    auto* meta = new MetaPtr(std::move(v.metadata));
    std::memcpy(p + n, &meta, sizeof meta);
    n += sizeof meta;
  }
  c.used += static_cast<std::uint32_t>(n);
  ++size_;
  if (holdings_) {
    ++holdings_->values;
    holdings_->value_bytes += v.bytes.size();
  }
}

ValueView ValueQueue::decode(const Chunk& c, std::size_t entry) {
  Decoded d = parse(c.data.get() + c.offsets[entry]);
  ValueView v;
  v.descriptor = d.descriptor;
  const char* after;
  if (d.header & kIsBlob) {
    // The entry holds a reference; readers share it if they keep it.
    proto::Blob* b;
    std::memcpy(&b, d.payload, sizeof b);
    v.blob = b;
    v.bytes = b->view();
    after = d.payload + sizeof(void*);
  } else {
    v.bytes = std::string_view(d.payload, static_cast<std::size_t>(d.header >> 2));
    after = d.payload + (d.header >> 2);
  }
  if (d.header & kHasMetadata) {
    MetaPtr* meta;
    std::memcpy(&meta, after, sizeof meta);
    v.metadata = meta->get();
  }
  return v;
}

void ValueQueue::release(Chunk& c, std::size_t entry) {
  Decoded d = parse(c.data.get() + c.offsets[entry]);
  const char* after = d.payload + ((d.header & kIsBlob) ? sizeof(void*) : (d.header >> 2));
  if (holdings_) {
    --holdings_->values;
    if (!(d.header & kIsBlob)) holdings_->value_bytes -= d.header >> 2;
  }
  if (d.header & kIsBlob) {
    proto::Blob* b;
    std::memcpy(&b, d.payload, sizeof b);
    account_blob(*b, false);
    if (holdings_) holdings_->value_bytes -= b->size();
    proto::BlobRef adopt(b);  // drops the entry's reference
  }
  if (d.header & kHasMetadata) {
    MetaPtr* meta;
    std::memcpy(&meta, after, sizeof meta);
    delete meta;
  }
}

ValueView ValueQueue::front() const {
  const Chunk& c = chunks_.front();
  return decode(c, c.head);
}

ValueView ValueQueue::back() const {
  const Chunk& c = chunks_.back();
  return decode(c, c.offsets.size() - 1);
}

std::deque<ValueQueue::Chunk>::const_iterator ValueQueue::chunk_of(std::size_t i) const {
  const std::uint64_t seq = sequence_of_front() + i;
  // The last chunk whose first entry is at or before `seq`.
  auto after = std::upper_bound(chunks_.begin(), chunks_.end(), seq,
                                [](std::uint64_t s, const Chunk& c) { return s < c.first; });
  return std::prev(after);
}

ValueView ValueQueue::at(std::size_t i) const {
  if (i >= size_) return {};
  auto c = chunk_of(i);
  return decode(*c, static_cast<std::size_t>(sequence_of_front() + i - c->first));
}

void ValueQueue::pop_front() {
  Chunk& c = chunks_.front();
  release(c, c.head);
  ++c.head;
  --size_;
  if (c.live() == 0) {
    chunks_.pop_front();
    account_chunks(1, false);
  }
}

void ValueQueue::pop_back() {
  Chunk& c = chunks_.back();
  release(c, c.offsets.size() - 1);
  c.used = c.offsets.back();
  c.offsets.pop_back();
  --size_;
  if (c.live() == 0) {
    chunks_.pop_back();
    account_chunks(1, false);
  }
}

void ValueQueue::clear() {
  for (Chunk& c : chunks_)
    for (std::size_t e = c.head; e < c.offsets.size(); ++e) release(c, e);
  account_chunks(chunks_.size(), false);
  chunks_.clear();
  size_ = 0;
}

}  // namespace nws::engine
