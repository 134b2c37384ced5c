// libFuzzer target for the protocol decoders (request, handshake, reply).
//
// Every input is checked against a plain whole-buffer reference parser
// written below: the incremental decoders, fed the same bytes in arbitrary
// pieces, must deliver exactly what the reference finds, consume exactly the
// bytes it says, and never take a byte once they failed.
//
// Input layout (see docs/fuzzing.md):
//   byte 0  options
//           bits 0-1  target: 0 or 1 = request decoder, 2 = server handshake
//                     followed by the request decoder, 3 = reply decoder
//           bit 2     metadata (MetadataToServer / MetadataFromServer)
//           requests: bit 3 = spool values of >= 8 bytes to an in-memory sink,
//                     bit 4 = small limits: values of at most 16 bytes,
//                     other arguments of at most 12, refused ones over 40
//                     bytes not read (the connection closes),
//                     bits 5-6 = sink fault: 0 none, 1 factory gives no sink,
//                     2 writes fail past 64 bytes, 3 finish() fails
//           replies:  bit 3 = no-cookie format, bit 4 = long replies (else
//                     short), bit 5 = value sink that stops keeping after 10
//                     bytes
//   byte 1  n = byte % 8: how many piece-size bytes follow (0 = feed all at
//           once); the sizes are used in turn, over and over; a size of 0
//           feeds an empty piece
//   rest    the byte stream
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dict.hpp"
#include "protocol/fields.hpp"
#include "protocol/handshake.hpp"
#include "protocol/reply_decoder.hpp"
#include "protocol/request_decoder.hpp"
#include "protocol/verbs.hpp"

namespace {

using namespace nws::proto;

#define FUZZ_CHECK(cond)                                                                     \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);     \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

constexpr std::uint64_t kSpoolThreshold = 8;
constexpr std::uint64_t kSmallMaxValueSize = 16;
constexpr std::uint64_t kSmallMaxFieldSize = 12;
constexpr std::uint64_t kSmallDiscardLimit = 40;
constexpr std::size_t kSinkWriteLimit = 64;
constexpr std::size_t kValueSinkKeep = 10;

enum class SinkFault { none, no_sink, write_fails, finish_fails };

struct Options {
  int target = 0;  // 0 requests, 1 handshake then requests, 2 replies
  bool metadata = false;
  // requests
  bool spool = false;
  bool small_max = false;
  SinkFault fault = SinkFault::none;
  // replies
  bool cookie = true;
  bool long_reply = false;
  bool value_sink = false;
};

Options options_from(std::uint8_t b) {
  Options o;
  int t = b & 3;
  o.target = t <= 1 ? 0 : t - 1;
  o.metadata = b & 4;
  o.spool = b & 8;
  o.small_max = b & 16;
  o.fault = static_cast<SinkFault>((b >> 5) & 3);
  o.cookie = !(b & 8);
  o.long_reply = b & 16;
  o.value_sink = b & 32;
  return o;
}

// ---------------------------------------------------------------------------
// Pieces: the ends of the pieces the stream is fed in, ascending (a repeated
// end is an empty piece).  Phases share one Feeder, so the leftover of a
// piece goes to the next decoder as the server's connection does it.

class Feeder {
 public:
  Feeder(std::string_view stream, std::vector<std::size_t> ends) : stream_(stream), ends_(std::move(ends)) {}
  bool at_end() const { return pos_ == stream_.size() && i_ >= ends_.size(); }
  std::size_t pos() const { return pos_; }
  // The current piece (possibly empty).
  std::string_view piece() const {
    std::size_t end = i_ < ends_.size() ? ends_[i_] : stream_.size();
    return stream_.substr(pos_, end > pos_ ? end - pos_ : 0);
  }
  // Records that `used` bytes of the current piece were taken.
  void advance(std::size_t used) {
    FUZZ_CHECK(used <= piece().size());
    pos_ += used;
    if (i_ < ends_.size() && pos_ >= ends_[i_]) ++i_;
  }
  // Drops the rest of the current piece (the decoder will take no more).
  void next_piece() {
    if (i_ < ends_.size()) pos_ = std::max(pos_, ends_[i_++]);
    else pos_ = stream_.size();
  }
  // Bytes that follow, for checking that an ended decoder takes nothing.
  std::string_view probe() const {
    std::string_view rest = stream_.substr(pos_);
    return rest.empty() ? std::string_view("0000") : rest;
  }

