#include "blocking_targets.hpp"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "floor_wire.hpp"
#include "nws/client.hpp"
#include "nws_wire.hpp"
#include "resp.hpp"

namespace bench {

const char* target_name(Target t) {
  switch (t) {
    case Target::nws: return "nws";
    case Target::redis: return "redis";
    case Target::floor: return "floor";
  }
  return "?";
}

namespace {

// Values up to this size come back through the plain fetch() a user would
// call; larger ones through the streaming sink into a buffer kept between
// calls, because a fresh 1 MiB string costs about 1.2 ms in page faults here.
constexpr std::size_t kSinkAbove = 64 * 1024;

class NwsTarget : public BlockingTarget {
 public:
  NwsTarget(std::uint16_t port, std::size_t value_len)
      : ws_(kWorkspace, client_options(port)) {
    if (value_len > kSinkAbove) {
      into_.resize(value_len);
      std::memset(into_.data(), 0, into_.size());  // fault the pages in now, not while timing
      sink_ = [this](std::string_view chunk) {
        if (got_ + chunk.size() > into_.size()) into_.resize(got_ + chunk.size());
        std::memcpy(into_.data() + got_, chunk.data(), chunk.size());
        got_ += chunk.size();
      };
    }
  }

  void store(std::string_view var, std::string_view value) override {
    var_.assign(var);
    ws_.store(var_, nwsw::kDescriptor, value);
  }

  std::size_t fetch(std::string_view var) override {
    var_.assign(var);
    if (!sink_) return ws_.fetch(var_).bytes.size();
    got_ = 0;
    ws_.retrieve(nws::Retrieve::fetch, var_, nws::Wait{}, &sink_);
    return got_;
  }

 private:
  nws::Workspace ws_;
  std::string var_;  // reused: the client API takes const std::string&
  std::vector<char> into_;
  std::size_t got_ = 0;
  nws::ByteSink sink_;
};

class RedisTarget : public BlockingTarget {
 public:
  RedisTarget(std::uint16_t port, Pattern pattern) : conn_(port), pattern_(pattern) {}

  void store(std::string_view var, std::string_view value) override {
    conn_.send_with_value({"LPUSH", var}, value);
    conn_.read_reply();
  }

  std::size_t fetch(std::string_view var) override {
    if (pattern_ == Pattern::hand_off) conn_.send({"BRPOP", var, "0"});
    else conn_.send({"RPOP", var});
    return conn_.read_reply().last_bulk().size();
  }

 private:
  resp::Conn conn_;
  Pattern pattern_;
};

// Ping-pong: each call is one message out and one reply back, sized as the
// NWS request and reply.  Hand-off: the same eight messages per round trip
// as NWS.  A store relays a message the size of the NWS fetch reply to the
// partner connection and has the short reply sent back to itself; a fetch
// sends a message the size of the fetch request that asks for nothing, and
// waits for the partner's relay (see bench/README.md, "the floor").
class FloorTarget : public BlockingTarget {
 public:
  FloorTarget(std::uint16_t port, Pattern pattern, std::size_t value_len)
      : conn_(port), pattern_(pattern), value_len_(value_len),
        short_reply_(nwsw::short_reply_size()), long_reply_(nwsw::long_reply_size(value_len)) {
    pad_.assign(nwsw::store_request_size(kWorkspace, std::string(64, 'v'), value_len), '\0');
  }

  void store(std::string_view var, std::string_view) override {
    std::size_t total = sizes_for(var).store_request;
    if (pattern_ == Pattern::hand_off)
      conn_.send(total, short_reply_, floor::Route::partner_and_sender, pad_, long_reply_);
    else
      conn_.send(total, short_reply_, floor::Route::sender, pad_);
    conn_.receive(short_reply_);
  }

  std::size_t fetch(std::string_view var) override {
    if (pattern_ == Pattern::ping_pong)
      conn_.send(sizes_for(var).fetch_request, long_reply_, floor::Route::sender, pad_);
    else
      conn_.send(sizes_for(var).fetch_request, 0, floor::Route::sender, pad_);
    conn_.receive(long_reply_);
    return value_len_;
  }

 private:
  struct Sizes {
    std::string var;
    std::size_t store_request = 0;
    std::size_t fetch_request = 0;
  };
  // The NWS request sizes for `var`, computed once per name (a run uses one or two).
  const Sizes& sizes_for(std::string_view var) {
    for (const Sizes& s : sizes_)
      if (s.var == var) return s;
    sizes_.push_back({std::string(var), nwsw::store_request_size(kWorkspace, var, value_len_),
                      nwsw::fetch_request_size(kWorkspace, var)});
    return sizes_.back();
  }

  floor::Conn conn_;
  Pattern pattern_;
  std::size_t value_len_;
  std::size_t short_reply_;
  std::size_t long_reply_;
  std::string pad_;  // message payload; its content does not matter
  std::vector<Sizes> sizes_;
};

}  // namespace

std::unique_ptr<BlockingTarget> make_blocking_target(Target t, std::uint16_t port, Pattern pattern,
                                                     std::size_t value_len) {
  switch (t) {
    case Target::nws: return std::make_unique<NwsTarget>(port, value_len);
    case Target::redis: return std::make_unique<RedisTarget>(port, pattern);
    case Target::floor: return std::make_unique<FloorTarget>(port, pattern, value_len);
  }
  throw std::invalid_argument("unknown target");
}

}  // namespace bench
