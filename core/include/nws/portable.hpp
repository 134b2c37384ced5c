// Portable values: one typed encoding every language reads (docs/values.md).
//
// A portable value is MessagePack behind a 4-byte marker, stored with the
// `portable` descriptor flag (values.def), so the original clients see a
// value they cannot deserialise, never a value that decodes to garbage.
// Bindings only map their native types onto this module's two faces:
//
//   * Writer: a stream of calls, depth first (`list(2); integer(1);
//     string("a");`), ending with finish() -> the bytes to store.  Packed
//     vectors go in with one copy (`vector(Element::float64, n, data)`).
//   * decode(): the bytes -> a Node tree that points into the bytes (no
//     copy of strings or vector data; keep the bytes alive while reading).
//
// Every rule of the format (markers, extension types, limits, validation)
// lives here once; a binding never looks at the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "nws/value.hpp"

namespace nws::portable {

// The element type of a packed vector.  Numeric elements are stored
// little-endian, `element_width` bytes each; booleans one byte (0 or 1);
// timestamps as int64 nanoseconds since 1970-01-01T00:00:00Z.
enum class Element : std::uint8_t {
  boolean = 1,
  int32 = 2,
  int64 = 3,
  float64 = 4,
  timestamp = 5,
  string = 6,  // not packed: a vector of UTF-8 strings (or missing)
};
std::size_t element_width(Element type);     // bytes per element; 0 for string
std::string_view element_name(Element type);  // "float64", ...

enum class Kind : std::uint8_t {
  null,
  boolean,
  integer,    // int64
  real,       // double: NaN and the infinities kept bit for bit
  string,     // UTF-8, validated on both ends
  bytes,
  timestamp,  // int64 nanoseconds since the epoch, UTC
  list,
  map,        // string keys, in the writer's order, no duplicates
  vector,     // typed and packed, optionally with missing elements
  table,      // named columns (vectors) of equal length
};
std::string_view kind_name(Kind kind);  // "list", "vector", ...

// Descriptor of a portable value written by `writer` (PROTOCOL.md §8 plus
// the portable flag), and whether a descriptor marks one.
std::uint64_t descriptor_for(Language writer);
bool is_portable(std::uint64_t descriptor);

// Limits every reader enforces (and the writer too, so nothing written is
// refused on reading).
inline constexpr std::size_t max_depth = 256;

class Writer {
 public:
  Writer();

  void null();
  void boolean(bool value);
  void integer(std::int64_t value);
  void real(double value);
  void string(std::string_view utf8);  // invalid UTF-8: Error(Errc::serialisation)
  void bytes(std::string_view data);
  void timestamp(std::int64_t nanoseconds);

  // Followed by exactly n values.
  void list(std::size_t n);
  // Followed by n pairs of key() then a value.
  void map(std::size_t n);
  void key(std::string_view utf8);

  // A packed vector of `count` elements of a numeric `type` (not string),
  // read from `data` in this machine's byte order.  `missing`, when given,
  // is a bitmap of ceil(count / 8) bytes, bit i % 8 of byte i / 8 set when
  // element i is missing (R's NA); the element's own bytes are kept as
  // given (R's NA_real_ payload survives).
  void vector(Element type, std::size_t count, const void* data, const std::uint8_t* missing = nullptr);
  // The same, filled in place: the returned pointers stay valid until the
  // next call on this writer.  The bitmap (when asked for) starts zeroed.
  struct Slot {
    void* data;
    std::uint8_t* missing;
  };
  Slot vector_slot(Element type, std::size_t count, bool with_missing);
  // A vector of strings: followed by exactly `count` string() or null()
  // (a missing element) calls.
  void string_vector(std::size_t count);

  // A table: followed by `columns` pairs of key(name) then a column, a
  // vector() or string_vector() of exactly `rows` elements.
  void table(std::size_t columns, std::size_t rows);

  // The encoded value; the writer must have received exactly one value.
  // Errors name what is missing ("a list of 3 got 2 values").
  std::string finish();

 private:
  struct Frame {
    Kind kind;               // list, map, table, or vector (of strings)
    std::size_t remaining;   // values (and keys) still expected
    std::size_t patch;       // offset of an extension's length to fill, or npos
    std::size_t rows;        // table: each column's length
    bool expect_key;         // map or table: the next call must be key()
  };
  void begin_item(bool is_key, Kind kind);
  void end_item();
  void open(Kind kind, std::size_t items, std::size_t patch, std::size_t rows);
  std::size_t begin_extension(std::int8_t type);
  void patch_length(std::size_t at);
  void put(const void* data, std::size_t n);

  std::string out_;
  std::vector<Frame> frames_;
  bool done_ = false;
};

// A decoded value.  Views point into the bytes given to decode().
struct Node {
  Kind kind = Kind::null;
  bool flag = false;             // boolean
  std::int64_t integer = 0;      // integer; timestamp (nanoseconds)
  double real = 0;               // real
  std::string_view text;         // string; bytes; a numeric vector's packed data
  Element element{};             // vector
  std::size_t count = 0;         // vector: elements; table: rows
  std::string_view missing;      // numeric vector: the bitmap, empty when none is missing
  std::vector<Node> items;       // list items; map values; table columns;
                                 // a string vector's elements (string or null)
  std::vector<std::string_view> keys;  // map keys; table column names

  bool is_missing(std::size_t i) const {
    return !missing.empty() && (static_cast<unsigned char>(missing[i / 8]) >> (i % 8)) & 1u;
  }
  template <typename T>
  T element_at(std::size_t i) const {  // T matching element_width(element)
    T v;
    std::memcpy(&v, text.data() + i * sizeof(T), sizeof(T));
    return v;
  }
};

// Decodes a portable value.  Anything that is not one (no marker, a
// truncated or corrupt encoding, an unknown extension, invalid UTF-8, a
// duplicate key, nesting deeper than max_depth, a vector whose length
// disagrees with its data) is Error(Errc::serialisation) saying what and
// at which byte; decoding never reads outside `bytes`.
Node decode(std::string_view bytes);

// A one-line description for listings and the web interface ("vector of
// 10000000 float64", "table of 3 columns x 20 rows", "map of 2"), or why
// the bytes are not a portable value.
std::string describe(std::string_view bytes);

}  // namespace nws::portable
