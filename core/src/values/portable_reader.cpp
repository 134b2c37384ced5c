// nws::portable::decode: msgpack-cxx parses in place (every string, binary
// and extension points into the caller's bytes) under limits derived from
// the input's size, so a hostile length cannot make it allocate more than
// the input could describe; then the objects become Nodes, checked against
// docs/values.md's rules on the way.
#include <msgpack.hpp>

#include <unordered_set>

#include "nws/error.hpp"
#include "nws/portable.hpp"
#include "values/format.hpp"
#include "values/utf8.hpp"

namespace nws::portable {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(Errc::serialisation, "not a valid portable value: " + what);
}

// Every string, binary and extension is referenced, never copied.
bool reference_all(msgpack::type::object_type, std::size_t, void*) { return true; }

class Reader {
 public:
  explicit Reader(std::string_view whole) : whole_(whole) {}

  // Parses exactly one MessagePack object filling `bytes` (a part of whole_).
  msgpack::object_handle parse(std::string_view bytes, const char* what) {
    const std::size_t n = bytes.size();
    const msgpack::unpack_limit limit(n, n / 2 + 1, n, n, n, max_depth);
    std::size_t off = 0;
    bool referenced = false;
    msgpack::object_handle handle;
    try {
      handle = msgpack::unpack(bytes.data(), n, off, referenced, reference_all, nullptr, limit);
    } catch (const msgpack::insufficient_bytes&) {
      corrupt(std::string(what) + " is truncated (" + std::to_string(n) + " bytes at offset " + offset_of(bytes) + ")");
    } catch (const msgpack::depth_size_overflow&) {
      corrupt(std::string(what) + " nests deeper than " + std::to_string(max_depth));
    } catch (const msgpack::size_overflow&) {
      corrupt(std::string(what) + " announces more elements than its " + std::to_string(n) + " bytes can hold");
    } catch (const msgpack::unpack_error& e) {
      corrupt(std::string(what) + " is not MessagePack at offset " + offset_of(bytes) + ": " + e.what());
    } catch (const std::bad_alloc&) {
      corrupt(std::string(what) + " announces more elements than it holds");
    } catch (const std::exception& e) {
      corrupt(std::string(what) + " is not MessagePack at offset " + offset_of(bytes) + ": " + e.what());
    }
    if (off != n)
      corrupt(std::string(what) + " has " + std::to_string(n - off) + " bytes after its end (offset " +
              std::to_string(static_cast<std::size_t>(bytes.data() - whole_.data()) + off) + ")");
    return handle;
  }

  Node node(const msgpack::object& o, std::size_t depth) {
    if (depth > max_depth) corrupt("nesting deeper than " + std::to_string(max_depth));
    Node n;
    switch (o.type) {
      case msgpack::type::NIL:
        n.kind = Kind::null;
        break;
      case msgpack::type::BOOLEAN:
        n.kind = Kind::boolean;
        n.flag = o.via.boolean;
        break;
      case msgpack::type::POSITIVE_INTEGER:
        if (o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          corrupt("the integer " + std::to_string(o.via.u64) + " is beyond int64");
        n.kind = Kind::integer;
        n.integer = static_cast<std::int64_t>(o.via.u64);
        break;
      case msgpack::type::NEGATIVE_INTEGER:
        n.kind = Kind::integer;
        n.integer = o.via.i64;
        break;
      case msgpack::type::FLOAT32:
      case msgpack::type::FLOAT64:
        n.kind = Kind::real;
        n.real = o.via.f64;
        break;
      case msgpack::type::STR:
        n.kind = Kind::string;
        n.text = text(o, "a string");
        break;
      case msgpack::type::BIN:
        n.kind = Kind::bytes;
        n.text = std::string_view(o.via.bin.ptr, o.via.bin.size);
        break;
      case msgpack::type::ARRAY:
        n.kind = Kind::list;
        n.items.reserve(o.via.array.size);
        for (std::uint32_t i = 0; i < o.via.array.size; ++i) n.items.push_back(node(o.via.array.ptr[i], depth + 1));
        break;
      case msgpack::type::MAP: {
        n.kind = Kind::map;
        n.keys.reserve(o.via.map.size);
        n.items.reserve(o.via.map.size);
        for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
          const auto& kv = o.via.map.ptr[i];
          if (kv.key.type != msgpack::type::STR) corrupt("a map key that is not a string");
          n.keys.push_back(text(kv.key, "a map key"));
          n.items.push_back(node(kv.val, depth + 1));
        }
        unique(n.keys, "map key");
        break;
      }
      case msgpack::type::EXT:
        extension(o, n, depth);
        break;
    }
    return n;
  }

