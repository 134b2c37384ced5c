#include "server/spool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "server/log.hpp"

namespace nws::server {
namespace {

class FileSink : public proto::ArgSink {
 public:
  FileSink(int fd, std::string path, std::uint64_t length) : fd_(fd), path_(std::move(path)), length_(length) {}
  ~FileSink() override {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) ::unlink(path_.c_str());  // half a value is worth nothing
  }

  bool write(std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        log(LogLevel::warn, "spool write to {} failed: {}", path_, std::strerror(errno));
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  proto::BlobRef finish() override {
    ::close(fd_);
    fd_ = -1;
    proto::BlobRef blob = proto::Blob::map_spool_file(path_, static_cast<std::size_t>(length_));
    // From here on the blob owns the file and unlinks it when the value dies.
    finished_ = static_cast<bool>(blob);
    return blob;
  }

 private:
  int fd_;
  std::string path_;
  std::uint64_t length_;
  bool finished_ = false;
};

}  // namespace

SpoolDir::SpoolDir(const std::string& parent) {
  std::string tmpl = parent + "/nws-spool-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data()))
    throw std::runtime_error("cannot create a spool directory under " + parent + ": " + std::strerror(errno));
  path_ = buf.data();
}

SpoolDir::~SpoolDir() {
  if (DIR* d = ::opendir(path_.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") ::unlink((path_ + "/" + name).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(path_.c_str());
}

std::unique_ptr<proto::ArgSink> SpoolDir::make_sink(std::uint64_t length) {
  std::string path = path_ + "/value-" + std::to_string(next_++) + ".dat";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    log(LogLevel::warn, "cannot create spool file {}: {}", path, std::strerror(errno));
    return nullptr;
  }
  return std::make_unique<FileSink>(fd, std::move(path), length);
}

std::size_t SpoolDir::file_count() const {
  std::size_t n = 0;
  if (DIR* d = ::opendir(path_.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) ++n;
    ::closedir(d);
  }
  return n;
}

}  // namespace nws::server
