#include "protocol/fields.hpp"

#include <charconv>
#include <cstdint>

namespace nws::proto {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Splits off an optional sign; returns false if nothing but digits remain.
bool split_sign(std::string_view& s, bool& negative) {
  negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// '%0*d' by hand: every reply has two to four of these fields, and printf's
// format parsing was a fifth of the server's instructions per request.
void append_padded(std::string& out, std::uint64_t magnitude, bool negative, int width) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  int pad = width - n - (negative ? 1 : 0);
  if (negative) out += '-';
  if (pad > 0) out.append(static_cast<std::size_t>(pad), '0');
  while (n > 0) out += digits[--n];
}

// The common case of a numeric field: nothing but digits, no overflow.
// Fields are zero-padded to 20 digits; up to 19 significant ones cannot
// overflow 64 bits, so no check is needed in the loop.
bool parse_plain_digits(std::string_view s, std::uint64_t& v) {
  if (s.empty()) return false;
  std::size_t i = 0;
  while (i < s.size() && s[i] == '0') ++i;
  if (s.size() - i > 19) return false;
  std::uint64_t r = 0;
  for (; i < s.size(); ++i) {
    unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    r = r * 10 + d;
  }
  v = r;
  return true;
}

}  // namespace

std::optional<std::uint64_t> parse_uint(std::string_view field) {
  std::uint64_t fast;
  if (parse_plain_digits(field, fast)) return fast;
  std::string_view s = trim(field);
  bool negative;
  if (!split_sign(s, negative)) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  if (negative && v != 0) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int(std::string_view field) {
  std::uint64_t fast;
  if (parse_plain_digits(field, fast) && fast <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(fast);
  std::string_view s = trim(field);
  bool negative;
  if (!split_sign(s, negative)) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  if (negative) {
    if (v > static_cast<std::uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<std::int64_t>(0 - v);
  }
  if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

void append_n4(std::string& out, std::int64_t n) {
  append_padded(out, n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n), n < 0, 4);
}
void append_n20(std::string& out, std::int64_t n) {
  append_padded(out, n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n), n < 0, 20);
}
void append_n20u(std::string& out, std::uint64_t n) { append_padded(out, n, false, 20); }

void append_id20(std::string& out, std::string_view id) {
  if (id.size() > 20) id = id.substr(0, 20);
  out.append(id);
  out.append(20 - id.size(), ' ');
}

std::string n4(std::int64_t n) { std::string s; append_n4(s, n); return s; }
std::string n20(std::int64_t n) { std::string s; append_n20(s, n); return s; }

}  // namespace nws::proto
