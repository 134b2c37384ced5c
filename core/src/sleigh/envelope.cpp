// Task and result envelopes, the layout's names, function ids, chunk sizes.
//
// An envelope is a fixed little-endian header followed by the host's bytes:
//
//   task:   "NWST" u8 version=1, u8 flags (bit 0 barrier, bit 1 barrier index,
//           bit 2 the payload is a file's path),
//           u16 0, i64 job, i64 tag, i64 count, u32 function id length,
//           function id, payload (the rest)
//   result: "NWSR" u8 version=1, u8 kind, u16 0, i64 job, i64 tag, i64 count,
//           i32 rank, u32 failed, f64 seconds, payload (the rest)
//
// The payload is last so that it is never copied to find its end.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "nws/sleigh.hpp"

namespace nws::sleigh {
namespace {

constexpr char kTaskMagic[4] = {'N', 'W', 'S', 'T'};
constexpr char kResultMagic[4] = {'N', 'W', 'S', 'R'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kTaskHead = 4 + 4 + 8 * 3 + 4;
constexpr std::size_t kResultHead = 4 + 4 + 8 * 3 + 4 + 4 + 8;

static_assert(std::endian::native == std::endian::little, "the envelopes are written in native little-endian order");

template <class T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

template <class T>
T get(std::string_view in, std::size_t& at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof(T));
  at += sizeof(T);
  return v;
}

[[noreturn]] void malformed(const char* what, std::string_view why) {
  throw Error(Errc::protocol, std::string("not a sleigh ") + what + " envelope: " + std::string(why));
}

void check_head(std::string_view in, const char (&magic)[4], std::size_t head, const char* what) {
  if (in.size() < head) malformed(what, "too short (" + std::to_string(in.size()) + " bytes)");
  if (std::memcmp(in.data(), magic, 4) != 0) malformed(what, "wrong magic");
  if (static_cast<std::uint8_t>(in[4]) != kVersion)
    malformed(what, "version " + std::to_string(static_cast<unsigned>(static_cast<std::uint8_t>(in[4]))));
}

}  // namespace

std::string worker_ws_name(std::string_view sleigh_ws, int rank) {
  return std::string(sleigh_ws) + "@worker" + std::to_string(rank);
}

std::string encode(const Task& t) {
  std::string out;
  out.reserve(kTaskHead + t.function.size() + t.payload.size());
  out.append(kTaskMagic, 4);
  put<std::uint8_t>(out, kVersion);
  put<std::uint8_t>(out, static_cast<std::uint8_t>((t.barrier ? 1 : 0) | (t.barrier_index ? 2 : 0) | (t.spilled ? 4 : 0)));
  put<std::uint16_t>(out, 0);
  put<std::int64_t>(out, t.job);
  put<std::int64_t>(out, t.tag);
  put<std::int64_t>(out, t.count);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(t.function.size()));
  out.append(t.function);
  out.append(t.payload);
  return out;
}

Task decode_task(std::string_view in) {
  check_head(in, kTaskMagic, kTaskHead, "task");
  std::size_t at = 5;
  Task t;
  const auto flags = get<std::uint8_t>(in, at);
  t.barrier = flags & 1;
  t.barrier_index = (flags & 2) ? 1 : 0;
  t.spilled = flags & 4;
  at += 2;
  t.job = get<std::int64_t>(in, at);
  t.tag = get<std::int64_t>(in, at);
  t.count = get<std::int64_t>(in, at);
  const auto flen = get<std::uint32_t>(in, at);
  if (flen > in.size() - at) malformed("task", "function id overruns the value");
  t.function = in.substr(at, flen);
  t.payload = in.substr(at + flen);
  if (t.count < 0 || t.tag < 0) malformed("task", "negative tag or count");
  return t;
}

std::string encode(const Result& r) {
  std::string out;
  out.reserve(kResultHead + r.payload.size());
  out.append(kResultMagic, 4);
  put<std::uint8_t>(out, kVersion);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(r.kind));
  put<std::uint16_t>(out, 0);
  put<std::int64_t>(out, r.job);
  put<std::int64_t>(out, r.tag);
  put<std::int64_t>(out, r.count);
  put<std::int32_t>(out, r.rank);
  put<std::uint32_t>(out, r.failed);
  put<double>(out, r.seconds);
  out.append(r.payload);
  return out;
}

Result decode_result(std::string_view in) {
  check_head(in, kResultMagic, kResultHead, "result");
  std::size_t at = 5;
  Result r;
  const auto kind = get<std::uint8_t>(in, at);
  if (kind < 1 || kind > 4) malformed("result", "unknown kind " + std::to_string(kind));
  r.kind = static_cast<ResultKind>(kind);
  at += 2;
  r.job = get<std::int64_t>(in, at);
  r.tag = get<std::int64_t>(in, at);
  r.count = get<std::int64_t>(in, at);
  r.rank = get<std::int32_t>(in, at);
  r.failed = get<std::uint32_t>(in, at);
  r.seconds = get<double>(in, at);
  r.payload = in.substr(at);
  return r;
}

std::string function_id(std::string_view bytes) {
  // Two independent 64-bit FNV-1a hashes and the length: ids of different
  // functions of one sleigh never meet in practice, and nothing is secret.
  std::uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (unsigned char c : bytes) {
    a = (a ^ c) * 0x100000001b3ull;
    b = (b ^ static_cast<unsigned char>(c + 0x5b)) * 0x100000001b3ull;
  }
  char out[64];
  std::snprintf(out, sizeof out, "%016llx%016llx-%zu", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b), bytes.size());
  return out;
}

std::int64_t chunk_size(std::int64_t elements, int workers, std::int64_t element_bytes, std::int64_t max_chunk_bytes) {
  if (elements <= 0) return 1;
  const std::int64_t w = std::max(workers, 1);
  std::int64_t size = (elements + 4 * w - 1) / (4 * w);
  if (element_bytes > 0 && max_chunk_bytes > 0) size = std::min(size, max_chunk_bytes / element_bytes);
  return std::max<std::int64_t>(size, 1);
}

std::int64_t outstanding_limit(std::optional<double> load_factor, int workers) {
  if (!load_factor || !(*load_factor > 0)) return std::numeric_limits<std::int64_t>::max();
  const double w = std::max(workers, 1);
  const double want = std::ceil(*load_factor * w);
  if (!(want < 9e18)) return std::numeric_limits<std::int64_t>::max();
  return std::max<std::int64_t>(static_cast<std::int64_t>(want), static_cast<std::int64_t>(w));
}

}  // namespace nws::sleigh
