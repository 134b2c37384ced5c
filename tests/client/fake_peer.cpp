#include "fake_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "protocol/dict.hpp"
#include "protocol/encoder.hpp"

namespace fake {
namespace {
constexpr int kPatienceMs = 5000;

bool readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}
}  // namespace

std::string PeerConn::read(std::size_t n) {
  std::string out;
  while (out.size() < n && readable(fd_, kPatienceMs)) {
    char buf[65536];
    ssize_t r = ::recv(fd_, buf, std::min(sizeof buf, n - out.size()), 0);
    if (r <= 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  return out;
}

void PeerConn::expect(std::string_view bytes) { EXPECT_EQ(read(bytes.size()), bytes); }

void PeerConn::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool PeerConn::sees_eof(int timeout_ms) {
  if (!readable(fd_, timeout_ms)) return false;
  char c;
  return ::recv(fd_, &c, 1, 0) == 0;
}

bool PeerConn::silent_for(int ms) { return !readable(fd_, ms); }

void PeerConn::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void PeerConn::handshake(std::string_view advert, std::string_view request, std::string_view verdict) {
  expect("X000");
  send("P000" + std::string(advert));
  expect("R000" + std::string(request));
  send(verdict);
}

FakePeer::FakePeer(Script script) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 1) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "fake peer cannot listen";
    return;
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this, script = std::move(script)] {
    if (!readable(listen_fd_, kPatienceMs)) {
      ADD_FAILURE() << "the client never connected";
      return;
    }
    PeerConn conn(::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC));
    script(conn);
    conn.close();
  });
}

FakePeer::~FakePeer() {
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string request(std::initializer_list<std::string_view> args) {
  std::string out;
  nws::proto::append_request(out, nullptr, args);
  return out;
}

std::string short_reply(int status) {
  std::string out;
  nws::proto::append_short_reply(out, {true, false}, status, nullptr);
  return out;
}

std::string long_reply(int status, std::uint64_t descriptor, std::string_view var_id, std::int64_t index,
                       std::string_view value) {
  std::string out;
  nws::proto::append_long_reply_head(out, {true, false}, status, descriptor, var_id, index, value.size(), nullptr);
  return out + std::string(value);
}

std::string dict(std::initializer_list<std::pair<std::string, std::string>> entries) {
  nws::proto::Dict d;
  for (const auto& [k, v] : entries) d.set(k, v);
  std::string out;
  d.encode(out);
  return out;
}

}  // namespace fake
