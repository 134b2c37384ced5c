#include "server/durable/data_log.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "engine/engine.hpp"
#include "server/durable/record.hpp"
#include "server/log.hpp"

namespace nws::server::durable {
namespace {

// Values at least this large are written from their own blob rather than
// copied into the frame's text.
constexpr std::size_t kBlobPiece = 64 * 1024;
// While compacting, a frame is closed once it holds this much.
constexpr std::uint64_t kSnapshotFrame = 1u << 20;

std::string errno_text() { return std::strerror(errno); }

void fsync_or_warn(int fd, const std::string& what) {
  if (::fdatasync(fd) != 0) log(LogLevel::error, "data log: syncing {} failed: {}", what, errno_text());
}

// A read-only view of a whole file.
class Mapped {
 public:
  explicit Mapped(int fd) {
    struct stat st{};
    if (::fstat(fd, &st) != 0) throw std::runtime_error("cannot read the data log: " + errno_text());
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) throw std::runtime_error("cannot map the data log: " + errno_text());
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
  }
  ~Mapped() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

DataLog::DataLog(DataLogConfig config) : config_(std::move(config)) {
  std::error_code ec;
  std::filesystem::create_directories(config_.dir, ec);
  if (ec) throw std::runtime_error("cannot make the data directory " + config_.dir + ": " + ec.message());
  path_ = (std::filesystem::path(config_.dir) / "nws.log").string();
  dir_fd_ = ::open(config_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) throw std::runtime_error("cannot open the data directory " + config_.dir + ": " + errno_text());
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    ::close(dir_fd_);
    throw std::runtime_error("cannot open the data log " + path_ + ": " + errno_text());
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    ::close(dir_fd_);
    throw std::runtime_error("the data directory " + config_.dir +
                             " is in use by another nws-server (its nws.log is locked); give each server its own --data-dir");
  }
  if (config_.fsync == FsyncPolicy::everysec) {
    // The thread must never take a signal meant for the server (SIGTERM is
    // read from a signalfd on the loop's thread): it starts with all blocked.
    sigset_t all, previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    syncer_ = std::thread([this] { syncer(); });
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
}

DataLog::~DataLog() {
  if (!out_.empty() && !write_out(fd_, size_))
    log(LogLevel::error, "data log: the last changes could not be written to {}: {}", path_, last_error_);
  {
    std::lock_guard<std::mutex> lock(fd_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (config_.fsync != FsyncPolicy::no) fsync_or_warn(fd_, path_);
  ::close(fd_);
  ::close(dir_fd_);
}

void DataLog::syncer() {
  std::unique_lock<std::mutex> lock(fd_mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(1));
    if (dirty_.exchange(false)) fsync_or_warn(fd_, path_);  // under the lock: compact() swaps fd_
  }
}

// ---- building frames ----------------------------------------------------------

std::string& DataLog::text() {
  if (!in_frame_) {
    // A frame starts: its header's place is kept, filled in by commit().
    // Nothing is pending any more once it is written: the server is asked
    // to sync at the end of the turn, and replies wait for that.
    if (out_.empty() && on_pending_ && !snapshotting_) on_pending_();
    if (out_.empty() || out_.back().blob) {
      out_.emplace_back();
      out_.back().text = std::move(spare_);
      out_.back().text.clear();
    }
    in_frame_ = true;
    frame_piece_ = out_.size() - 1;
    frame_offset_ = out_.back().text.size();
    out_.back().text.append(kFrameHeader, '\0');
  }
  if (out_.back().blob) out_.emplace_back();
  return out_.back().text;
}

void DataLog::put_value(const engine::ValueView& v) {
  std::string& t = text();
  put_varint(t, v.descriptor);
  put_varint(t, v.bytes.size());
  frame_bytes_ += 20;
  if (v.blob && v.bytes.size() >= kBlobPiece) {
    Piece p;
    p.blob = proto::BlobRef::share(v.blob);
    out_.push_back(std::move(p));
  } else {
    text().append(v.bytes);
  }
  frame_bytes_ += v.bytes.size();
  std::string& after = text();
  const std::size_t n = v.metadata ? v.metadata->size() : 0;
  put_varint(after, n);
  if (v.metadata)
    for (const auto& e : v.metadata->entries()) {
      put_string(after, e.first);
      put_string(after, e.second);
      frame_bytes_ += e.first.size() + e.second.size();
    }
}

void DataLog::workspace(const engine::Workspace& ws) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::workspace));
  put_string(t, ws.name);
  put_string(t, ws.owner);
  t.push_back(ws.persistent ? 1 : 0);
  frame_bytes_ += ws.name.size() + ws.owner.size();
}

void DataLog::delete_workspace(std::string_view ws) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::delete_workspace));
  put_string(t, ws);
}

