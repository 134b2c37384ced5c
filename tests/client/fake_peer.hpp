// A scripted stand-in for an NWS server on a loopback socket: the script
// reads exactly the bytes the client must send and answers with canned
// bytes, so the client's wire behaviour is checked without a real server.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <thread>

namespace fake {

// The peer's end of the accepted connection.  Every read gives up after a
// few seconds so a broken client fails the test instead of hanging it.
class PeerConn {
 public:
  explicit PeerConn(int fd) : fd_(fd) {}
  // Reads n bytes (fewer at end of stream or timeout).
  std::string read(std::size_t n);
  // Reads bytes.size() bytes and checks they are `bytes`.
  void expect(std::string_view bytes);
  void send(std::string_view bytes);
  // True if the client closed its end within `timeout_ms`.
  bool sees_eof(int timeout_ms = 3000);
  // True if nothing at all arrives within `ms`.
  bool silent_for(int ms);
  void close();

  // The handshake of a server advertising `advert` (an encoded dict) and
  // expecting the client to request `request` (an encoded dict).
  void handshake(std::string_view advert, std::string_view request, std::string_view verdict = "A000");

 private:
  int fd_;
};

class FakePeer {
 public:
  using Script = std::function<void(PeerConn&)>;
  explicit FakePeer(Script script);
  ~FakePeer();
  std::uint16_t port() const { return port_; }

 private:
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Wire pieces, built with the project's encoder (PROTOCOL.md §2, §6).
std::string request(std::initializer_list<std::string_view> args);
std::string short_reply(int status);
std::string long_reply(int status, std::uint64_t descriptor, std::string_view var_id, std::int64_t index,
                       std::string_view value);
std::string dict(std::initializer_list<std::pair<std::string, std::string>> entries);

}  // namespace fake
