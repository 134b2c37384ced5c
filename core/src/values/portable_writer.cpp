// nws::portable::Writer: MessagePack through msgpack-cxx's packer, written
// straight into the value's buffer; a frame stack checks that every
// container gets exactly the values it announced.
#include <msgpack.hpp>

#include <bit>
#include <cstring>
#include <limits>

#include "nws/error.hpp"
#include "nws/portable.hpp"
#include "values/format.hpp"
#include "values/utf8.hpp"

static_assert(std::endian::native == std::endian::little,
              "portable vectors are little-endian; a big-endian port must swap them here");

namespace nws::portable {
namespace {

// msgpack-cxx's packer writes to anything with write(); ours appends to the value.
struct Sink {
  std::string* out;
  void write(const char* p, std::size_t n) { out->append(p, n); }
};

[[noreturn]] void misuse(const std::string& what) {
  throw Error(Errc::serialisation, "portable value: " + what);
}

std::uint32_t length32(std::size_t n, const char* what) {
  if (n > std::numeric_limits<std::uint32_t>::max())
    misuse(std::string(what) + " of " + std::to_string(n) + " is larger than a portable value can hold (2^32 - 1)");
  return static_cast<std::uint32_t>(n);
}

void check_utf8(std::string_view s, const char* what) {
  const auto bad = first_invalid_utf8(s);
  if (bad != std::string_view::npos)
    misuse(std::string(what) + " is not valid UTF-8 (byte " + std::to_string(bad) +
           "); store it as bytes instead");
}

}  // namespace

std::size_t element_width(Element type) {
  switch (type) {
    case Element::boolean: return 1;
    case Element::int32: return 4;
    case Element::int64:
    case Element::float64:
    case Element::timestamp: return 8;
    case Element::string: return 0;
  }
  return 0;
}

std::string_view element_name(Element type) {
  switch (type) {
    case Element::boolean: return "boolean";
    case Element::int32: return "int32";
    case Element::int64: return "int64";
    case Element::float64: return "float64";
    case Element::timestamp: return "timestamp";
    case Element::string: return "string";
  }
  return "unknown";
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::boolean: return "boolean";
    case Kind::integer: return "integer";
    case Kind::real: return "real";
    case Kind::string: return "string";
    case Kind::bytes: return "bytes";
    case Kind::timestamp: return "timestamp";
    case Kind::list: return "list";
    case Kind::map: return "map";
    case Kind::vector: return "vector";
    case Kind::table: return "table";
  }
  return "unknown";
}

std::uint64_t descriptor_for(Language writer) {
  return descriptor::make(writer, false, false) | descriptor::portable;
}

bool is_portable(std::uint64_t d) { return (d & descriptor::portable) && !(d & descriptor::direct_string); }

Writer::Writer() { out_.append(format::marker); }

void Writer::put(const void* data, std::size_t n) { out_.append(static_cast<const char*>(data), n); }

// Called before anything is written for an item: is it allowed here?
void Writer::begin_item(bool is_key, Kind kind) {
  if (done_) misuse("a value after the whole value was written");
  if (frames_.empty()) return;
  Frame& f = frames_.back();
  if (f.expect_key != is_key)
    misuse(is_key ? "a key where a " + std::string(kind_name(f.kind)) + " expects a value"
                  : "a value where a " + std::string(kind_name(f.kind)) + " expects a key");
  if (f.kind == Kind::vector && kind != Kind::string && kind != Kind::null)
    misuse("a " + std::string(kind_name(kind)) + " in a vector of strings");
  if (f.kind == Kind::table && !is_key && kind != Kind::vector)
    misuse("a table column must be a vector, not a " + std::string(kind_name(kind)));
  if (frames_.size() >= max_depth) misuse("nesting deeper than " + std::to_string(max_depth));
}