void DataLog::declare(std::string_view ws, std::string_view var, Mode mode) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::declare));
  put_string(t, ws);
  put_string(t, var);
  put_string(t, mode_name(mode));
  frame_bytes_ += ws.size() + var.size();
}

void DataLog::delete_variable(std::string_view ws, std::string_view var) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::delete_variable));
  put_string(t, ws);
  put_string(t, var);
}

void DataLog::store(std::string_view ws, std::string_view var, const engine::ValueView& v) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::store));
  put_string(t, ws);
  put_string(t, var);
  put_value(v);
  if (snapshotting_ && frame_bytes_ >= kSnapshotFrame) commit();
}

void DataLog::taken(std::string_view ws, std::string_view var, std::uint64_t lease) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::taken));
  put_string(t, ws);
  put_string(t, var);
  put_varint(t, lease);
}

void DataLog::leased(std::string_view ws, std::string_view var, std::uint64_t lease, const engine::ValueView& v) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::leased));
  put_string(t, ws);
  put_string(t, var);
  put_varint(t, lease);
  put_value(v);
}

void DataLog::acknowledged(std::uint64_t lease) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::acknowledged));
  put_varint(t, lease);
}

void DataLog::given_back(std::uint64_t lease) {
  std::string& t = text();
  t.push_back(static_cast<char>(OpKind::given_back));
  put_varint(t, lease);
}

void DataLog::commit() {
  if (!in_frame_) return;
  in_frame_ = false;
  frame_bytes_ = 0;
  std::uint64_t length = 0;
  std::uint32_t crc = 0;
  for (std::size_t i = frame_piece_; i < out_.size(); ++i) {
    std::string_view v = out_[i].view();
    if (i == frame_piece_) v.remove_prefix(frame_offset_ + kFrameHeader);
    length += v.size();
    crc = crc32_of(crc, v);
  }
  const std::string head = frame_header(length, crc);
  out_[frame_piece_].text.replace(frame_offset_, kFrameHeader, head);
}

// ---- writing --------------------------------------------------------------------

bool DataLog::write_out(int fd, std::uint64_t& size) {
  std::size_t first = 0;       // piece being written
  std::size_t offset = 0;      // bytes of it written
  std::uint64_t written = 0;
  while (first < out_.size()) {
    iovec iov[IOV_MAX < 256 ? IOV_MAX : 256];
    int n = 0;
    for (std::size_t i = first; i < out_.size() && n < static_cast<int>(std::size(iov)); ++i, ++n) {
      std::string_view v = out_[i].view();
      if (i == first) v.remove_prefix(offset);
      iov[n] = iovec{const_cast<char*>(v.data()), v.size()};
    }
    ssize_t w = ::writev(fd, iov, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      last_error_ = w < 0 ? errno_text() : "nothing written";
      // A frame cut short would hide every frame after it: take it back.
      if (written > 0 && ::ftruncate(fd, static_cast<off_t>(size)) != 0)
        log(LogLevel::error, "data log: cannot cut {} back to {} bytes: {}", path_, size, errno_text());
      return false;
    }
    written += static_cast<std::uint64_t>(w);
    auto left = static_cast<std::size_t>(w);
    while (left > 0) {
      std::size_t rest = out_[first].view().size() - offset;
      if (left >= rest) {
        left -= rest;
        ++first;
        offset = 0;
      } else {
        offset += left;
        left = 0;
      }
    }
  }
  size += written;
  // The first text piece's buffer serves the next frames.
  if (!out_.front().blob && out_.front().text.capacity() <= (4u << 20)) spare_ = std::move(out_.front().text);
  out_.clear();
  return true;
}

bool DataLog::sync() {
  commit();  // (a request's changes are always committed by now)
  if (out_.empty()) return true;
  if (!write_out(fd_, size_)) {
    log(LogLevel::error, "data log: cannot write to {}: {}; replies wait until it can (trying again each second)",
        path_, last_error_);
    return false;
  }
  last_error_.clear();
  if (config_.fsync == FsyncPolicy::always) fsync_or_warn(fd_, path_);
  else if (config_.fsync == FsyncPolicy::everysec) dirty_ = true;
  if (engine_ && size_ >= config_.compact_min && size_ >= 2 * snapshot_size_) compact();
  return true;
}

