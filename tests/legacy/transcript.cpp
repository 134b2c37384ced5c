#include "transcript.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace nws::legacy {
namespace {

// Strict: exactly `width` ASCII digits, as '%04d' / '%020d' wrote them.
std::uint64_t parse_fixed(const std::string& field, const char* what) {
  std::uint64_t v = 0;
  for (char c : field) {
    if (c < '0' || c > '9') throw ParseError(std::string(what) + ": not a zero-padded number: '" + field + "'");
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

std::string fixed(std::uint64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(v));
  return buf;
}

// Reads a length-prefixed item, guarding against absurd lengths so a
// desynchronised stream fails with a message instead of a huge allocation.
std::string take_n(const ByteSource& in, std::uint64_t n, const char* what) {
  if (n > (1u << 30)) throw ParseError(std::string(what) + ": implausible length " + std::to_string(n));
  return in(static_cast<std::size_t>(n));
}

}  // namespace

std::optional<std::string> WireDict::get(std::string_view key) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : entries)
    if (k == key) found = v;
  return found;
}

ReplyKind reply_kind_for(std::string_view verb) {
  static constexpr std::string_view kLong[] = {"fetch",    "fetchTry",  "find",      "findTry",
                                               "ifetch",   "ifetchTry", "ifind",     "ifindTry",
                                               "list vars", "list wss", "mktemp ws"};
  for (auto v : kLong)
    if (v == verb) return ReplyKind::long_reply;
  return ReplyKind::short_reply;
}

std::size_t ClientHandshake::negotiation_length() const {
  return requested ? 4 + encode_dict(*requested).size() : 0;
}

Framing ClientHandshake::framing() const {
  Framing f;
  if (new_style()) {
    // The server switches an option on only for the exact value "1" (§3.2).
    f.cookie = true;
    f.metadata_in = requested && requested->get("MetadataToServer") == std::optional<std::string>("1");
    f.metadata_out = requested && requested->get("MetadataFromServer") == std::optional<std::string>("1");
  } else {
    // §3.1: '0000' and '1111' select the no-cookie long replies.
    f.cookie = !(greeting == "0000" || greeting == "1111");
  }
  return f;
}

std::size_t ServerHandshake::advertisement_length() const {
  return 4 + (advertised ? encode_dict(*advertised).size() : 0);
}

std::string StreamCursor::take(std::size_t n) {
  if (data_.size() - pos_ < n)
    throw ParseError("stream ends at offset " + std::to_string(data_.size()) + " inside a field of " +
                     std::to_string(n) + " bytes starting at " + std::to_string(pos_));
  std::string out(data_.substr(pos_, n));
  pos_ += n;
  return out;
}

WireDict read_dict(const ByteSource& in, const char* what) {
  WireDict d;
  std::uint64_t count = parse_fixed(in(4), what);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key = take_n(in, parse_fixed(in(4), what), what);
    std::string value = take_n(in, parse_fixed(in(4), what), what);
    d.entries.emplace_back(std::move(key), std::move(value));
  }
  return d;
}

Reply read_reply(const ByteSource& in, ReplyKind kind, const Framing& framing) {
  Reply r;
  r.kind = kind;
  if (framing.metadata_out) r.metadata = read_dict(in, "reply metadata");
  r.status = in(4);
  parse_fixed(r.status, "status");
  if (kind == ReplyKind::short_reply) return r;
  r.descriptor = in(20);
  parse_fixed(r.descriptor, "descriptor");
  if (framing.cookie) {
    r.var_id = in(20);  // opaque: spaces or any id
    r.index = in(20);
    parse_fixed(*r.index, "value index");
  }
  r.length_field = in(20);
  r.value = take_n(in, parse_fixed(r.length_field, "value length"), "value");
  return r;
}

Request read_request(const ByteSource& in, const Framing& framing) {
  Request r;
  if (framing.metadata_in) r.metadata = read_dict(in, "request metadata");
  std::uint64_t argc = parse_fixed(in(4), "argc");
  if (argc == 0) throw ParseError("request with no arguments");
  for (std::uint64_t i = 0; i < argc; ++i) r.args.push_back(take_n(in, parse_fixed(in(20), "arg length"), "arg"));
  return r;
}

std::string encode_dict(const WireDict& d) {
  std::string out = fixed(d.entries.size(), 4);
  for (const auto& [k, v] : d.entries) out += fixed(k.size(), 4) + k + fixed(v.size(), 4) + v;
  return out;
}

