// Parser of the recorded legacy NWS sessions (tests/vectors/legacy):
// splits a client->server stream into handshake + requests and a
// server->client stream into handshake + replies, keeping every field exactly
// as it was on the wire, and reads the chunk tables (NAME.chunks.tsv).
//
// The same reply parser reads our server's replies from a socket (through a
// ByteSource), so recorded and live replies end up in one structure that the
// normaliser can compare.  It is deliberately independent of core/src/protocol:
// the recordings are the reference the codec is tested against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nws::legacy {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An option or metadata map, in wire order.
struct WireDict {
  std::vector<std::pair<std::string, std::string>> entries;
  std::optional<std::string> get(std::string_view key) const;  // last one wins
  bool operator==(const WireDict&) const = default;
};

enum class ReplyKind { short_reply, long_reply };

// §6.4: the reply kind follows from the verb; unknown verbs get short replies.
ReplyKind reply_kind_for(std::string_view verb);

// How a connection frames its traffic after the handshake.
struct Framing {
  bool cookie = true;        // long replies carry variable id + index
  bool metadata_in = false;  // a dict precedes every request
  bool metadata_out = false; // a dict precedes every reply
};

struct Request {
  std::size_t offset = 0, length = 0;  // in the client->server stream
  std::optional<WireDict> metadata;    // present iff metadata_in
  std::vector<std::string> args;       // args[0] is the verb
  const std::string& verb() const { return args.at(0); }
};

struct Reply {
  std::size_t offset = 0, length = 0;  // in the server->client stream
  ReplyKind kind = ReplyKind::short_reply;
  std::optional<WireDict> metadata;    // present iff metadata_out
  std::string status;                  // the 4 bytes as sent
  // Long replies only; the 20-byte fields as sent.
  std::string descriptor;
  std::optional<std::string> var_id, index;  // cookie format only
  std::string length_field;
  std::string value;
};

// The client's side of the handshake: the 4-byte greeting and, for the
// new-style handshake, the R000 request map.
struct ClientHandshake {
  std::string greeting;
  std::optional<WireDict> requested;
  std::size_t greeting_length() const { return 4; }
  std::size_t negotiation_length() const;  // R000 + dict, 0 if old-style
  bool new_style() const { return !greeting.empty() && greeting[0] == 'X'; }
  Framing framing() const;
};

// The server's side: "2223" (old style), or "P000" + advertisement + verdict.
struct ServerHandshake {
  std::string tag;                      // "2223" or "P000"
  std::optional<WireDict> advertised;   // after P000
  std::string verdict;                  // "A000" / "F000"; empty if old style
  std::size_t advertisement_length() const;  // tag (+ dict)
};

// Reads exactly n bytes or throws (a string cursor, or a socket).
using ByteSource = std::function<std::string(std::size_t n)>;

// A cursor over a recorded stream, as a ByteSource.
class StreamCursor {
 public:
  explicit StreamCursor(std::string_view data) : data_(data) {}
  std::string take(std::size_t n);
  std::size_t offset() const { return pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  ByteSource source() { return [this](std::size_t n) { return take(n); }; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// Field readers.  Numbers must be exactly the zero-padded decimals the
// original wrote; anything else is a ParseError naming the field.
WireDict read_dict(const ByteSource& in, const char* what);
Reply read_reply(const ByteSource& in, ReplyKind kind, const Framing& framing);
Request read_request(const ByteSource& in, const Framing& framing);

// Canonical encodings (N4 / N20 zero-padded), used to check that what was
// parsed re-encodes to exactly the bytes that were read.
std::string encode_dict(const WireDict& d);
std::string encode_reply(const Reply& r);
std::string encode_request(const Request& r);

// One row of NAME.chunks.tsv.
struct Chunk {
  int seq = 0;
  std::string wallclock;  // ISO-8601 UTC, same layout in every file: sortable
  bool client_to_server = false;
  std::size_t offset = 0, length = 0;
};

struct ChunkTable {
  std::string session_start, session_end;  // wall clock from the header lines
  std::vector<Chunk> rows;
};

ChunkTable parse_chunks(std::string_view tsv);

// Everything recorded for one connection.
struct Transcript {
  std::string name;
  std::string c2s, s2c;  // raw streams
  ChunkTable chunks;
  ClientHandshake client_handshake;
  ServerHandshake server_handshake;
  std::vector<Request> requests;
  std::vector<Reply> replies;
  Framing framing() const { return client_handshake.framing(); }
  std::size_t client_handshake_length() const {
    return client_handshake.greeting_length() + client_handshake.negotiation_length();
  }
};

// Parses both streams completely (throws ParseError if either has bytes
// left over or ends inside a field, or if requests and replies differ in
// number).
Transcript parse_transcript(std::string name, std::string c2s, std::string s2c, std::string chunks_tsv);

// Reads NAME.c2s.bin, NAME.s2c.bin and NAME.chunks.tsv from `dir`.
Transcript load_transcript(const std::string& dir, const std::string& name);
std::string read_file(const std::string& path);

// Python's repr() of a bytes object without the b prefix (used to check the
// recorded client-output files).
std::string python_repr(std::string_view bytes);

}  // namespace nws::legacy
