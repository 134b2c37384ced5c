// The NWS wire protocol spoken directly (core/src/protocol's encoder and
// ReplyDecoder) for the scenarios that keep many connections busy from one
// epoll loop, where the blocking client library cannot be used without a
// thread per connection.  Connections negotiate exactly what the client
// library negotiates with our server, so the bytes on the wire are the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/encoder.hpp"
#include "protocol/reply_decoder.hpp"

namespace bench::nwsw {

using Kind = nws::proto::ReplyDecoder::Kind;

// Cookies and MetadataFromServer, as the client library gets from our server.
inline constexpr nws::proto::ReplyFormat kFormat{true, true};

// Connects to 127.0.0.1:port and negotiates MetadataToServer=1,
// MetadataFromServer=1 (and NwsCancel when offered).  Returns a blocking fd.
int connect_and_handshake(std::uint16_t port);

// A request with the (empty) metadata prefix MetadataToServer requires.
std::string request(std::initializer_list<std::string_view> args);
// A store request with the value appended.
std::string store_request(std::string_view ws, std::string_view var, std::string_view value);

// The sizes of what the client library sends and receives, for the floor.
std::size_t store_request_size(std::string_view ws, std::string_view var, std::size_t value_len);
std::size_t fetch_request_size(std::string_view ws, std::string_view var);  // also find
std::size_t short_reply_size();
std::size_t long_reply_size(std::size_t value_len);

// The descriptor the benchmarks store with: a C++ direct binary string.
inline constexpr std::uint64_t kDescriptor = (11u << 24) | 0x3;

}  // namespace bench::nwsw

namespace bench::nwsw {

// A blocking raw connection (negotiated as above) with a receive buffer kept
// between replies; non-blocking requests may be pipelined.
class Conn {
 public:
  explicit Conn(std::uint16_t port);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void send(std::string_view bytes);
  // Reads the next reply of the given kind; throws unless its status is 0.
  const nws::proto::ReplyHead& read_reply(Kind kind);
  const nws::proto::ReplyHead& call(std::string_view req, Kind kind) {
    send(req);
    return read_reply(kind);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::vector<char> rbuf_;
  std::size_t rbegin_ = 0, rend_ = 0;
  nws::proto::ReplyHead head_;
};

}  // namespace bench::nwsw
