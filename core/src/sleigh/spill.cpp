#include "sleigh/spill.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "nws/error.hpp"

namespace nws::sleigh::detail {
namespace {

[[noreturn]] void failed(const std::string& what, int err) {
  throw Error(Errc::operation_failed, "sleigh: " + what + ": " + std::strerror(err));
}

std::string default_parent() {
  struct stat st;
  if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0) return "/dev/shm";
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

}  // namespace

std::string make_spill_dir(const std::string& parent) {
  std::string tmpl = (parent.empty() ? default_parent() : parent) + "/nws-sleigh-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) failed("cannot make a directory for large chunks (" + tmpl + ")", errno);
  return buf.data();
}

void write_file(const std::string& path, std::string_view bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) failed("cannot create " + path, errno);
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      unlink(path.c_str());
      failed("cannot write " + path, err);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  close(fd);
}

void remove_spill_dir(const std::string& dir) noexcept {
  if (dir.empty()) return;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      unlink((dir + "/" + e->d_name).c_str());
    }
    closedir(d);
  }
  rmdir(dir.c_str());
}

MappedFile::MappedFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) failed("cannot open the chunk file " + path, errno);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    failed("cannot read the chunk file " + path, err);
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    data_ = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data_ == MAP_FAILED) {
      int err = errno;
      data_ = nullptr;
      close(fd);
      failed("cannot map the chunk file " + path, err);
    }
  }
  close(fd);
}

MappedFile::~MappedFile() {
  if (data_) munmap(data_, size_);
}

}  // namespace nws::sleigh::detail