 private:
  std::string offset_of(std::string_view part) const {
    return std::to_string(static_cast<std::size_t>(part.data() - whole_.data()));
  }

  std::string_view text(const msgpack::object& o, const char* what) const {
    const std::string_view s(o.via.str.ptr, o.via.str.size);
    const auto bad = first_invalid_utf8(s);
    if (bad != std::string_view::npos)
      corrupt(std::string(what) + " that is not UTF-8 (offset " +
              std::to_string(static_cast<std::size_t>(s.data() - whole_.data()) + bad) + ")");
    return s;
  }

  static void unique(const std::vector<std::string_view>& keys, const char* what) {
    if (keys.size() < 2) return;
    std::unordered_set<std::string_view> seen;
    seen.reserve(keys.size());
    for (auto k : keys)
      if (!seen.insert(k).second) corrupt("a duplicate " + std::string(what) + " '" + std::string(k) + "'");
  }

  void extension(const msgpack::object& o, Node& n, std::size_t depth) {
    const std::string_view payload(o.via.ext.data(), o.via.ext.size);
    switch (o.via.ext.type()) {
      case format::ext_timestamp:
        n.kind = Kind::timestamp;
        n.integer = timestamp(payload);
        return;
      case format::ext_vector:
        packed_vector(payload, n);
        return;
      case format::ext_strings:
        string_vector(payload, n);
        return;
      case format::ext_table:
        table(payload, n, depth);
        return;
      default:
        corrupt("an unknown extension type " + std::to_string(o.via.ext.type()) + " at offset " + offset_of(payload));
    }
  }

  static std::uint64_t big_endian(const char* p, int bytes) {
    std::uint64_t v = 0;
    for (int k = 0; k < bytes; ++k) v = (v << 8) | static_cast<unsigned char>(p[k]);
    return v;
  }

