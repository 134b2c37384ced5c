// Large values go to files in a private spool directory while they arrive,
// and are served back from a read-only mapping of that file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "protocol/request_decoder.hpp"

namespace nws::server {

class SpoolDir {
 public:
  // Creates a private directory "nws-spool-XXXXXX" under `parent`.
  explicit SpoolDir(const std::string& parent);
  // Removes whatever is left in it, then the directory itself.
  ~SpoolDir();
  SpoolDir(const SpoolDir&) = delete;
  SpoolDir& operator=(const SpoolDir&) = delete;

  const std::string& path() const { return path_; }
  // A sink for one argument of `length` bytes; null if no file can be made.
  std::unique_ptr<proto::ArgSink> make_sink(std::uint64_t length);
  // Files currently in the directory (tests and monitoring).
  std::size_t file_count() const;

 private:
  std::string path_;
  std::uint64_t next_ = 0;
};

}  // namespace nws::server
