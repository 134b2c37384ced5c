#include "protocol/dict.hpp"

#include "protocol/fields.hpp"

namespace nws::proto {

void Dict::set(std::string key, std::string value) {
  for (auto& e : entries_)
    if (e.first == key) { e.second = std::move(value); return; }
  entries_.emplace_back(std::move(key), std::move(value));
}

std::optional<std::string_view> Dict::get(std::string_view key) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if (it->first == key) return std::string_view(it->second);
  return std::nullopt;
}

bool Dict::encode(std::string& out) const {
  if (entries_.size() > kDictFieldMax) return false;
  for (const auto& [k, v] : entries_)
    if (k.size() > kDictFieldMax || v.size() > kDictFieldMax) return false;
  append_n4(out, static_cast<std::int64_t>(entries_.size()));
  for (const auto& [k, v] : entries_) {
    append_n4(out, static_cast<std::int64_t>(k.size()));
    out += k;
    append_n4(out, static_cast<std::int64_t>(v.size()));
    out += v;
  }
  return true;
}

bool Dict::operator==(const Dict& o) const {
  // Order-insensitive comparison of the resolved maps.
  auto covers = [](const Dict& a, const Dict& b) {
    for (const auto& [k, v] : a.entries_)
      if (b.get(k) != std::optional<std::string_view>(*a.get(k))) return false;
    return true;
  };
  return covers(*this, o) && covers(o, *this);
}

// Gathers exactly n bytes into field_ across calls; true when complete.
bool DictParser::need(std::string_view& data, std::size_t& used, std::size_t n) {
  std::size_t take = std::min(n - field_.size(), data.size());
  field_.append(data.data(), take);
  data.remove_prefix(take);
  used += take;
  return field_.size() == n;
}

std::size_t DictParser::feed(std::string_view data) {
  std::size_t used = 0;
  while (state_ == State::reading) {
    if (!need(data, used, want_)) return used;
    std::string field = std::exchange(field_, {});
    switch (step_) {
      case Step::count:
      case Step::key_len:
      case Step::value_len: {
        auto n = parse_int(field);
        if (!n || *n < 0) { state_ = State::failed; return used; }
        if (step_ == Step::count) {
          remaining_ = static_cast<long>(*n);
          if (remaining_ == 0) { state_ = State::done; return used; }
          step_ = Step::key_len;
          want_ = 4;
        } else {
          step_ = step_ == Step::key_len ? Step::key : Step::value;
          want_ = static_cast<std::size_t>(*n);
          if (want_ == 0) continue;  // empty field: nothing to gather
        }
        break;
      }
      case Step::key:
        key_ = std::move(field);
        step_ = Step::value_len;
        want_ = 4;
        break;
      case Step::value:
        dict_.set(std::move(key_), std::move(field));
        if (--remaining_ == 0) { state_ = State::done; return used; }
        step_ = Step::key_len;
        want_ = 4;
        break;
    }
  }
  return used;
}

}  // namespace nws::proto
