#include "protocol/request_decoder.hpp"

#include <algorithm>
#include <new>

#include "protocol/fields.hpp"

namespace nws::proto {
namespace {
// Bytes reserved ahead for an inline argument: enough for typical values in
// one go, never the (untrusted) announced length itself.
constexpr std::uint64_t kMaxReserve = 64 * 1024;
// Recycled argument buffers kept between requests (small ones only, so an
// idle connection holds little memory).
constexpr std::size_t kMaxSpare = 8;
constexpr std::size_t kMaxRecycled = 4096;
}  // namespace

RequestDecoder::RequestDecoder(DecoderLimits limits, ArgSinkFactory spool, ValueAdmission admit)
    : limits_(limits), spool_(std::move(spool)), admit_(std::move(admit)) {
  start_request();
}

void RequestDecoder::start_request() {
  // Recycle the argument buffers of the last request: a steady stream of
  // requests then decodes without allocating.
  for (Arg& a : req_.args) {
    if (a.bytes.capacity() != 0 && a.bytes.capacity() <= kMaxRecycled && spare_.size() < kMaxSpare) {
      a.bytes.clear();
      spare_.push_back(std::move(a.bytes));
    }
  }
  req_.args.clear();
  req_.metadata = Dict{};
  req_.refusal.reset();
  req_.close_after_reply = false;
  started_ = false;
  metadata_bytes_ = 0;
  announced_ = skip_;
  req_.info = nullptr;
  step_ = skip_ > 0 ? Step::skip : metadata_ ? Step::metadata : Step::argc;
  dict_.reset();
}

Request RequestDecoder::take() {
  Request r = std::move(req_);
  req_ = Request{};
  next();
  return r;
}

void RequestDecoder::next() {
  state_ = State::reading;
  start_request();
  if (last_request_) fail("the request before could not be framed; the connection closes after its reply");
}

Arg& RequestDecoder::new_arg() {
  Arg& a = req_.args.emplace_back();
  if (!spare_.empty()) {
    a.bytes = std::move(spare_.back());
    spare_.pop_back();
  }
  return a;
}

void RequestDecoder::fail(std::string why) {
  state_ = State::failed;
  error_ = std::move(why);
  sink_.reset();  // discards any partly spooled argument
}

void RequestDecoder::refuse_current(std::string reason) {
  if (!req_.refusal) req_.refusal = std::move(reason);
  if (!req_.args.empty()) {
    std::string().swap(req_.args.back().bytes);  // give the memory back
  }
  if (step_ == Step::arg_bytes) step_ = Step::arg_discard;
}

bool RequestDecoder::gather(std::string_view& data, std::size_t& used, std::size_t n) {
  std::size_t take = std::min(n - field_.size(), data.size());
  field_.append(data.data(), take);
  data.remove_prefix(take);
  used += take;
  return field_.size() == n;
}

void RequestDecoder::refuse_now(std::string reason, std::uint64_t rest, bool close) {
  if (!req_.refusal) req_.refusal = std::move(reason);
  new_arg();  // an empty stand-in: the request keeps its shape
  remaining_ = 0;
  state_ = State::ready;
  if (close) req_.close_after_reply = last_request_ = true;
  else skip_ = rest;
}

void RequestDecoder::begin_arg(std::uint64_t len) {
  remaining_ = len;
  arg_len_ = len;
  announced_ += len;
  const std::size_t index = req_.args.size();
  const bool last = static_cast<std::int64_t>(index) + 1 == argc_;
  const ArgKind kind = index == 0 ? ArgKind::verb : arg_kind(req_.info, index);
  if (kind != ArgKind::value && len > limits_.max_field_size) {
    std::string why = "Argument " + std::to_string(index) + " of " + std::to_string(len) +
                      " bytes is longer than the " + std::to_string(limits_.max_field_size) +
                      " bytes a verb, name or field may have.";
    if (len > limits_.discard_limit) return refuse_now(std::move(why), 0, true);
    if (!req_.refusal) req_.refusal = std::move(why);
    new_arg();
    step_ = Step::arg_discard;
  } else if (kind == ArgKind::value && len > limits_.max_value_size) {
    std::string why = "Value of " + std::to_string(len) + " bytes exceeds this server's maximum value size of " +
                      std::to_string(limits_.max_value_size) + " bytes.";
    // Refused now; its bytes are then dropped as they come, unless there
    // are too many to be worth reading: then the connection closes after
    // the reply.  (A value that is not the last argument, in a request of
    // the wrong shape, is dropped in place before the request is answered.)
    if (len > limits_.discard_limit) return refuse_now(std::move(why), 0, true);
    if (last) return refuse_now(std::move(why), len, false);
    if (!req_.refusal) req_.refusal = std::move(why);
    new_arg();
    step_ = Step::arg_discard;
  } else if (std::optional<std::string> full; kind == ArgKind::value && admit_ && (full = admit_(len))) {
    // The server is full for now: refused at once, and the bytes dropped as
    // they come so the connection stays usable (the client could not know).
    if (last) return refuse_now(std::move(*full), len, false);
    if (!req_.refusal) req_.refusal = std::move(*full);
    new_arg();
    step_ = Step::arg_discard;
  } else if (kind == ArgKind::value && spool_ && len >= limits_.spool_threshold) {
    sink_ = spool_(len);
    new_arg();
    if (!sink_ && !req_.refusal) req_.refusal = "The server could not spool a value of " + std::to_string(len) + " bytes.";
    step_ = sink_ ? Step::arg_spool : Step::arg_discard;
  } else {
    new_arg();
    req_.args.back().bytes.reserve(static_cast<std::size_t>(std::min(len, kMaxReserve)));
    step_ = Step::arg_bytes;
  }
  if (len == 0) end_arg();
}

void RequestDecoder::end_arg() {
  if (req_.args.size() == 1) req_.info = find_verb(req_.args[0].view());
  if (step_ == Step::arg_spool) {
    BlobRef b = sink_->finish();
    sink_.reset();
    if (b) req_.args.back().blob = std::move(b);
    else if (!req_.refusal) req_.refusal = "The server could not spool a large value.";
  }
  if (static_cast<std::int64_t>(req_.args.size()) == argc_) state_ = State::ready;
  else step_ = Step::arg_len;
}

std::size_t RequestDecoder::feed(std::string_view data) {
  std::size_t used = 0;
  while (state_ == State::reading && !data.empty()) {
    if (step_ == Step::skip) {
      // The rest of a value refused before it arrived.
      auto take = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, data.size()));
      data.remove_prefix(take);
      used += take;
      skip_ -= take;
      if (skip_ == 0) step_ = metadata_ ? Step::metadata : Step::argc;
      continue;
    }
    started_ = true;
    switch (step_) {
      case Step::skip:
        break;
      case Step::metadata: {
        std::size_t n = dict_.feed(data);
        data.remove_prefix(n);
        used += n;
        metadata_bytes_ += n;
        if (dict_.state() == DictParser::State::failed) { fail("malformed metadata dictionary"); break; }
        // The format allows ~200 MB of metadata per request; nothing real
        // sends more than a few entries.
        if (metadata_bytes_ > limits_.max_metadata_bytes) {
          fail("request metadata exceeds " + std::to_string(limits_.max_metadata_bytes) + " bytes");
          break;
        }
        if (dict_.state() == DictParser::State::done) {
          req_.metadata = dict_.take();
          step_ = Step::argc;
        }
        break;
      }
      case Step::argc: {
        if (!gather(data, used, 4)) break;
        auto n = parse_int(field_);
        std::string field = std::exchange(field_, {});
        if (!n || *n < 0) {
          // No argument is known: answered with a short error, then closed.
          req_.refusal = "Argument count '" + field + "' is not a number from 0 to 9999.";
          req_.close_after_reply = last_request_ = true;
          state_ = State::ready;
          break;
        }
        argc_ = *n;
        if (argc_ == 0) {
          // Well framed but empty: answered with an error, then closed.
          req_.refusal = "Request has no arguments.";
          req_.close_after_reply = last_request_ = true;
          state_ = State::ready;
          break;
        }
        step_ = Step::arg_len;
        break;
      }
      case Step::arg_len: {
        if (!gather(data, used, 20)) break;
        std::string field = std::exchange(field_, {});
        auto n = parse_uint(field);
        if (!n) {
          // The stream cannot be followed past this field: refuse the
          // request (the client hears why), then close.
          refuse_now("Argument length '" + field + "' is not a number from 0 to 18446744073709551615.", 0, true);
          break;
        }
        begin_arg(*n);
        break;
      }
      case Step::arg_bytes:
      case Step::arg_spool:
      case Step::arg_discard: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
        std::string_view chunk = data.substr(0, take);
        if (step_ == Step::arg_bytes) {
          // Grow by 4x (capped at the announced length) rather than 2x: a
          // 1 MiB value then moves through 3 buffers, not 5.  Memory still
          // follows the bytes received, never the length field alone.
          std::string& b = req_.args.back().bytes;
          try {
            if (b.size() + chunk.size() > b.capacity())
              b.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(
                  arg_len_, std::max<std::uint64_t>(b.capacity() * 4, b.size() + chunk.size()))));
            b.append(chunk);
          } catch (const std::bad_alloc&) {
            // The server cannot hold this argument: refused, the rest of it
            // dropped as it comes, and the stream stays in step.
            refuse_current("The server ran out of memory receiving this request; it was not carried out.");
          }
        }
        else if (step_ == Step::arg_spool && !sink_->write(chunk)) {
          sink_.reset();
          if (!req_.refusal) req_.refusal = "The server could not spool a large value.";
          step_ = Step::arg_discard;
        }
        data.remove_prefix(take);
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) end_arg();
        break;
      }
    }
  }
  return used;
}

}  // namespace nws::proto
