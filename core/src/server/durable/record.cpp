#include "server/durable/record.hpp"

#include <zlib.h>

#include <cstring>

namespace nws::server::durable {
namespace {

// Reads from a payload, never past its end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }
  bool u8(std::uint8_t& v) {
    if (in_.empty()) return false;
    v = static_cast<std::uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b;
      if (!u8(b)) return false;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool string(std::string_view& s) {
    std::uint64_t n;
    if (!varint(n) || n > in_.size()) return false;
    s = in_.substr(0, static_cast<std::size_t>(n));
    in_.remove_prefix(static_cast<std::size_t>(n));
    return true;
  }

 private:
  std::string_view in_;
};

std::uint64_t read_le(const char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void write_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool value_fields(Reader& r, Op& op) {
  std::uint64_t count;
  if (!r.varint(op.descriptor) || !r.string(op.value) || !r.varint(count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view k, v;
    if (!r.string(k) || !r.string(v)) return false;
    op.metadata.emplace_back(k, v);
  }
  return true;
}

}  // namespace

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

std::uint32_t crc32_of(std::uint32_t crc, std::string_view bytes) {
  // zlib's crc32 takes a uInt length: feed very large values in pieces.
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    crc = static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n)));
    bytes.remove_prefix(n);
  }
  return crc;
}

std::string frame_header(std::uint64_t payload_length, std::uint32_t crc) {
  std::string h;
  write_le(h, payload_length, 8);
  write_le(h, crc, 4);
  return h;
}

std::optional<std::string_view> next_frame(std::string_view data, std::size_t& frame_size, std::string& why) {
  if (data.size() < kFrameHeader) {
    why = "its header is cut short";
    return std::nullopt;
  }
  const std::uint64_t length = read_le(data.data(), 8);
  const auto crc = static_cast<std::uint32_t>(read_le(data.data() + 8, 4));
  if (length == 0 || length > data.size() - kFrameHeader) {
    why = length == 0 ? "it is empty" : "it is cut short";
    return std::nullopt;
  }
  std::string_view payload = data.substr(kFrameHeader, static_cast<std::size_t>(length));
  if (crc32_of(0, payload) != crc) {
    why = "its checksum does not match";
    return std::nullopt;
  }
  frame_size = kFrameHeader + static_cast<std::size_t>(length);
  return payload;
}

bool decode_ops(std::string_view payload, const std::function<void(const Op&)>& apply, std::string& error) {
  Reader r(payload);
  while (!r.done()) {
    Op op;
    std::uint8_t kind = 0, flag = 0;
    bool ok = r.u8(kind);
    op.kind = static_cast<OpKind>(kind);
    switch (op.kind) {
      case OpKind::workspace:
        ok = ok && r.string(op.ws) && r.string(op.owner) && r.u8(flag);
        op.persistent = flag != 0;
        break;
      case OpKind::delete_workspace: ok = ok && r.string(op.ws); break;
      case OpKind::declare: {
        std::string_view name;
        ok = ok && r.string(op.ws) && r.string(op.var) && r.string(name);
        auto mode = ok ? parse_mode(name) : std::nullopt;  // by name: the table's order may change
        ok = ok && mode.has_value();
        if (ok) op.mode = *mode;
        break;
      }
      case OpKind::delete_variable: ok = ok && r.string(op.ws) && r.string(op.var); break;
      case OpKind::store: ok = ok && r.string(op.ws) && r.string(op.var) && value_fields(r, op); break;
      case OpKind::taken: ok = ok && r.string(op.ws) && r.string(op.var) && r.varint(op.lease); break;
      case OpKind::leased:
        ok = ok && r.string(op.ws) && r.string(op.var) && r.varint(op.lease) && value_fields(r, op);
        break;
      case OpKind::acknowledged:
      case OpKind::given_back: ok = ok && r.varint(op.lease); break;
      default: ok = false;
    }
    if (!ok) {
      error = "a malformed change (kind " + std::to_string(kind) + ")";
      return false;
    }
    apply(op);
  }
  return true;
}

}  // namespace nws::server::durable
