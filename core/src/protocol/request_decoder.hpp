// Incremental decoder of client requests (PROTOCOL.md §5): optional metadata
// dict, then N4(argc) + { N20(len) + bytes }.  Accepts the stream cut at any
// point and never trusts a length field: memory grows only as bytes arrive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/blob.hpp"
#include "protocol/dict.hpp"
#include "protocol/verbs.hpp"

namespace nws::proto {

// Destination of one argument too large to hold in memory (the server spools
// it to a file).  The decoder never does I/O itself.
class ArgSink {
 public:
  virtual ~ArgSink() = default;
  // Returns false if the bytes could not be kept (disk full, ...).
  virtual bool write(std::string_view bytes) = 0;
  // Called once all bytes arrived; returns the finished value, or an empty
  // ref on failure.  A sink destroyed without finish() discards what it held.
  virtual BlobRef finish() = 0;
};
using ArgSinkFactory = std::function<std::unique_ptr<ArgSink>(std::uint64_t length)>;
// Decides, when a store's value length has been read, whether the server
// can take that many bytes now (memory and disk quotas): the reason to
// refuse it, or nothing to accept it.
using ValueAdmission = std::function<std::optional<std::string>(std::uint64_t length)>;

struct DecoderLimits {
  // Values at or above this length go to the sink factory (if any).
  std::uint64_t spool_threshold = 16u << 20;
  // A store whose value is longer is refused as soon as the length is read.
  std::uint64_t max_value_size = UINT64_MAX;
  // Every other argument (verb, names, fields) is at most this long; a
  // longer one is read and dropped, and the request refused.
  std::uint64_t max_field_size = 64 * 1024;
  // A refused argument longer than this is not read and dropped: the
  // request is refused at once and the connection closed after the reply,
  // since reading gigabytes would hold the connection for minutes.  (A value
  // refused by the admission, which the client could not foresee, is always
  // read and dropped, so the connection stays usable.)
  std::uint64_t discard_limit = 64u << 20;
  // A request whose metadata dict is larger than this closes the connection.
  std::uint64_t max_metadata_bytes = 1u << 20;
};

// One argument: small ones inline, large (spooled) ones as a shared blob.
struct Arg {
  std::string bytes;
  BlobRef blob;
  std::string_view view() const { return blob ? blob.view() : std::string_view(bytes); }
  std::size_t size() const { return blob ? blob.size() : bytes.size(); }
  // The argument as a shareable blob, taking over its buffer (no copy).
  BlobRef take_blob() { return blob ? blob : Blob::adopt(std::move(bytes)); }
};

struct Request {
  Dict metadata;
  std::vector<Arg> args;
  // Set when the request was framed correctly but cannot be executed (an
  // argument over the size limit, a spool failure, argc 0): the engine replies
  // with an error of the verb's kind carrying this reason.
  std::optional<std::string> refusal;
  bool close_after_reply = false;  // argc 0: the original closes after answering
  // The verb's table entry, looked up once as the verb arrives (the decoder
  // needs it to know which arguments are values); null for an unknown verb.
  const VerbInfo* info = nullptr;

  std::string_view verb() const { return args.empty() ? std::string_view{} : args[0].view(); }
};

class RequestDecoder {
 public:
  enum class State { reading, ready, failed };

  explicit RequestDecoder(DecoderLimits limits = {}, ArgSinkFactory spool = {}, ValueAdmission admit = {});

  // Whether each request starts with a metadata dict (MetadataToServer=1).
  void set_metadata(bool on) {
    metadata_ = on;
    if (!started_) step_ = on ? Step::metadata : Step::argc;
  }

  // Consumes bytes until one request is complete (state ready) or the data
  // runs out; returns how many bytes were used.  Bytes after a complete
  // request are left for the next call, so the caller executes requests one
  // at a time, in order.
  std::size_t feed(std::string_view data);

  State state() const { return state_; }
  // The finished request (state ready), to execute in place; then next().
  Request& request() { return req_; }
  // Starts on the next request, recycling the finished one's buffers.  After
  // a request with close_after_reply the decoder stays failed: the stream
  // cannot be followed any further.
  void next();
  // Moves the finished request out and starts on the next one.
  Request take();
  // Why decoding failed: a framing error the connection cannot recover from.
  const std::string& error() const { return error_; }
  // True while in the middle of a request (bytes of it have arrived, or a
  // refused value's bytes are still being dropped).
  bool mid_request() const { return started_ || skip_ > 0; }
  // The bytes the current request's length fields have announced so far
  // (a time limit may grow with them).
  std::uint64_t announced_bytes() const { return announced_; }

  // Memory ran out while the current argument arrived: drop what it holds,
  // read and drop the rest of it, and refuse the request with `reason`.
  void refuse_current(std::string reason);

 private:
  enum class Step { skip, metadata, argc, arg_len, arg_bytes, arg_spool, arg_discard };
  bool gather(std::string_view& data, std::size_t& used, std::size_t n);
  void fail(std::string why);
  void begin_arg(std::uint64_t len);
  void end_arg();
  void start_request();
  Arg& new_arg();
  // Refuses the request now with `reason`, before its remaining bytes (the
  // rest of the last argument: `rest`) arrive: they are dropped when they
  // do, or, with `close`, the connection ends after the reply.
  void refuse_now(std::string reason, std::uint64_t rest, bool close);

  DecoderLimits limits_;
  ArgSinkFactory spool_;
  ValueAdmission admit_;
  std::uint64_t skip_ = 0;          // bytes of a refused value still to drop
  bool last_request_ = false;       // the delivered request ends the stream
  std::uint64_t announced_ = 0;
  bool metadata_ = false;
  State state_ = State::reading;
  Step step_ = Step::argc;
  bool started_ = false;
  std::string field_;
  DictParser dict_;
  std::int64_t argc_ = 0;
  std::uint64_t remaining_ = 0;  // bytes still expected for the current arg
  std::uint64_t arg_len_ = 0;    // announced length of the current arg
  std::uint64_t metadata_bytes_ = 0;
  std::unique_ptr<ArgSink> sink_;
  Request req_;
  std::vector<std::string> spare_;  // recycled argument buffers
  std::string error_;
};

}  // namespace nws::proto