// Called when an item is complete: closes every frame it completes.
void Writer::end_item() {
  while (!frames_.empty()) {
    Frame& f = frames_.back();
    if (f.kind == Kind::map || f.kind == Kind::table) f.expect_key = !f.expect_key;
    if (--f.remaining > 0) return;
    if (f.patch != std::string::npos) patch_length(f.patch);
    frames_.pop_back();
  }
  done_ = true;
}

// Fills in the length of the 32-bit extension header written at `at`.
void Writer::patch_length(std::size_t at) {
  const std::uint32_t len = length32(out_.size() - (at + format::ext32_header), "an encoded vector of strings or table");
  for (int k = 0; k < 4; ++k) out_[at + 1 + k] = static_cast<char>(len >> (24 - 8 * k));
}

// A container announced with `items` values (keys count as items): an empty
// one is complete at once.
void Writer::open(Kind kind, std::size_t items, std::size_t patch, std::size_t rows) {
  if (items == 0) {
    if (patch != std::string::npos) patch_length(patch);
    end_item();
    return;
  }
  frames_.push_back(Frame{kind, items, patch, rows, kind == Kind::map || kind == Kind::table});
}

std::size_t Writer::begin_extension(std::int8_t type) {
  const std::size_t at = out_.size();
  const char header[format::ext32_header] = {static_cast<char>(format::ext32), 0, 0, 0, 0, static_cast<char>(type)};
  put(header, sizeof header);
  return at;
}

void Writer::null() {
  begin_item(false, Kind::null);
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_nil();
  end_item();
}

void Writer::boolean(bool value) {
  begin_item(false, Kind::boolean);
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  value ? pk.pack_true() : pk.pack_false();
  end_item();
}

void Writer::integer(std::int64_t value) {
  begin_item(false, Kind::integer);
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_int64(value);
  end_item();
}

void Writer::real(double value) {
  begin_item(false, Kind::real);
  // Always float 64, bit for bit: msgpack-cxx's pack_double writes an
  // integral double (even -0.0) as an integer, which would read back as one.
  std::uint64_t b;
  std::memcpy(&b, &value, 8);
  unsigned char body[9] = {0xCB};
  for (int k = 0; k < 8; ++k) body[1 + k] = static_cast<unsigned char>(b >> (56 - 8 * k));
  put(body, sizeof body);
  end_item();
}

void Writer::string(std::string_view utf8) {
  begin_item(false, Kind::string);
  check_utf8(utf8, "a string");
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  const std::uint32_t len = length32(utf8.size(), "a string");
  pk.pack_str(len);
  pk.pack_str_body(utf8.data(), len);
  end_item();
}

void Writer::key(std::string_view utf8) {
  begin_item(true, Kind::string);
  check_utf8(utf8, "a key");
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  const std::uint32_t len = length32(utf8.size(), "a key");
  pk.pack_str(len);
  pk.pack_str_body(utf8.data(), len);
  end_item();
}

void Writer::bytes(std::string_view data) {
  begin_item(false, Kind::bytes);
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  const std::uint32_t len = length32(data.size(), "bytes");
  pk.pack_bin(len);
  pk.pack_bin_body(data.data(), len);
  end_item();
}

void Writer::timestamp(std::int64_t nanoseconds) {
  begin_item(false, Kind::timestamp);
  // The 96-bit form of MessagePack's timestamp: uint32 nanoseconds, int64 seconds.
  std::int64_t seconds = nanoseconds / 1'000'000'000;
  std::int64_t nanos = nanoseconds % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  unsigned char body[12];
  for (int k = 0; k < 4; ++k) body[k] = static_cast<unsigned char>(static_cast<std::uint32_t>(nanos) >> (24 - 8 * k));
  for (int k = 0; k < 8; ++k) body[4 + k] = static_cast<unsigned char>(static_cast<std::uint64_t>(seconds) >> (56 - 8 * k));
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  pk.pack_ext(sizeof body, format::ext_timestamp);
  pk.pack_ext_body(reinterpret_cast<const char*>(body), sizeof body);
  end_item();
}

void Writer::list(std::size_t n) {
  begin_item(false, Kind::list);
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_array(length32(n, "a list"));
  open(Kind::list, n, std::string::npos, 0);
}

