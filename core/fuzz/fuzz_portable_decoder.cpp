// libFuzzer target: the portable value decoder (docs/values.md) on any
// bytes.  It must decode or throw nws::Error, never crash, hang or read
// outside its input; what it decodes must describe itself and re-encode to
// a value that decodes the same way.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "nws/error.hpp"
#include "nws/portable.hpp"

namespace p = nws::portable;

namespace {

void rewrite(p::Writer& w, const p::Node& n) {
  switch (n.kind) {
    case p::Kind::null: w.null(); break;
    case p::Kind::boolean: w.boolean(n.flag); break;
    case p::Kind::integer: w.integer(n.integer); break;
    case p::Kind::real: w.real(n.real); break;
    case p::Kind::string: w.string(n.text); break;
    case p::Kind::bytes: w.bytes(n.text); break;
    case p::Kind::timestamp: w.timestamp(n.integer); break;
    case p::Kind::list:
      w.list(n.items.size());
      for (const auto& i : n.items) rewrite(w, i);
      break;
    case p::Kind::map:
    case p::Kind::table:
      n.kind == p::Kind::map ? w.map(n.items.size()) : w.table(n.items.size(), n.count);
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        w.key(n.keys[i]);
        rewrite(w, n.items[i]);
      }
      break;
    case p::Kind::vector:
      if (n.element == p::Element::string) {
        w.string_vector(n.count);
        for (const auto& i : n.items) i.kind == p::Kind::null ? w.null() : w.string(i.text);
      } else {
        w.vector(n.element, n.count, n.text.data(),
                 n.missing.empty() ? nullptr : reinterpret_cast<const std::uint8_t*>(n.missing.data()));
      }
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Half the inputs get the marker, so the fuzzer spends its time past it.
  std::string bytes;
  if (size > 0 && (data[0] & 1)) bytes.assign("\xC1NP\x01", 4);
  bytes.append(reinterpret_cast<const char*>(data) + (size > 0 ? 1 : 0), size > 0 ? size - 1 : 0);
  try {
    const p::Node n = p::decode(bytes);
    (void)p::describe(bytes);
    p::Writer w;
    rewrite(w, n);
    const std::string again = w.finish();
    const p::Node m = p::decode(again);
    if (m.kind != n.kind) __builtin_trap();
  } catch (const nws::Error&) {
  }
  return 0;
}
