// A wire-level test client: sends exact bytes, reads exact replies, with
// timeouts so a broken server fails a test instead of hanging it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dict.hpp"
#include "protocol/encoder.hpp"
#include "protocol/reply_decoder.hpp"

namespace nws::test {

struct LongReply {
  proto::ReplyHead head;
  std::string value;
  int status() const { return head.status; }
};

class RawClient {
 public:
  explicit RawClient(std::uint16_t port, const char* host = "127.0.0.1");
  ~RawClient();
  RawClient(RawClient&& o) noexcept;
  RawClient(const RawClient&) = delete;

  int fd() const { return fd_; }
  void send(std::string_view bytes);
  // Exactly n bytes; throws std::runtime_error on EOF or timeout.
  std::string read_exact(std::size_t n, int timeout_ms = 10000);
  // Whatever arrives within timeout_ms (possibly nothing).
  std::string read_available(int timeout_ms);
  // True if the server closes the connection within timeout_ms (any bytes
  // that arrive first are returned through `tail`).
  bool wait_closed(int timeout_ms = 10000, std::string* tail = nullptr);
  void close();

  // X000 / P000+dict / R000+request / A000.  Returns the advertisement.
  proto::Dict handshake(const proto::Dict& request = {});
  // Old-style greeting ("1112", "0000", "1111"); expects "2223".
  void handshake_old(const std::string& greeting = "1112");

  // Sends one request (with a metadata dict if MetadataToServer was negotiated).
  void request(std::initializer_list<std::string_view> args, const proto::Dict& metadata = {});
  int read_short(proto::Dict* metadata = nullptr, int timeout_ms = 10000);
  LongReply read_long(int timeout_ms = 10000);

  // Convenience: request + reply.
  int call_short(std::initializer_list<std::string_view> args);
  LongReply call_long(std::initializer_list<std::string_view> args);
  // open ws NAME with owner label "test", not persistent.
  void open(const std::string& ws);
  void store(const std::string& ws, const std::string& var, const std::string& value,
             std::uint64_t descriptor = 0x01000001);

  proto::ReplyFormat format;
  bool metadata_in = false;

 private:
  std::string pending_;  // bytes read past the last reply
  int fd_ = -1;
};

// Bytes of a request, for tests that want to cut or corrupt them.
std::string encode_request(std::initializer_list<std::string_view> args);

}  // namespace nws::test