void Writer::map(std::size_t n) {
  begin_item(false, Kind::map);
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_map(length32(n, "a map"));
  open(Kind::map, 2 * n, std::string::npos, 0);
}

Writer::Slot Writer::vector_slot(Element type, std::size_t count, bool with_missing) {
  if (type == Element::string || element_width(type) == 0)
    misuse("vector_slot() takes a numeric element type; use string_vector() for strings");
  begin_item(false, Kind::vector);
  if (!frames_.empty() && frames_.back().kind == Kind::table && count != frames_.back().rows)
    misuse("a table column of " + std::to_string(count) + " elements in a table of " +
           std::to_string(frames_.back().rows) + " rows");
  const std::size_t width = element_width(type);
  if (count > (std::numeric_limits<std::uint32_t>::max() - format::vector_header) / (width + 1))
    misuse("a vector of " + std::to_string(count) + " elements is larger than a portable value can hold");
  const std::size_t data_bytes = count * width;
  const std::size_t bitmap = with_missing ? format::bitmap_bytes(count) : 0;
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_ext(format::vector_header + data_bytes + bitmap, format::ext_vector);
  unsigned char header[format::vector_header] = {static_cast<unsigned char>(type),
                                                  with_missing ? format::flag_missing : std::uint8_t{0}};
  for (int k = 0; k < 8; ++k) header[8 + k] = static_cast<unsigned char>(static_cast<std::uint64_t>(count) >> (8 * k));
  put(header, sizeof header);
  const std::size_t at = out_.size();
  out_.resize(at + data_bytes + bitmap);  // zeroes: the bitmap starts "nothing missing"
  end_item();
  char* base = out_.data() + at;
  return Slot{base, with_missing ? reinterpret_cast<std::uint8_t*>(base + data_bytes) : nullptr};
}

void Writer::vector(Element type, std::size_t count, const void* data, const std::uint8_t* missing) {
  if (out_.capacity() < out_.size() + count * element_width(type) + 64)
    out_.reserve(out_.size() + count * element_width(type) + format::bitmap_bytes(count) + 64);
  const Slot slot = vector_slot(type, count, missing != nullptr);
  if (count) std::memcpy(slot.data, data, count * element_width(type));
  if (missing) std::memcpy(slot.missing, missing, format::bitmap_bytes(count));
}

void Writer::string_vector(std::size_t count) {
  begin_item(false, Kind::vector);
  if (!frames_.empty() && frames_.back().kind == Kind::table && count != frames_.back().rows)
    misuse("a table column of " + std::to_string(count) + " strings in a table of " +
           std::to_string(frames_.back().rows) + " rows");
  const std::size_t at = begin_extension(format::ext_strings);
  Sink s{&out_};
  msgpack::packer<Sink>(s).pack_array(length32(count, "a vector of strings"));
  open(Kind::vector, count, at, 0);
}

void Writer::table(std::size_t columns, std::size_t rows) {
  begin_item(false, Kind::table);
  const std::size_t at = begin_extension(format::ext_table);
  Sink s{&out_};
  msgpack::packer<Sink> pk(s);
  pk.pack_array(length32(1 + 2 * columns, "a table"));
  pk.pack_uint64(rows);
  open(Kind::table, 2 * columns, at, rows);
}

std::string Writer::finish() {
  if (!done_) {
    if (frames_.empty()) misuse("no value was written");
    const Frame& f = frames_.back();
    const bool pairs = f.kind == Kind::map || f.kind == Kind::table;
    misuse("a " + std::string(kind_name(f.kind)) + " still expects " +
           std::to_string(pairs ? (f.remaining + 1) / 2 : f.remaining) + (pairs ? " more entries" : " more values"));
  }
  done_ = false;  // a finished writer holds nothing
  frames_.clear();
  std::string out = std::move(out_);
  out_.clear();
  out_.append(format::marker);
  return out;
}

}  // namespace nws::portable