 private:
  std::string_view stream_;
  std::vector<std::size_t> ends_;
  std::size_t pos_ = 0;
  std::size_t i_ = 0;
};

std::vector<std::size_t> piece_ends(const std::vector<std::uint8_t>& sizes, std::size_t total) {
  std::vector<std::size_t> ends;
  bool any = false;
  for (auto s : sizes) any = any || s != 0;
  if (!any) return ends;
  std::size_t at = 0;
  for (std::size_t i = 0; at < total; ++i) {
    at = std::min(total, at + sizes[i % sizes.size()]);
    ends.push_back(at);
  }
  return ends;
}

// ---------------------------------------------------------------------------
// Reference parser: whole buffer, no state machine.

enum class Parse { ok, incomplete, failed };

struct Cursor {
  std::string_view s;
  std::size_t pos = 0;
  std::size_t left() const { return s.size() - pos; }
  bool take(std::uint64_t n, std::string_view& out) {
    if (left() < n) return false;
    out = s.substr(pos, static_cast<std::size_t>(n));
    pos += static_cast<std::size_t>(n);
    return true;
  }
};

// A 4-byte count or length field of a dict or an argc.
Parse count_field(Cursor& c, std::int64_t& n) {
  std::string_view f;
  if (!c.take(4, f)) return Parse::incomplete;
  auto v = parse_int(f);
  if (!v || *v < 0) return Parse::failed;
  n = *v;
  return Parse::ok;
}

// The reference keeps its own map (last duplicate wins) rather than a Dict,
// so a bug in Dict cannot hide on both sides.
using RefDict = std::map<std::string, std::string, std::less<>>;

bool same(const Dict& d, const RefDict& want) {
  if (d.size() != want.size()) return false;
  for (const auto& [k, v] : want)
    if (d.get(k) != std::optional<std::string_view>(v)) return false;
  return true;
}

Parse ref_dict(Cursor& c, RefDict& d) {
  std::int64_t count = 0;
  if (auto p = count_field(c, count); p != Parse::ok) return p;
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t klen = 0, vlen = 0;
    std::string_view key, value;
    if (auto p = count_field(c, klen); p != Parse::ok) return p;
    if (!c.take(static_cast<std::uint64_t>(klen), key)) return Parse::incomplete;
    if (auto p = count_field(c, vlen); p != Parse::ok) return p;
    if (!c.take(static_cast<std::uint64_t>(vlen), value)) return Parse::incomplete;
    d[std::string(key)] = std::string(value);
  }
  return Parse::ok;
}

struct ExpectedArg {
  std::string_view bytes;
  bool spooled = false;
  bool dropped = false;  // over the limit or lost by a failing sink: empty
};

struct ExpectedRequest {
  RefDict metadata;
  std::vector<ExpectedArg> args;
  bool refused = false;
  bool close = false;       // the decoder stays failed after it (terminal)
  std::uint64_t skip = 0;   // bytes of a refused value dropped after delivery
};

DecoderLimits limits_for(const Options& o) {
  DecoderLimits limits;
  limits.spool_threshold = kSpoolThreshold;
  if (o.small_max) {
    limits.max_value_size = kSmallMaxValueSize;
    limits.max_field_size = kSmallMaxFieldSize;
    limits.discard_limit = kSmallDiscardLimit;
  }
  return limits;
}

