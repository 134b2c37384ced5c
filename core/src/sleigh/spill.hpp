// Large chunks of a local sleigh travel as files in a private directory
// (on /dev/shm when there is one): written once by the master, mapped by
// the worker, instead of copied into the server and out of it again.
#pragma once

#include <string>
#include <string_view>

namespace nws::sleigh::detail {

// A fresh private directory (mode 0700) under `parent` (empty: /dev/shm,
// else $TMPDIR, else /tmp).  Errc::operation_failed if it cannot be made.
std::string make_spill_dir(const std::string& parent);
void write_file(const std::string& path, std::string_view bytes);
// Best effort: the directory's files, then the directory.
void remove_spill_dir(const std::string& dir) noexcept;

// A file mapped read-only for as long as the object lives.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // Errc::operation_failed if it cannot
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace nws::sleigh::detail
