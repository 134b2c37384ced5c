#include "multi_conn.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "floor_wire.hpp"
#include "net.hpp"

namespace bench {

Step store_step(Target t, std::string_view var, std::string_view value) {
  Step s;
  switch (t) {
    case Target::nws:
      s.request = nwsw::store_request(kWorkspace, var, value);
      s.nws_kind = nwsw::Kind::short_reply;
      break;
    case Target::redis:
      resp::append_command(s.request, {"LPUSH", var, value});
      break;
    case Target::floor:
      s.floor_bytes = nwsw::short_reply_size();
      s.request = floor::message(nwsw::store_request_size(kWorkspace, var, value.size()), s.floor_bytes,
                                 floor::Route::sender);
      break;
  }
  return s;
}

Step fetch_step(Target t, std::string_view var, std::size_t value_len) {
  Step s;
  switch (t) {
    case Target::nws:
      s.request = nwsw::request({"fetch", kWorkspace, var});
      s.nws_kind = nwsw::Kind::long_reply;
      break;
    case Target::redis:
      resp::append_command(s.request, {"RPOP", var});
      break;
    case Target::floor:
      s.floor_bytes = nwsw::long_reply_size(value_len);
      s.request = floor::message(nwsw::fetch_request_size(kWorkspace, var), s.floor_bytes, floor::Route::sender);
      break;
  }
  return s;
}

void ReplyReader::start(const Step& step) {
  switch (target_) {
    case Target::nws: nws_.emplace(nwsw::kFormat, step.nws_kind); break;
    case Target::redis: redis_.reset(); break;
    case Target::floor: floor_left_ = step.floor_bytes; break;
  }
}

std::size_t ReplyReader::feed(const char* p, std::size_t n) {
  switch (target_) {
    case Target::nws: {
      std::size_t used = nws_->feed(std::string_view(p, n));
      if (nws_->state() == nws::proto::ReplyDecoder::State::failed)
        throw std::runtime_error("bad NWS reply: " + nws_->error());
      return used;
    }
    case Target::redis:
      return redis_.feed(p, n);
    case Target::floor: {
      std::size_t used = std::min(n, floor_left_);
      floor_left_ -= used;
      return used;
    }
  }
  return 0;
}

bool ReplyReader::done() const {
  switch (target_) {
    case Target::nws: return nws_->state() == nws::proto::ReplyDecoder::State::done;
    case Target::redis: return redis_.done();
    case Target::floor: return floor_left_ == 0;
  }
  return false;
}

void ReplyReader::check() const {
  if (target_ == Target::nws && nws_->head().status != 0)
    throw std::runtime_error("NWS request failed with status " + std::to_string(nws_->head().status));
  if (target_ == Target::redis && redis_.is_error()) throw std::runtime_error("Redis error: " + redis_.status_line());
}

void send_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t w = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (w >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(w));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw NetError(std::string("send: ") + std::strerror(errno));
    pollfd p{fd, POLLOUT, 0};
    ::poll(&p, 1, 1000);
  }
}

void read_reply(int fd, ReplyReader& reader) {
  char buf[4096];
  while (!reader.done()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) throw NetError("no reply within 10 s");
    std::size_t n = recv_some(fd, buf, sizeof buf);
    if (reader.feed(buf, n) != n) throw std::runtime_error("more bytes than one reply");
  }
  reader.check();
}

void exchange(int fd, const Step& step, ReplyReader& reader) {
  reader.start(step);
  send_fully(fd, step.request);
  read_reply(fd, reader);
}

int open_connection(Target t, std::uint16_t port) {
  if (t != Target::nws) return connect_loopback(port);
  int fd = nwsw::connect_and_handshake(port);
  try {
    Step open{nwsw::request({"open ws", kWorkspace, "nws-bench-load", "no"})};
    ReplyReader reader(t);
    exchange(fd, open, reader);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

Poller::Poller() : ep_(::epoll_create1(EPOLL_CLOEXEC)), events_(1024) {
  if (ep_ < 0) throw NetError("epoll_create1 failed");
}
Poller::~Poller() { ::close(ep_); }

void Poller::add(int fd, std::uint64_t tag) {
  epoll_event ev{EPOLLIN, {.u64 = tag}};
  if (::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev) != 0) throw NetError("epoll_ctl failed");
}

}  // namespace bench
