// The portable-value facade: conversions onto nws::portable (every rule of
// the format is there).
#include "facade_portable.hpp"

#include "nws/error.hpp"
#include "nws/portable.hpp"

namespace nws_swig {

namespace {

using nws::portable::Element;
using nws::portable::Kind;
using nws::portable::Node;

[[noreturn]] void misuse(const std::string& what) { throw nws::Error(nws::Errc::invalid_argument, what); }

Element packed_element(const std::string& name) {
  for (Element e : {Element::boolean, Element::int32, Element::int64, Element::float64, Element::timestamp})
    if (nws::portable::element_name(e) == name) return e;
  misuse("portable vector: no packed element type '" + name + "'");
}

}  // namespace

unsigned long long portable_descriptor(int language) {
  return nws::portable::descriptor_for(static_cast<nws::Language>(language));
}

bool is_portable(unsigned long long descriptor) { return nws::portable::is_portable(descriptor); }

// ---- PortableWriter ----

PortableWriter::PortableWriter() : w_(std::make_unique<nws::portable::Writer>()) {}
PortableWriter::~PortableWriter() = default;

void PortableWriter::null() { w_->null(); }
void PortableWriter::boolean(bool value) { w_->boolean(value); }
void PortableWriter::integer(long long value) { w_->integer(value); }
void PortableWriter::real(double value) { w_->real(value); }
void PortableWriter::string(const std::string& utf8) { w_->string(utf8); }
void PortableWriter::bytes(const std::string& data) { w_->bytes(data); }
void PortableWriter::timestamp(long long nanoseconds) { w_->timestamp(nanoseconds); }
void PortableWriter::list(std::size_t n) { w_->list(n); }
void PortableWriter::map(std::size_t n) { w_->map(n); }
void PortableWriter::key(const std::string& utf8) { w_->key(utf8); }
void PortableWriter::string_vector(std::size_t count) { w_->string_vector(count); }
void PortableWriter::table(std::size_t columns, std::size_t rows) { w_->table(columns, rows); }

void PortableWriter::vector(const std::string& type, std::size_t count, const std::string& packed,
                            const std::string& missing) {
  const Element e = packed_element(type);
  // The core reads count * width bytes: the sizes are checked here, where
  // the script's strings arrive.
  if (packed.size() / nws::portable::element_width(e) != count || packed.size() % nws::portable::element_width(e))
    misuse("portable vector: " + std::to_string(packed.size()) + " bytes of packed data for " + std::to_string(count) +
           " " + type + " elements");
  if (!missing.empty() && missing.size() != (count + 7) / 8)
    misuse("portable vector: a missing bitmap of " + std::to_string(missing.size()) + " bytes for " +
           std::to_string(count) + " elements");
  w_->vector(e, count, packed.data(),
             missing.empty() ? nullptr : reinterpret_cast<const std::uint8_t*>(missing.data()));
}

std::string PortableWriter::finish() { return w_->finish(); }

// ---- PortableReader ----

PortableReader::PortableReader(const std::string& bytes) : bytes_(bytes) {
  root_ = std::make_unique<Node>(nws::portable::decode(bytes_));
  // Breadth first, so each node's children are numbered consecutively.
  nodes_.push_back(root_.get());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    first_child_.push_back(nodes_.size());
    for (const Node& c : nodes_[i]->items) nodes_.push_back(&c);
  }
}

PortableReader::~PortableReader() = default;

const Node& PortableReader::at(std::size_t node) const {
  if (node >= nodes_.size())
    misuse("portable value: no node " + std::to_string(node) + " (of " + std::to_string(nodes_.size()) + ")");
  return *nodes_[node];
}

std::string PortableReader::kind(std::size_t node) const {
  return std::string(nws::portable::kind_name(at(node).kind));
}

std::string PortableReader::element(std::size_t node) const {
  const Node& n = at(node);
  if (n.kind != Kind::vector) misuse("portable value: a " + kind(node) + " has no element type");
  return std::string(nws::portable::element_name(n.element));
}

std::size_t PortableReader::size(std::size_t node) const {
  const Node& n = at(node);
  return n.kind == Kind::vector ? n.count : n.items.size();
}

std::size_t PortableReader::child(std::size_t node, std::size_t k) const {
  if (k >= at(node).items.size())
    misuse("portable value: a " + kind(node) + " has no child " + std::to_string(k));
  return first_child_[node] + k;
}

std::string PortableReader::key(std::size_t node, std::size_t k) const {
  const Node& n = at(node);
  if (k >= n.keys.size()) misuse("portable value: a " + kind(node) + " has no key " + std::to_string(k));
  return std::string(n.keys[k]);
}

bool PortableReader::flag(std::size_t node) const { return at(node).flag; }
long long PortableReader::integer(std::size_t node) const { return at(node).integer; }
double PortableReader::real(std::size_t node) const { return at(node).real; }
std::string PortableReader::text(std::size_t node) const { return std::string(at(node).text); }
std::string PortableReader::missing(std::size_t node) const { return std::string(at(node).missing); }

}  // namespace nws_swig
