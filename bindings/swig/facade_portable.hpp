// Portable values (docs/values.md) as SWIG wraps them for Perl and Ruby.
//
// The format's rules are the core's (nws/portable.hpp); this only gives its
// writer and its decoded tree plain types a scripting language can call:
// element types by name ("float64", ...), kinds by name ("list", ...),
// packed vector data and missing bitmaps as one string each (so Perl's
// pack/unpack and Ruby's Array#pack/String#unpack move a whole array in one
// call), nodes of the decoded tree by number.  Errors stay nws::Error
// (Errc::serialisation for a value that cannot be written or read).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nws {
namespace portable {
class Writer;
struct Node;
}  // namespace portable
}  // namespace nws

namespace nws_swig {

// The descriptor of a portable value written by `language` (a writer id).
unsigned long long portable_descriptor(int language);
// Whether `descriptor` marks a portable value.
bool is_portable(unsigned long long descriptor);

// nws::portable::Writer: calls depth first, then finish().
class PortableWriter {
 public:
  PortableWriter();
  ~PortableWriter();
  PortableWriter(const PortableWriter&) = delete;
  PortableWriter& operator=(const PortableWriter&) = delete;

  void null();
  void boolean(bool value);
  void integer(long long value);
  void real(double value);
  void string(const std::string& utf8);
  void bytes(const std::string& data);
  void timestamp(long long nanoseconds);
  void list(std::size_t n);
  void map(std::size_t n);
  void key(const std::string& utf8);
  void string_vector(std::size_t count);
  void table(std::size_t columns, std::size_t rows);
  // A packed vector: `type` an element name other than "string"; `packed`
  // the count elements, little-endian (booleans one byte 0 or 1,
  // timestamps int64 nanoseconds); `missing` empty when nothing is
  // missing, else the bitmap of ceil(count / 8) bytes (bit i % 8 of byte
  // i / 8 set when element i is missing).  Sizes that do not match are
  // Errc::invalid_argument.
  void vector(const std::string& type, std::size_t count, const std::string& packed, const std::string& missing);
  std::string finish();

 private:
  std::unique_ptr<nws::portable::Writer> w_;
};

// A decoded portable value.  Its nodes are numbered, the root 0; the
// children of a list, map, table or vector of strings (items, values,
// columns, elements) are child(node, k) for k < size(node).  An accessor
// of another kind's field, or a number out of range, is
// Errc::invalid_argument.
class PortableReader {
 public:
  // Decodes `bytes` (Errc::serialisation when they are not a portable value).
  explicit PortableReader(const std::string& bytes);
  ~PortableReader();
  PortableReader(const PortableReader&) = delete;
  PortableReader& operator=(const PortableReader&) = delete;

  std::string kind(std::size_t node) const;     // "null", "list", "vector", ...
  std::string element(std::size_t node) const;  // a vector's element name
  // Children (list, map, table, vector of strings); a vector's elements.
  std::size_t size(std::size_t node) const;
  std::size_t child(std::size_t node, std::size_t k) const;
  std::string key(std::size_t node, std::size_t k) const;  // map key, column name
  bool flag(std::size_t node) const;                        // boolean
  long long integer(std::size_t node) const;               // integer; timestamp
  double real(std::size_t node) const;
  std::string text(std::size_t node) const;     // string, bytes, a packed vector's data
  std::string missing(std::size_t node) const;  // a packed vector's bitmap ("" if none)

 private:
  const nws::portable::Node& at(std::size_t node) const;
  std::string bytes_;  // the nodes point into these
  std::unique_ptr<nws::portable::Node> root_;
  std::vector<const nws::portable::Node*> nodes_;
  std::vector<std::size_t> first_child_;
};

}  // namespace nws_swig
