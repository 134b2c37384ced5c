#include "protocol/blob.hpp"

#include <sys/mman.h>
#include <unistd.h>
#include <fcntl.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace nws::proto {
namespace {

// Spool blobs remember their path so the file goes when the value goes.
struct SpoolBlobExtra {
  std::string path;
};

constexpr std::size_t header_size() {
  // Inline bytes start right after the Blob object, suitably aligned.
  return (sizeof(Blob) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
         alignof(std::max_align_t);
}

}  // namespace

BlobRef Blob::with_size(std::size_t size) {
  void* mem = std::malloc(header_size() + (size ? size : 1));
  if (!mem) throw std::bad_alloc();
  char* bytes = static_cast<char*>(mem) + header_size();
  return BlobRef(new (mem) Blob(Kind::inline_bytes, bytes, size));
}

BlobRef Blob::copy_of(std::string_view bytes) {
  BlobRef b = with_size(bytes.size());
  if (!bytes.empty()) std::memcpy(b.get()->writable_data(), bytes.data(), bytes.size());
  return b;
}

BlobRef Blob::adopt(std::string&& bytes) {
  // The Blob and the string share one allocation: [Blob][std::string].
  void* mem = std::malloc(header_size() + sizeof(std::string));
  if (!mem) throw std::bad_alloc();
  auto* str = new (static_cast<char*>(mem) + header_size()) std::string(std::move(bytes));
  return BlobRef(new (mem) Blob(Kind::adopted, str->data(), str->size()));
}

BlobRef Blob::map_spool_file(const std::string& path, std::size_t size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  void* map = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  ::close(fd);
  if (size && map == MAP_FAILED) return {};
  // The Blob and the path live in one allocation: [Blob][SpoolBlobExtra].
  void* mem = std::malloc(header_size() + sizeof(SpoolBlobExtra));
  if (!mem) {
    if (size) ::munmap(map, size);
    throw std::bad_alloc();
  }
  new (static_cast<char*>(mem) + header_size()) SpoolBlobExtra{path};
  return BlobRef(new (mem) Blob(Kind::spool, static_cast<const char*>(map), size));
}

void Blob::release() noexcept {
  if (--refs_ != 0) return;
  if (kind_ == Kind::spool) {
    auto* extra = reinterpret_cast<SpoolBlobExtra*>(reinterpret_cast<char*>(this) + header_size());
    if (size_) ::munmap(const_cast<char*>(data_), size_);
    ::unlink(extra->path.c_str());
    extra->~SpoolBlobExtra();
  } else if (kind_ == Kind::adopted) {
    reinterpret_cast<std::string*>(reinterpret_cast<char*>(this) + header_size())->~basic_string();
  }
  this->~Blob();
  std::free(this);
}

}  // namespace nws::proto
