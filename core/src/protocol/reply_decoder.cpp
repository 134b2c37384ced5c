#include "protocol/reply_decoder.hpp"

#include <algorithm>

#include "protocol/fields.hpp"

namespace nws::proto {
namespace {
// The client trusts its server more than the server trusts clients, but a
// corrupt length still must not allocate gigabytes before any byte arrives.
constexpr std::uint64_t kMaxReserve = 256u << 20;
}  // namespace

ReplyDecoder::ReplyDecoder(ReplyFormat fmt, Kind kind, ValueSink sink)
    : fmt_(fmt), kind_(kind), sink_(std::move(sink)), step_(fmt.metadata ? Step::metadata : Step::status) {}

bool ReplyDecoder::gather(std::string_view& data, std::size_t& used, std::size_t n) {
  std::size_t take = std::min(n - field_.size(), data.size());
  field_.append(data.data(), take);
  data.remove_prefix(take);
  used += take;
  return field_.size() == n;
}

std::size_t ReplyDecoder::feed(std::string_view data) {
  std::size_t used = 0;
  auto bad = [&](const char* what) {
    error_ = std::string("malformed reply from server: bad ") + what + " field '" + field_ + "'";
    state_ = State::failed;
  };
  while (state_ == State::reading && (!data.empty() || (step_ == Step::value && remaining_ == 0))) {
    switch (step_) {
      case Step::metadata: {
        std::size_t n = dict_.feed(data);
        data.remove_prefix(n);
        used += n;
        if (dict_.state() == DictParser::State::failed) { error_ = "malformed reply metadata"; state_ = State::failed; }
        else if (dict_.state() == DictParser::State::done) { head_.metadata = dict_.take(); step_ = Step::status; }
        break;
      }
      case Step::status: {
        if (!gather(data, used, 4)) break;
        auto s = parse_int(field_);
        if (!s) { bad("status"); break; }
        head_.status = static_cast<int>(*s);
        field_.clear();
        if (kind_ == Kind::short_reply) state_ = State::done;
        else step_ = Step::descriptor;
        break;
      }
      case Step::descriptor: {
        if (!gather(data, used, 20)) break;
        // Our server writes descriptors unsigned (up to 2^64-1); the original
        // printed them signed, so a negative one is read as its bit pattern.
        auto u = parse_uint(field_);
        auto d = u ? std::optional<std::int64_t>() : parse_int(field_);
        if (!u && !d) { bad("descriptor"); break; }
        head_.descriptor = u ? *u : static_cast<std::uint64_t>(*d);
        field_.clear();
        step_ = fmt_.cookie ? Step::var_id : Step::length;
        break;
      }
      case Step::var_id:
        if (!gather(data, used, 20)) break;
        head_.var_id = std::exchange(field_, {});
        step_ = Step::index;
        break;
      case Step::index: {
        if (!gather(data, used, 20)) break;
        auto i = parse_int(field_);
        if (!i) { bad("index"); break; }
        head_.index = *i;
        field_.clear();
        step_ = Step::length;
        break;
      }
      case Step::length: {
        if (!gather(data, used, 20)) break;
        auto l = parse_uint(field_);
        if (!l) { bad("length"); break; }
        head_.length = remaining_ = *l;
        field_.clear();
        if (!sink_) value_.reserve(static_cast<std::size_t>(std::min(remaining_, kMaxReserve)));
        step_ = Step::value;
        break;
      }
      case Step::value: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
        if (take) {
          std::string_view chunk = data.substr(0, take);
          if (sink_) {
            if (!sink_(chunk)) sink_ = [](std::string_view) { return true; };
          } else {
            value_.append(chunk);
          }
          data.remove_prefix(take);
          used += take;
          remaining_ -= take;
        }
        if (remaining_ == 0) state_ = State::done;
        break;
      }
    }
  }
  return used;
}

}  // namespace nws::proto
