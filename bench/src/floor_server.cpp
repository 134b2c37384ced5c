// nws-bench-floor: the raw TCP floor.  A single-threaded epoll server that
// does the least a server can do per message: read it, and write the
// requested number of bytes to the connection(s) its route names
// (floor_wire.hpp).  What the NWS server costs on top of this is the price
// of decoding, executing and encoding requests.
//
//   nws-bench-floor [--port P]     prints "floor listening on 127.0.0.1:PORT"
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "floor_wire.hpp"
#include "net.hpp"

namespace {

using bench::floor::Header;
using bench::floor::Route;

constexpr std::size_t kChunk = 1 << 20;
const std::vector<char> kZeros(kChunk, '\0');  // every reply's bytes

struct Conn {
  int fd = -1;
  std::size_t index = 0;    // accept order
  Conn* partner = nullptr;  // relay destination (see accept_all)
  Header head{};
  std::size_t head_got = 0;
  std::size_t skip = 0;     // payload bytes of the current message still to discard
  std::size_t owed = 0;     // reply bytes still to write
  bool want_out = false;    // EPOLLOUT registered
};

class FloorServer {
 public:
  explicit FloorServer(std::uint16_t port) {
    listen_fd_ = bench::listen_loopback(port);
    port_ = port;
    bench::set_nonblocking(listen_fd_);
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{EPOLLIN, {.u64 = kListenTag}};
    ::epoll_ctl(ep_, EPOLL_CTL_ADD, listen_fd_, &ev);
  }
  std::uint16_t port() const { return port_; }

  void run() {
    std::vector<epoll_event> events(1024);
    for (;;) {
      int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        std::perror("epoll_wait");
        return;
      }
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 == kListenTag) {
          accept_all();
          continue;
        }
        Conn* c = conns_[events[i].data.u64].get();
        if (c->fd < 0) continue;
        if (events[i].events & EPOLLOUT) write_owed(*c);
        if (c->fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_from(*c);
      }
    }
  }

 private:
  static constexpr std::uint64_t kListenTag = ~std::uint64_t{0};

  void accept_all() {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      bench::set_nodelay(fd);
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      c->index = conns_.size();
      // Pairs for relaying: each new connection pairs with the latest one
      // still open and unpaired, so runs before it do not shift the pairs.
      if (unpaired_ && unpaired_->fd >= 0) {
        c->partner = unpaired_;
        unpaired_->partner = c.get();
        unpaired_ = nullptr;
      } else {
        unpaired_ = c.get();
      }
      epoll_event ev{EPOLLIN, {.u64 = c->index}};
      ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
      conns_.push_back(std::move(c));
    }
  }

  void read_from(Conn& c) {
    ssize_t r = ::recv(c.fd, buf_.data(), buf_.size(), 0);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
      close_conn(c);
      return;
    }
    if (r < 0) return;
    const char* p = buf_.data();
    auto left = static_cast<std::size_t>(r);
    while (left > 0) {
      if (c.head_got < sizeof(Header)) {
        std::size_t take = std::min(left, sizeof(Header) - c.head_got);
        std::memcpy(reinterpret_cast<char*>(&c.head) + c.head_got, p, take);
        c.head_got += take;
        p += take;
        left -= take;
        if (c.head_got < sizeof(Header)) break;
        c.skip = c.head.total - sizeof(Header);
      }
      std::size_t take = std::min(left, c.skip);
      c.skip -= take;
      p += take;
      left -= take;
      if (c.skip == 0) {
        c.head_got = 0;
        dispatch(c);
        if (c.fd < 0) return;
      }
    }
  }

  void dispatch(Conn& from) {
    switch (static_cast<Route>(from.head.route)) {
      case Route::sender:
        owe(from, from.head.reply);
        break;
      case Route::partner:
        if (from.partner) owe(*from.partner, from.head.reply);
        break;
      case Route::others:
        for (auto& c : conns_)
          if (c->fd >= 0 && c.get() != &from) owe(*c, from.head.reply);
        break;
      case Route::partner_and_sender:
        if (from.partner) owe(*from.partner, from.head.relay);
        owe(from, from.head.reply);
        break;
    }
  }

  void owe(Conn& c, std::size_t n) {
    if (c.fd < 0) return;
    c.owed += n;
    if (!c.want_out) write_owed(c);
  }

  void write_owed(Conn& c) {
    while (c.owed > 0) {
      ssize_t w = ::send(c.fd, kZeros.data(), std::min(c.owed, kChunk), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        close_conn(c);
        return;
      }
      c.owed -= static_cast<std::size_t>(w);
    }
    bool want = c.owed > 0;
    if (want != c.want_out) {
      c.want_out = want;
      epoll_event ev{want ? EPOLLIN | EPOLLOUT : EPOLLIN, {.u64 = c.index}};
      ::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
    }
  }

  // The Conn stays allocated (fd -1) so callers up the stack may still look
  // at it; a benchmark server lives for seconds, so nothing is reclaimed.
  void close_conn(Conn& c) {
    ::close(c.fd);  // also leaves the epoll set
    c.fd = -1;
    c.owed = 0;
  }

  int listen_fd_ = -1;
  int ep_ = -1;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<Conn>> conns_;
  Conn* unpaired_ = nullptr;
  std::vector<char> buf_ = std::vector<char>(256 * 1024);
};

}  // namespace

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--port") port = static_cast<std::uint16_t>(std::stoi(argv[i + 1]));
  bench::raise_fd_limit();
  try {
    FloorServer server(port);
    std::printf("floor listening on 127.0.0.1:%u\n", static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    server.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nws-bench-floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