// One request as the decoder delivers it (docs/limits.md): a store's value
// over the limit, or a bad field, is refused when its length is read.
Parse ref_request(Cursor& c, const Options& o, bool metadata, ExpectedRequest& r) {
  const DecoderLimits limits = limits_for(o);
  if (metadata) {
    if (auto p = ref_dict(c, r.metadata); p != Parse::ok) return p;
  }
  std::string_view f;
  if (!c.take(4, f)) return Parse::incomplete;
  auto argc = parse_int(f);
  if (!argc || *argc <= 0) {  // not a count, or no arguments: refused, then the close
    r.refused = r.close = true;
    return Parse::ok;
  }
  const VerbInfo* verb = nullptr;
  for (std::int64_t i = 0; i < *argc; ++i) {
    if (!c.take(20, f)) return Parse::incomplete;
    auto len = parse_uint(f);
    ExpectedArg a;
    a.dropped = true;  // until its bytes are kept
    if (!len) {
      r.args.push_back(a);
      r.refused = r.close = true;
      return Parse::ok;
    }
    const ArgKind kind = i == 0 ? ArgKind::verb : arg_kind(verb, static_cast<std::size_t>(i));
    const bool last = i + 1 == *argc;
    const bool value = kind == ArgKind::value;
    if ((!value && *len > limits.max_field_size) || (value && *len > limits.max_value_size)) {
      r.refused = true;
      if (*len > limits.discard_limit) {  // not read: the connection closes
        r.args.push_back(a);
        r.close = true;
        return Parse::ok;
      }
      if (value && last) {  // delivered at once; its bytes dropped afterwards
        r.args.push_back(a);
        r.skip = *len;
        return Parse::ok;
      }
      if (!c.take(*len, a.bytes)) return Parse::incomplete;  // read and dropped in place
    } else {
      if (!c.take(*len, a.bytes)) return Parse::incomplete;
      a.dropped = false;
      if (value && o.spool && *len >= kSpoolThreshold) {
        a.spooled = true;
        a.dropped = o.fault == SinkFault::no_sink || o.fault == SinkFault::finish_fails ||
                    (o.fault == SinkFault::write_fails && *len > kSinkWriteLimit);
      }
    }
    if (i == 0) verb = find_verb(a.dropped ? std::string_view() : a.bytes);
    r.refused = r.refused || a.dropped;
    r.args.push_back(a);
  }
  return Parse::ok;
}

// ---------------------------------------------------------------------------
// Request decoder.

int g_live_sinks = 0;

class MemorySink : public ArgSink {
 public:
  MemorySink(std::uint64_t announced, SinkFault fault) : announced_(announced), fault_(fault) { ++g_live_sinks; }
  ~MemorySink() override { --g_live_sinks; }
  bool write(std::string_view bytes) override {
    FUZZ_CHECK(!finished_ && !failed_);
    FUZZ_CHECK(bytes_.size() + bytes.size() <= announced_);
    if (fault_ == SinkFault::write_fails && bytes_.size() + bytes.size() > kSinkWriteLimit) {
      failed_ = true;
      return false;
    }
    bytes_.append(bytes);
    return true;
  }
  BlobRef finish() override {
    FUZZ_CHECK(!finished_ && !failed_);
    FUZZ_CHECK(bytes_.size() == announced_);
    finished_ = true;
    return fault_ == SinkFault::finish_fails ? BlobRef{} : Blob::copy_of(bytes_);
  }

 private:
  std::uint64_t announced_;
  SinkFault fault_;
  std::string bytes_;
  bool finished_ = false;
  bool failed_ = false;
};

void check_request(const Request& r, const ExpectedRequest& e) {
  FUZZ_CHECK(!e.close || r.close_after_reply);
  FUZZ_CHECK(same(r.metadata, e.metadata));
  FUZZ_CHECK(r.args.size() == e.args.size());
  for (std::size_t i = 0; i < r.args.size(); ++i) {
    const ExpectedArg& a = e.args[i];
    if (a.dropped) FUZZ_CHECK(r.args[i].size() == 0);
    else FUZZ_CHECK(r.args[i].view() == a.bytes);
    FUZZ_CHECK(static_cast<bool>(r.args[i].blob) == (a.spooled && !a.dropped));
  }
  FUZZ_CHECK(r.refusal.has_value() == e.refused);
  if (r.refusal) FUZZ_CHECK(!r.refusal->empty());
  FUZZ_CHECK(r.close_after_reply == e.close);
}

