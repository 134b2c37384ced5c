// Immutable, reference-counted bytes: the one copy of a stored value that
// every waiter, reply and variable shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace nws::proto {

class BlobRef;

// A Blob is either a single heap allocation holding its bytes inline (small
// values: one malloc per value, no separate header) or a read-only mapping of
// a spool file that is unlinked when the last reference goes.
// Reference counts are not atomic: the server's engine and its event loop run
// on one thread, and the client never shares a Blob across threads.
class Blob {
 public:
  Blob(const Blob&) = delete;
  Blob& operator=(const Blob&) = delete;

  // Copies bytes into a new inline blob.
  static BlobRef copy_of(std::string_view bytes);
  // A blob of `size` bytes to be filled through writable_data() before sharing.
  static BlobRef with_size(std::size_t size);
  // Takes over a string's buffer without copying its bytes.
  static BlobRef adopt(std::string&& bytes);
  // Maps `path` (already holding exactly `size` bytes) read-only; the file is
  // unlinked when the blob dies.  Returns an empty ref on failure.
  static BlobRef map_spool_file(const std::string& path, std::size_t size);

  std::string_view view() const noexcept { return {data_, size_}; }
  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool spooled() const noexcept { return kind_ == Kind::spool; }
  char* writable_data() noexcept { return const_cast<char*>(data_); }

 private:
  enum class Kind : std::uint8_t { inline_bytes, adopted, spool };
  friend class BlobRef;
  Blob(Kind kind, const char* data, std::size_t size) : kind_(kind), data_(data), size_(size) {}
  ~Blob() = default;
  void release() noexcept;

  std::uint32_t refs_ = 1;
  Kind kind_;
  const char* data_;
  std::size_t size_;
};

// Owning handle on a Blob.
class BlobRef {
 public:
  BlobRef() noexcept = default;
  explicit BlobRef(Blob* b) noexcept : b_(b) {}  // adopts one reference
  BlobRef(const BlobRef& o) noexcept : b_(o.b_) { if (b_) ++b_->refs_; }
  BlobRef(BlobRef&& o) noexcept : b_(std::exchange(o.b_, nullptr)) {}
  BlobRef& operator=(BlobRef o) noexcept { std::swap(b_, o.b_); return *this; }
  ~BlobRef() { if (b_) b_->release(); }

  // A new reference to a blob some other owner holds.
  static BlobRef share(const Blob* b) noexcept {
    if (b) ++const_cast<Blob*>(b)->refs_;
    return BlobRef(const_cast<Blob*>(b));
  }
  // Gives up ownership of the reference (the caller must adopt it later).
  Blob* release() noexcept { return std::exchange(b_, nullptr); }

  explicit operator bool() const noexcept { return b_ != nullptr; }
  const Blob* operator->() const noexcept { return b_; }
  Blob* get() noexcept { return b_; }
  std::string_view view() const noexcept { return b_ ? b_->view() : std::string_view{}; }
  std::size_t size() const noexcept { return b_ ? b_->size() : 0; }
  std::uint32_t use_count() const noexcept { return b_ ? b_->refs_ : 0; }

 private:
  Blob* b_ = nullptr;
};

}  // namespace nws::proto
