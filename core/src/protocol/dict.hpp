// The string-to-string map used for options and metadata (PROTOCOL.md §2.1).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nws::proto {

// A dict's count and each key and value are framed in 4 decimal digits
// (PROTOCOL.md §2.1), so none can exceed this.
inline constexpr std::size_t kDictFieldMax = 9999;

// Insertion-ordered; duplicate keys resolve to the last one, as the original
// reader did.  Small: metadata maps hold a handful of entries.
class Dict {
 public:
  using Entry = std::pair<std::string, std::string>;

  Dict() = default;
  Dict(std::initializer_list<Entry> entries) : entries_(entries) {}

  void set(std::string key, std::string value);
  std::optional<std::string_view> get(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const std::vector<Entry>& entries() const { return entries_; }

  // N4(count) + { N4(len key) + key + N4(len value) + value }.  More than
  // kDictFieldMax entries, or longer ones, cannot be framed; encode() refuses them (returns false).
  bool encode(std::string& out) const;
  bool operator==(const Dict& o) const;

 private:
  std::vector<Entry> entries_;
};

// Incremental reader of one encoded Dict.  Never buffers more than one
// entry field (kDictFieldMax bytes) at a time.
class DictParser {
 public:
  enum class State { reading, done, failed };
  // Consumes bytes; returns how many were used.  Stops at the end of the dict.
  std::size_t feed(std::string_view data);
  State state() const { return state_; }
  Dict take() { Dict d = std::move(dict_); *this = DictParser(); return d; }
  void reset() { *this = DictParser(); }

 private:
  enum class Step { count, key_len, key, value_len, value };
  bool need(std::string_view& data, std::size_t& used, std::size_t n);
  State state_ = State::reading;
  Step step_ = Step::count;
  std::string field_;
  std::size_t want_ = 4;
  long remaining_ = 0;
  std::string key_;
  Dict dict_;
};

}  // namespace nws::proto