void DataLog::compact() {
  const std::string tmp = path_ + ".new";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    log(LogLevel::error, "data log: cannot write a snapshot to {}: {}", tmp, errno_text());
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t size = 0;
  bool ok = ::write(fd, kMagic.data(), kMagic.size()) == static_cast<ssize_t>(kMagic.size());
  size = kMagic.size();
  snapshotting_ = true;
  engine_->write_snapshot(*this);
  snapshotting_ = false;
  ok = ok && write_out(fd, size) && ::fdatasync(fd) == 0;
  if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    log(LogLevel::error, "data log: the snapshot {} could not be written ({}); the log goes on as it was", tmp,
        errno_text());
    out_.clear();
    ::close(fd);
    ::unlink(tmp.c_str());
    return;
  }
  fsync_or_warn(dir_fd_, config_.dir);
  // The new file takes the old one's lock and place.
  ::flock(fd, LOCK_EX | LOCK_NB);
  {
    std::lock_guard<std::mutex> lock(fd_mu_);
    ::close(fd_);
    fd_ = fd;
  }
  const std::uint64_t before = size_;
  size_ = snapshot_size_ = size;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log(LogLevel::info, "data log: compacted {} from {} to {} bytes in {:.1f} ms", path_, before, size_, ms);
}

// ---- loading ----------------------------------------------------------------------

void apply_op(engine::Engine& engine, const Op& op, const std::function<proto::BlobRef(std::string_view)>& keep) {
  auto value = [&] {
    engine::IncomingValue v;
    v.descriptor = op.descriptor;
    v.blob = keep ? keep(op.value) : proto::BlobRef();
    v.bytes = v.blob ? v.blob.view() : op.value;
    if (!op.metadata.empty()) {
      auto d = std::make_shared<proto::Dict>();
      for (const auto& [k, val] : op.metadata) d->set(std::string(k), std::string(val));
      v.metadata = std::move(d);
    }
    return v;
  };
  switch (op.kind) {
    case OpKind::workspace: engine.restore_workspace(op.ws, op.owner, op.persistent); break;
    case OpKind::delete_workspace: engine.restore_delete_workspace(op.ws); break;
    case OpKind::declare: engine.restore_declare(op.ws, op.var, op.mode); break;
    case OpKind::delete_variable: engine.restore_delete_variable(op.ws, op.var); break;
    case OpKind::store: engine.restore_store(op.ws, op.var, value()); break;
    case OpKind::taken: engine.restore_taken(op.ws, op.var, op.lease); break;
    case OpKind::leased: engine.restore_leased(op.ws, op.var, op.lease, value()); break;
    case OpKind::acknowledged: engine.restore_acknowledged(op.lease); break;
    case OpKind::given_back: engine.restore_given_back(op.lease); break;
  }
}

LoadReport DataLog::load(engine::Engine& engine, const std::function<proto::BlobRef(std::string_view)>& keep) {
  const auto started = std::chrono::steady_clock::now();
  LoadReport report;
  {
    Mapped file(fd_);
    std::string_view all = file.view();
    report.bytes = all.size();
    std::string_view rest;
    if (all.empty()) {
      rest = {};
    } else if (all.size() < kMagic.size() ? kMagic.substr(0, all.size()) != all : all.substr(0, kMagic.size()) != kMagic) {
      throw std::runtime_error(path_ + " is not an NWS data log (it does not begin with " +
                               std::string(kMagic.substr(0, 7)) +
                               "); move it away, or give nws-server another --data-dir");
    } else {
      rest = all.substr(std::min(all.size(), kMagic.size()));
    }
    auto apply = [&](const Op& op) { apply_op(engine, op, keep); };
    while (!rest.empty()) {
      std::size_t frame_size = 0;
      std::string why;
      auto payload = next_frame(rest, frame_size, why);
      // A frame is applied whole or not at all: check every op first.
      std::string error;
      if (payload && !decode_ops(*payload, [](const Op&) {}, error)) {
        payload.reset();
        why = "it holds " + error;
      }
      if (!payload) {
        const std::uint64_t at = all.size() - rest.size();
        report.dropped_bytes = rest.size();
        report.damage = "the change record at byte " + std::to_string(at) + " is damaged (" + why + ")";
        // Keep what is cut off, for whoever wants to look at it.
        report.damaged_copy = path_ + ".damaged-" + std::to_string(::time(nullptr));
        int out = ::open(report.damaged_copy.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (out < 0 || ::write(out, rest.data(), rest.size()) != static_cast<ssize_t>(rest.size()))
          report.damaged_copy.clear();
        if (out >= 0) ::close(out);
        break;
      }
      decode_ops(*payload, apply, error);
      ++report.frames;
      rest.remove_prefix(frame_size);
    }
  }
  engine.finish_restore();
  // The log starts again as a snapshot of what loaded: a damaged tail is
  // gone, and so is every change that no longer matters.
  engine_ = &engine;
  compact();
  report.snapshot_bytes = size_;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (size_ == 0) throw std::runtime_error("cannot write the data log " + path_ + ": " + last_error_);
  return report;
}

}  // namespace nws::server::durable