std::string encode_reply(const Reply& r) {
  std::string out;
  if (r.metadata) out += encode_dict(*r.metadata);
  out += r.status;
  if (r.kind == ReplyKind::short_reply) return out;
  out += r.descriptor;
  if (r.var_id) out += *r.var_id + r.index.value_or("");
  // The length field is recomputed from the payload, never copied: a reply
  // whose length field disagrees with its payload cannot encode to its raw bytes.
  out += fixed(r.value.size(), 20);
  out += r.value;
  return out;
}

std::string encode_request(const Request& r) {
  std::string out;
  if (r.metadata) out += encode_dict(*r.metadata);
  out += fixed(r.args.size(), 4);
  for (const auto& a : r.args) out += fixed(a.size(), 20) + a;
  return out;
}

ChunkTable parse_chunks(std::string_view tsv) {
  ChunkTable t;
  std::istringstream lines{std::string(tsv)};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      static constexpr std::string_view kStart = "# session start ", kEnd = "# session end ";
      if (line.rfind(kStart, 0) == 0) t.session_start = line.substr(kStart.size());
      if (line.rfind(kEnd, 0) == 0) t.session_end = line.substr(kEnd.size());
      continue;
    }
    std::vector<std::string> f;
    std::istringstream cols(line);
    std::string col;
    while (std::getline(cols, col, '\t')) f.push_back(col);
    if (f.size() != 6 || (f[3] != "C>S" && f[3] != "S>C")) throw ParseError("bad chunks.tsv row: " + line);
    Chunk c;
    c.seq = std::stoi(f[0]);
    c.wallclock = f[2];
    c.client_to_server = f[3] == "C>S";
    c.offset = std::stoul(f[4]);
    c.length = std::stoul(f[5]);
    t.rows.push_back(c);
  }
  if (t.session_start.empty() || t.session_end.empty() || t.rows.empty())
    throw ParseError("chunks.tsv without session start/end header or rows");
  return t;
}

Transcript parse_transcript(std::string name, std::string c2s, std::string s2c, std::string chunks_tsv) {
  Transcript t;
  t.name = std::move(name);
  t.c2s = std::move(c2s);
  t.s2c = std::move(s2c);
  t.chunks = parse_chunks(chunks_tsv);

  StreamCursor client(t.c2s);
  t.client_handshake.greeting = client.take(4);
  if (t.client_handshake.new_style()) {
    if (client.take(4) != "R000") throw ParseError(t.name + ": expected R000 after X000");
    t.client_handshake.requested = read_dict(client.source(), "requested options");
  }
  Framing framing = t.client_handshake.framing();
  while (!client.at_end()) {
    std::size_t start = client.offset();
    Request r = read_request(client.source(), framing);
    r.offset = start;
    r.length = client.offset() - start;
    t.requests.push_back(std::move(r));
  }

  StreamCursor server(t.s2c);
  t.server_handshake.tag = server.take(4);
  if (t.client_handshake.new_style()) {
    if (t.server_handshake.tag != "P000") throw ParseError(t.name + ": expected P000");
    t.server_handshake.advertised = read_dict(server.source(), "advertised options");
    t.server_handshake.verdict = server.take(4);
  }
  for (const Request& q : t.requests) {
    if (server.at_end()) break;  // checked below
    std::size_t start = server.offset();
    Reply r = read_reply(server.source(), reply_kind_for(q.verb()), framing);
    r.offset = start;
    r.length = server.offset() - start;
    t.replies.push_back(std::move(r));
  }
  if (!server.at_end())
    throw ParseError(t.name + ": " + std::to_string(t.s2c.size() - server.offset()) + " server bytes after the last reply");
  if (t.replies.size() != t.requests.size())
    throw ParseError(t.name + ": " + std::to_string(t.requests.size()) + " requests but " +
                     std::to_string(t.replies.size()) + " replies");
  return t;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

Transcript load_transcript(const std::string& dir, const std::string& name) {
  return parse_transcript(name, read_file(dir + "/" + name + ".c2s.bin"), read_file(dir + "/" + name + ".s2c.bin"),
                          read_file(dir + "/" + name + ".chunks.tsv"));
}

std::string python_repr(std::string_view bytes) {
  // Python picks double quotes only when the text has ' but no ".
  bool has_single = bytes.find('\'') != std::string_view::npos;
  bool has_double = bytes.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : bytes) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  out += quote;
  return out;
}

}  // namespace nws::legacy
