// The data log: where durable workspaces live on disk (docs/durability.md).
//
// An append-only file of frames, one per request that changed a durable
// workspace (record.hpp).  Frames are written at the end of the event
// loop's turn in which they were made, before any reply of that turn goes
// out, and made durable by the --fsync policy: `always` syncs before the
// replies go (one fdatasync for the whole turn), `everysec` from a thread
// once a second, `no` leaves it to the kernel.  At start the log is
// replayed and then rewritten as a snapshot of what it held; it is
// rewritten the same way whenever it has grown to twice its last snapshot.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/journal.hpp"
#include "protocol/blob.hpp"

namespace nws::engine {
class Engine;
}

namespace nws::server::durable {

struct Op;

// Applies one decoded change to an engine being restored (what load()
// does with every op of every good frame).  `keep` as for load().
void apply_op(engine::Engine& engine, const Op& op, const std::function<proto::BlobRef(std::string_view)>& keep);

enum class FsyncPolicy : std::uint8_t { always, everysec, no };

struct DataLogConfig {
  std::string dir;
  FsyncPolicy fsync = FsyncPolicy::everysec;
  // The log is compacted once it is this large and twice its last snapshot.
  std::uint64_t compact_min = 64u << 20;
};

// What a start found in the log.
struct LoadReport {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;          // of the log as found
  std::uint64_t dropped_bytes = 0;  // a damaged tail cut off
  std::string damage;               // what was wrong with it, if anything
  std::string damaged_copy;         // where the dropped bytes were saved
  std::uint64_t snapshot_bytes = 0; // the log rewritten
  double seconds = 0;
};

class DataLog : public engine::Journal {
 public:
  // Opens DIR/nws.log (making DIR and the file if need be) and locks it
  // against a second server.  Throws std::runtime_error saying what to do.
  explicit DataLog(DataLogConfig config);
  ~DataLog() override;
  DataLog(const DataLog&) = delete;
  DataLog& operator=(const DataLog&) = delete;

  // Replays the log into `engine` (its restore_* calls), cuts a damaged
  // tail, and rewrites the log as a snapshot of what loaded.  `keep` turns
  // a value's bytes into the blob that keeps them (the server spools large
  // ones), or returns an empty ref to let the engine copy them.
  LoadReport load(engine::Engine& engine, const std::function<proto::BlobRef(std::string_view)>& keep);

  // Called when changes start waiting to be written (the server then
  // calls sync() at the end of the turn).
  void on_pending(std::function<void()> fn) { on_pending_ = std::move(fn); }
  // Changes not yet written (or not yet synced, under `always`), perhaps
  // of the request being carried out: replies must wait for sync().
  bool unsynced() const { return in_frame_ || !out_.empty(); }
  // Writes what is committed, syncs under `always`, compacts when due.
  // False if the disk refused (the frames are kept and tried again).
  bool sync();
  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  FsyncPolicy policy() const { return config_.fsync; }
  std::string last_error() const { return last_error_; }

  // engine::Journal
  void workspace(const engine::Workspace& ws) override;
  void delete_workspace(std::string_view ws) override;
  void declare(std::string_view ws, std::string_view var, Mode mode) override;
  void delete_variable(std::string_view ws, std::string_view var) override;
  void store(std::string_view ws, std::string_view var, const engine::ValueView& v) override;
  void taken(std::string_view ws, std::string_view var, std::uint64_t lease) override;
  void leased(std::string_view ws, std::string_view var, std::uint64_t lease, const engine::ValueView& v) override;
  void acknowledged(std::uint64_t lease) override;
  void given_back(std::uint64_t lease) override;
  void commit() override;

 private:
  // Bytes of a frame: text, or a large value written from its blob.
  struct Piece {
    std::string text;
    proto::BlobRef blob;
    std::string_view view() const { return blob ? blob.view() : std::string_view(text); }
  };
  std::string& text();
  void put_value(const engine::ValueView& v);
  // Writes `out_` to `fd` at `size`; on failure cuts the file back to `size`.
  bool write_out(int fd, std::uint64_t& size);
  // Rewrites the log as a snapshot of the engine's durable workspaces.
  void compact();
  void syncer();

  DataLogConfig config_;
  std::string path_;
  int fd_ = -1;
  int dir_fd_ = -1;
  std::uint64_t size_ = 0;           // bytes of the file written whole
  std::uint64_t snapshot_size_ = 0;  // its size after the last rewrite
  // Frames not yet written, the last perhaps still being built (in_frame_):
  // its header is at out_[frame_piece_].text[frame_offset_].
  std::vector<Piece> out_;
  bool in_frame_ = false;
  std::size_t frame_piece_ = 0;
  std::size_t frame_offset_ = 0;
  std::uint64_t frame_bytes_ = 0;
  std::string spare_;                // a written buffer, kept for the next frames
  bool snapshotting_ = false;        // compact(): frames of about 1 MiB
  const engine::Engine* engine_ = nullptr;
  std::function<void()> on_pending_;
  std::string last_error_;

  // `everysec`: a thread syncs once a second when something was written.
  std::mutex fd_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> dirty_{false};
  std::thread syncer_;
};

}  // namespace nws::server::durable
