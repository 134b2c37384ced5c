#include "protocol/handshake.hpp"

#include <algorithm>

namespace nws::proto {

bool ServerHandshake::validate(const Dict& requested, std::string& why) const {
  for (const auto& [key, value] : requested.entries()) {
    auto offered = advertised_.get(key);
    if (!offered) { why = "option '" + key + "' is not offered by this server"; return false; }
    if (!offered->empty() && *offered != value && key != kNwsAuth) {
      why = "option '" + key + "' must be '" + std::string(*offered) + "'";
      return false;
    }
  }
  return true;
}

std::size_t ServerHandshake::feed(std::string_view data, std::string& out) {
  std::size_t used = 0;
  auto gather4 = [&]() {
    std::size_t take = std::min<std::size_t>(4 - field_.size(), data.size());
    field_.append(data.data(), take);
    data.remove_prefix(take);
    used += take;
    return field_.size() == 4;
  };
  while (state_ == State::reading && !data.empty()) {
    switch (step_) {
      case Step::greeting:
        if (!gather4()) break;
        result_.greeting = std::exchange(field_, {});
        if (result_.greeting[0] != 'X') {
          // Old style: no options; '0000'/'1111' clients predate the cookie.
          result_.cookie = !(result_.greeting == "0000" || result_.greeting == "1111");
          out += "2223";
          state_ = State::done;
          break;
        }
        result_.new_style = true;
        out += "P000";
        advertised_.encode(out);
        step_ = Step::request_tag;
        break;
      case Step::request_tag:
        if (!gather4()) break;
        if (field_ != "R000") {
          error_ = "expected 'R000' after the option advertisement, got '" + field_ + "'";
          state_ = State::failed;
          break;
        }
        field_.clear();
        step_ = Step::request_dict;
        break;
      case Step::request_dict: {
        std::size_t n = dict_.feed(data);
        data.remove_prefix(n);
        used += n;
        if (dict_.state() == DictParser::State::failed) {
          error_ = "malformed option request";
          out += "F000";
          state_ = State::failed;
          break;
        }
        if (dict_.state() != DictParser::State::done) break;
        Dict requested = dict_.take();
        if (!validate(requested, error_)) {
          out += "F000";
          state_ = State::failed;
          break;
        }
        // Only the exact value "1" switches an option on.
        auto on = [&](std::string_view key) { return requested.get(key) == std::optional<std::string_view>("1"); };
        result_.metadata_in = on(kMetadataToServer);
        result_.metadata_out = on(kMetadataFromServer);
        result_.kill_server_on_close = on(kKillServerOnClose);
        result_.cancel = on(kNwsCancel);
        result_.lease = on(kNwsLease);
        if (auto ssl = requested.get(kSsl)) result_.tls = *ssl != "0";
        result_.auth = requested.get(kNwsAuth).has_value();
        out += "A000";
        state_ = State::done;
        break;
      }
    }
  }
  return used;
}

}  // namespace nws::proto