void run_requests(std::string_view stream, Feeder& feeder, const Options& o, bool metadata) {
  // What the decoder must find in the rest of the stream.  `closed`: a
  // request the stream cannot be followed past ends it (the decoder stays
  // failed after delivering it).
  Cursor c{stream.substr(feeder.pos())};
  std::vector<ExpectedRequest> expected;
  Parse end = Parse::ok;
  bool closed = false;
  while (c.left() > 0) {
    ExpectedRequest r;
    end = ref_request(c, o, metadata, r);
    if (end != Parse::ok) break;
    expected.push_back(r);
    if (r.close) {
      closed = true;
      break;
    }
    if (r.skip > 0) {
      if (c.left() < r.skip) {  // the refused value's bytes are still coming
        end = Parse::incomplete;
        break;
      }
      c.pos += static_cast<std::size_t>(r.skip);
    }
  }
  const std::size_t expected_end = feeder.pos() + (end == Parse::incomplete ? c.s.size() : c.pos);

  {
    const DecoderLimits limits = limits_for(o);
    ArgSinkFactory factory;
    if (o.spool) {
      factory = [fault = o.fault](std::uint64_t len) -> std::unique_ptr<ArgSink> {
        FUZZ_CHECK(len >= kSpoolThreshold);
        if (fault == SinkFault::no_sink) return nullptr;
        return std::make_unique<MemorySink>(len, fault);
      };
    }
    RequestDecoder dec(limits, factory);
    dec.set_metadata(metadata);
    std::size_t got = 0;
    while (!feeder.at_end()) {
      std::string_view piece = feeder.piece();
      std::size_t used = dec.feed(piece);
      FUZZ_CHECK(used <= piece.size());
      feeder.advance(used);
      if (dec.state() == RequestDecoder::State::ready) {
        FUZZ_CHECK(dec.feed(feeder.probe()) == 0);  // one request at a time
        FUZZ_CHECK(got < expected.size());
        const ExpectedRequest& e = expected[got++];
        check_request(dec.take(), e);
        if (e.close) FUZZ_CHECK(dec.state() == RequestDecoder::State::failed);
        else FUZZ_CHECK(dec.state() == RequestDecoder::State::reading && dec.mid_request() == (e.skip > 0));
        continue;
      }
      if (dec.state() == RequestDecoder::State::failed) {
        FUZZ_CHECK(end == Parse::failed || closed);
        FUZZ_CHECK(!dec.error().empty());
        FUZZ_CHECK(dec.feed(feeder.probe()) == 0);  // no progress after failure
        FUZZ_CHECK(dec.state() == RequestDecoder::State::failed);
        break;
      }
      // Reading: it must have wanted every byte it was given.
      FUZZ_CHECK(used == piece.size());
    }
    FUZZ_CHECK(got == expected.size());
    FUZZ_CHECK(feeder.pos() == expected_end);
    if (dec.state() != RequestDecoder::State::failed) {
      FUZZ_CHECK(end != Parse::failed && !closed);
      FUZZ_CHECK(dec.mid_request() == (end == Parse::incomplete));
    }
  }
  FUZZ_CHECK(g_live_sinks == 0);  // every sink went with its request or decoder
}

// ---------------------------------------------------------------------------
// Handshake, then requests with what it negotiated.

Dict advertised() {
  return Dict{{std::string(kMetadataToServer), ""}, {std::string(kMetadataFromServer), ""},
              {std::string(kKillServerOnClose), ""}, {std::string(kNwsCancel), ""},
              {std::string(kNwsWebPort), "8766"}, {std::string(kSsl), ""},
              {std::string(kNwsAuth), "SCRAM-SHA-256 token"}};
}

void run_handshake(std::string_view stream, Feeder& feeder, const Options& o) {
  const Dict offer = advertised();
  std::string advert = "P000";
  offer.encode(advert);
  ServerHandshake hs(offer);
  std::string out;
  while (!feeder.at_end() && hs.state() == ServerHandshake::State::reading) {
    std::string_view piece = feeder.piece();
    std::size_t used = hs.feed(piece, out);
    FUZZ_CHECK(used <= piece.size());
    feeder.advance(used);
    if (hs.state() == ServerHandshake::State::reading) FUZZ_CHECK(used == piece.size());
  }
  const Negotiated& n = hs.result();
  switch (hs.state()) {
    case ServerHandshake::State::reading:
      FUZZ_CHECK(out.empty() || out == advert);
      return;
    case ServerHandshake::State::failed:
      FUZZ_CHECK(out == advert || out == advert + "F000");
      FUZZ_CHECK(!hs.error().empty());
      break;
    case ServerHandshake::State::done:
      if (stream[0] != 'X') {
        FUZZ_CHECK(out == "2223" && feeder.pos() == 4 && !n.new_style);
        std::string_view g = stream.substr(0, 4);
        FUZZ_CHECK(n.cookie == (g != "0000" && g != "1111"));
        FUZZ_CHECK(!n.metadata_in && !n.metadata_out && !n.cancel);
      } else {
        FUZZ_CHECK(out == advert + "A000" && n.new_style && n.cookie);
      }
      break;
  }
  std::string more;
  FUZZ_CHECK(hs.feed(feeder.probe(), more) == 0 && more.empty());
  if (hs.state() == ServerHandshake::State::done) run_requests(stream, feeder, o, n.metadata_in);
}

// ---------------------------------------------------------------------------
// Replies: one decoder per reply, back to back, as the client reads them.