  static std::int64_t timestamp(std::string_view p) {
    std::int64_t seconds = 0;
    std::uint64_t nanos = 0;
    if (p.size() == 4) {
      seconds = static_cast<std::int64_t>(big_endian(p.data(), 4));
    } else if (p.size() == 8) {
      const std::uint64_t v = big_endian(p.data(), 8);
      nanos = v >> 34;
      seconds = static_cast<std::int64_t>(v & ((std::uint64_t{1} << 34) - 1));
    } else if (p.size() == 12) {
      nanos = big_endian(p.data(), 4);
      seconds = static_cast<std::int64_t>(big_endian(p.data() + 4, 8));
    } else {
      corrupt("a timestamp of " + std::to_string(p.size()) + " bytes (4, 8 or 12 expected)");
    }
    if (nanos >= 1'000'000'000) corrupt("a timestamp with " + std::to_string(nanos) + " nanoseconds");
    // int64 nanoseconds reach the years 1677 to 2262.
    // Before 1970 the seconds are one lower than the instant's and the
    // nanoseconds add back: fold them first so the earliest instant fits.
    std::int64_t ns;
    std::int64_t whole = seconds;
    std::int64_t part = static_cast<std::int64_t>(nanos);
    if (whole < 0 && part > 0) {
      ++whole;
      part -= 1'000'000'000;
    }
    if (__builtin_mul_overflow(whole, std::int64_t{1'000'000'000}, &ns) || __builtin_add_overflow(ns, part, &ns))
      corrupt("a timestamp " + std::to_string(seconds) + " s from 1970, beyond what int64 nanoseconds hold");
    return ns;
  }

  void packed_vector(std::string_view p, Node& n) const {
    if (p.size() < format::vector_header) corrupt("a vector header of " + std::to_string(p.size()) + " bytes");
    const auto type = static_cast<unsigned char>(p[0]);
    const auto flags = static_cast<unsigned char>(p[1]);
    if (type < 1 || type > 5) corrupt("a vector of unknown element type " + std::to_string(type));
    if (flags & ~format::flag_missing) corrupt("a vector with unknown flags " + std::to_string(flags));
    for (int k = 2; k < 8; ++k)
      if (p[k] != 0) corrupt("a vector header with reserved bytes set");
    std::uint64_t count = 0;
    for (int k = 0; k < 8; ++k) count |= std::uint64_t{static_cast<unsigned char>(p[8 + k])} << (8 * k);
    n.kind = Kind::vector;
    n.element = static_cast<Element>(type);
    const std::size_t width = element_width(n.element);
    const std::size_t body = p.size() - format::vector_header;
    if (count > body / width)
      corrupt("a vector of " + std::to_string(count) + " " + std::string(element_name(n.element)) + " in " +
              std::to_string(body) + " bytes");
    const std::size_t data = static_cast<std::size_t>(count) * width;
    const std::size_t bitmap = (flags & format::flag_missing) ? format::bitmap_bytes(count) : 0;
    if (data + bitmap != body)
      corrupt("a vector of " + std::to_string(count) + " " + std::string(element_name(n.element)) + " in " +
              std::to_string(body) + " bytes (" + std::to_string(data + bitmap) + " expected)");
    n.count = static_cast<std::size_t>(count);
    n.text = p.substr(format::vector_header, data);
    n.missing = p.substr(format::vector_header + data, bitmap);
    if (n.element == Element::boolean)
      for (char c : n.text)
        if (c != 0 && c != 1) corrupt("a boolean vector element that is neither 0 nor 1");
  }

  void string_vector(std::string_view p, Node& n) {
    const auto handle = parse(p, "a vector of strings");
    const msgpack::object& o = handle.get();
    if (o.type != msgpack::type::ARRAY) corrupt("a vector of strings that is not an array");
    n.kind = Kind::vector;
    n.element = Element::string;
    n.count = o.via.array.size;
    n.items.resize(n.count);
    for (std::size_t i = 0; i < n.count; ++i) {
      const auto& e = o.via.array.ptr[i];
      if (e.type == msgpack::type::NIL) continue;  // a missing string: Kind::null
      if (e.type != msgpack::type::STR) corrupt("a vector of strings holding something else");
      n.items[i].kind = Kind::string;
      n.items[i].text = text(e, "a string");
    }
  }

  void table(std::string_view p, Node& n, std::size_t depth) {
    const auto handle = parse(p, "a table");
    const msgpack::object& o = handle.get();
    if (o.type != msgpack::type::ARRAY || o.via.array.size % 2 != 1 ||
        o.via.array.ptr[0].type != msgpack::type::POSITIVE_INTEGER)
      corrupt("a table that is not [rows, name, column, ...]");
    n.kind = Kind::table;
    n.count = static_cast<std::size_t>(o.via.array.ptr[0].via.u64);
    const std::size_t columns = o.via.array.size / 2;
    n.keys.reserve(columns);
    n.items.reserve(columns);
    for (std::size_t c = 0; c < columns; ++c) {
      const auto& name = o.via.array.ptr[1 + 2 * c];
      if (name.type != msgpack::type::STR) corrupt("a table column name that is not a string");
      n.keys.push_back(text(name, "a column name"));
      Node column = node(o.via.array.ptr[2 + 2 * c], depth + 1);
      if (column.kind != Kind::vector) corrupt("a table column that is a " + std::string(kind_name(column.kind)));
      if (column.count != n.count)
        corrupt("a table column '" + std::string(n.keys.back()) + "' of " + std::to_string(column.count) +
                " elements in a table of " + std::to_string(n.count) + " rows");
      n.items.push_back(std::move(column));
    }
    unique(n.keys, "column name");
  }

  std::string_view whole_;
};

}  // namespace

Node decode(std::string_view bytes) {
  if (bytes.substr(0, format::marker.size()) != format::marker)
    corrupt("it does not start with the portable marker (C1 4E 50 01)");
  Reader reader(bytes);
  const auto handle = reader.parse(bytes.substr(format::marker.size()), "the value");
  return reader.node(handle.get(), 0);
}

std::string describe(std::string_view bytes) {
  try {
    const Node n = decode(bytes);
    switch (n.kind) {
      case Kind::list:
      case Kind::map:
        return std::string(kind_name(n.kind)) + " of " + std::to_string(n.items.size());
      case Kind::vector:
        return "vector of " + std::to_string(n.count) + " " + std::string(element_name(n.element)) +
               (n.missing.empty() ? "" : " (some missing)");
      case Kind::table:
        return "table of " + std::to_string(n.keys.size()) + " columns x " + std::to_string(n.count) + " rows";
      default:
        return std::string(kind_name(n.kind));
    }
  } catch (const Error& e) {
    return e.what();
  }
}

}  // namespace nws::portable
