// Function specs, chunk framing and element outcomes: the portable
// encoding of a sleigh's work (nws/sleigh_tasks.hpp).
//
//   spec:     map {"nws": "sleigh function", "language": id,
//                  "function": name | "serialized": bytes}
//   chunk:    list of bytes, one element's arguments each
//   outcomes: list of map {"value": bytes} | {"error": text}
#include "nws/portable.hpp"
#include "nws/sleigh_tasks.hpp"
#include "values/format.hpp"
#include "values/utf8.hpp"

namespace nws::sleigh {
namespace {

constexpr std::string_view kSpecTag = "sleigh function";

std::string spec(std::string_view language, const char* field, std::string_view value, bool bytes) {
  portable::Writer w;
  w.map(3);
  w.key("nws");
  w.string(kSpecTag);
  w.key("language");
  w.string(language_id(language));
  w.key(field);
  if (bytes)
    w.bytes(value);
  else
    w.string(value);
  return w.finish();
}

[[noreturn]] void not_a(const char* what, const std::string& why) {
  throw Error(Errc::serialisation, std::string("sleigh: not a portable ") + what + ": " + why);
}

const portable::Node* field(const portable::Node& map, std::string_view key) {
  for (std::size_t i = 0; i < map.keys.size(); ++i)
    if (map.keys[i] == key) return &map.items[i];
  return nullptr;
}

}  // namespace

std::string named_function(std::string_view language, std::string_view name) {
  check_function_name(language, name);
  return spec(language, "function", name, false);
}

std::string serialized_function(std::string_view language, std::string_view bytes) {
  return spec(language, "serialized", bytes, true);
}

bool is_function_spec(std::string_view bytes) {
  // A host's own serialisation (a pickle, an R serialize stream) never
  // starts with the portable marker: decide without decoding it.
  if (bytes.substr(0, portable::format::marker.size()) != portable::format::marker) return false;
  try {
    decode_function_spec(bytes);
    return true;
  } catch (const Error&) {
    return false;
  }
}

FunctionSpec decode_function_spec(std::string_view bytes) {
  const portable::Node n = portable::decode(bytes);
  if (n.kind != portable::Kind::map) not_a("function spec", "a " + std::string(portable::kind_name(n.kind)));
  const portable::Node* tag = field(n, "nws");
  const portable::Node* lang = field(n, "language");
  if (!tag || tag->kind != portable::Kind::string || tag->text != kSpecTag || !lang ||
      lang->kind != portable::Kind::string)
    not_a("function spec", "no sleigh function tag and language");
  FunctionSpec s;
  s.language = language_id(lang->text);
  if (const portable::Node* f = field(n, "function"); f && f->kind == portable::Kind::string) {
    s.name = std::string(f->text);
  } else if (const portable::Node* b = field(n, "serialized"); b && b->kind == portable::Kind::bytes) {
    s.serialized = std::string(b->text);
  } else {
    not_a("function spec", "neither a function name nor a serialized function");
  }
  return s;
}

std::string frame_elements(const std::vector<std::string>& element_args) {
  portable::Writer w;
  w.list(element_args.size());
  for (const auto& e : element_args) w.bytes(e);
  return w.finish();
}

std::vector<std::string_view> unframe_elements(std::string_view payload) {
  const portable::Node n = portable::decode(payload);
  if (n.kind != portable::Kind::list) not_a("chunk", "a " + std::string(portable::kind_name(n.kind)));
  std::vector<std::string_view> out;
  out.reserve(n.items.size());
  for (const auto& item : n.items) {
    if (item.kind != portable::Kind::bytes) not_a("chunk", "an element is a " + std::string(portable::kind_name(item.kind)));
    out.push_back(item.text);
  }
  return out;
}

void OutcomeWriter::value(std::string_view bytes) { items_.emplace_back(true, std::string(bytes)); }

void OutcomeWriter::error(std::string_view message) {
  items_.emplace_back(false, std::string(message));
  ++errors_;
}

std::string OutcomeWriter::finish() const {
  portable::Writer w;
  w.list(items_.size());
  for (const auto& [ok, text] : items_) {
    w.map(1);
    if (ok) {
      w.key("value");
      w.bytes(text);
    } else {
      w.key("error");
      // An error's text is shown to people: keep it valid UTF-8 whatever
      // the host's exception carried (bytes from a bad one become '?').
      std::string clean(text);
      for (std::size_t at; (at = portable::first_invalid_utf8(clean)) != std::string::npos;) clean[at] = '?';
      w.string(clean);
    }
  }
  return w.finish();
}

std::vector<ElementOutcome> element_outcomes(const ChunkResult& chunk) {
  std::vector<ElementOutcome> out;
  out.reserve(static_cast<std::size_t>(chunk.count));
  auto each_error = [&](const std::string& message) {
    for (std::int64_t i = 0; i < chunk.count; ++i) {
      ElementOutcome o;
      o.index = chunk.first + i;
      o.ok = false;
      o.error = message;
      o.rank = chunk.rank;
      out.push_back(std::move(o));
    }
  };
  if (chunk.status != ChunkStatus::ok) {
    each_error(chunk.payload);
    return out;
  }
  portable::Node n;
  try {
    n = portable::decode(chunk.payload);
  } catch (const Error& e) {
    each_error(std::string("the worker's answer is not portable: ") + e.what());
    return out;
  }
  if (n.kind != portable::Kind::list || static_cast<std::int64_t>(n.items.size()) != chunk.count) {
    each_error("the worker's answer does not hold one outcome per element");
    return out;
  }
  for (std::int64_t i = 0; i < chunk.count; ++i) {
    const portable::Node& item = n.items[static_cast<std::size_t>(i)];
    ElementOutcome o;
    o.index = chunk.first + i;
    o.rank = chunk.rank;
    const portable::Node* v = item.kind == portable::Kind::map ? field(item, "value") : nullptr;
    const portable::Node* e = item.kind == portable::Kind::map ? field(item, "error") : nullptr;
    if (v && v->kind == portable::Kind::bytes) {
      o.value = std::string(v->text);
    } else if (e && e->kind == portable::Kind::string) {
      o.ok = false;
      o.error = std::string(e->text);
    } else {
      o.ok = false;
      o.error = "the worker's outcome for this element is malformed";
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace nws::sleigh