Parse ref_reply(Cursor& c, const Options& o, ReplyHead& h, RefDict& metadata, std::string_view& value) {
  if (o.metadata) {
    if (auto p = ref_dict(c, metadata); p != Parse::ok) return p;
  }
  std::string_view f;
  if (!c.take(4, f)) return Parse::incomplete;
  auto status = parse_int(f);
  if (!status) return Parse::failed;
  h.status = static_cast<int>(*status);
  if (!o.long_reply) return Parse::ok;
  if (!c.take(20, f)) return Parse::incomplete;
  auto du = parse_uint(f);
  auto ds = parse_int(f);
  if (!du && !ds) return Parse::failed;
  h.descriptor = du ? *du : static_cast<std::uint64_t>(*ds);
  if (o.cookie) {
    if (!c.take(20, f)) return Parse::incomplete;
    h.var_id = std::string(f);
    if (!c.take(20, f)) return Parse::incomplete;
    auto index = parse_int(f);
    if (!index) return Parse::failed;
    h.index = *index;
  }
  if (!c.take(20, f)) return Parse::incomplete;
  auto len = parse_uint(f);
  if (!len) return Parse::failed;
  h.length = *len;
  if (!c.take(*len, value)) return Parse::incomplete;
  return Parse::ok;
}

void run_replies(std::string_view stream, Feeder& feeder, const Options& o) {
  const ReplyFormat fmt{o.cookie, o.metadata};
  const auto kind = o.long_reply ? ReplyDecoder::Kind::long_reply : ReplyDecoder::Kind::short_reply;
  while (!feeder.at_end()) {
    Cursor c{stream.substr(feeder.pos())};
    ReplyHead want;
    RefDict want_metadata;
    std::string_view want_value;
    const Parse end = ref_reply(c, o, want, want_metadata, want_value);
    const std::size_t expected_end = feeder.pos() + (end == Parse::incomplete ? c.s.size() : c.pos);

    std::string kept;
    bool stopped = false;
    ReplyDecoder::ValueSink sink;
    if (o.value_sink) {
      sink = [&](std::string_view chunk) {
        FUZZ_CHECK(!stopped);
        kept.append(chunk);
        stopped = kept.size() >= kValueSinkKeep;
        return !stopped;
      };
    }
    ReplyDecoder dec(fmt, kind, sink);
    while (!feeder.at_end() && dec.state() == ReplyDecoder::State::reading) {
      std::string_view piece = feeder.piece();
      std::size_t used = dec.feed(piece);
      FUZZ_CHECK(used <= piece.size());
      feeder.advance(used);
      if (dec.state() == ReplyDecoder::State::reading) FUZZ_CHECK(used == piece.size());
    }
    FUZZ_CHECK(feeder.pos() == expected_end);
    if (dec.state() == ReplyDecoder::State::reading) {
      FUZZ_CHECK(end == Parse::incomplete);
      return;
    }
    FUZZ_CHECK(dec.feed(feeder.probe()) == 0);
    if (dec.state() == ReplyDecoder::State::failed) {
      FUZZ_CHECK(end == Parse::failed && !dec.error().empty());
      return;
    }
    FUZZ_CHECK(end == Parse::ok);
    const ReplyHead& h = dec.head();
    FUZZ_CHECK(h.status == want.status);
    FUZZ_CHECK(same(h.metadata, want_metadata));
    if (o.long_reply) {
      FUZZ_CHECK(h.descriptor == want.descriptor && h.length == want.length);
      if (o.cookie) FUZZ_CHECK(h.var_id == want.var_id && h.index == want.index);
      if (o.value_sink) {
        FUZZ_CHECK(dec.value().empty());
        FUZZ_CHECK(kept == want_value.substr(0, kept.size()));
        if (want_value.size() <= kValueSinkKeep) FUZZ_CHECK(kept == want_value);
      } else {
        FUZZ_CHECK(dec.value() == want_value);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Options o = options_from(data[0]);
  const std::size_t n_sizes = std::min<std::size_t>(data[1] % 8, size - 2);
  std::vector<std::uint8_t> sizes(data + 2, data + 2 + n_sizes);
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2 + n_sizes, size - 2 - n_sizes);
  Feeder feeder(stream, piece_ends(sizes, stream.size()));
  switch (o.target) {
    case 0: run_requests(stream, feeder, o, o.metadata); break;
    case 1: run_handshake(stream, feeder, o); break;
    default: run_replies(stream, feeder, o); break;
  }
  return 0;
}
