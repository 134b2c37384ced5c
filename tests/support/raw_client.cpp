#include "raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace nws::test {

RawClient::RawClient(std::uint16_t port, const char* host) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host, &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd_);
    throw std::runtime_error(std::string("connect failed: ") + std::strerror(e));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::RawClient(RawClient&& o) noexcept
    : format(o.format), metadata_in(o.metadata_in), pending_(std::move(o.pending_)), fd_(o.fd_) {
  o.fd_ = -1;
}

RawClient::~RawClient() { close(); }

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string RawClient::read_available(int timeout_ms) {
  std::string out = std::move(pending_);
  pending_.clear();
  pollfd p{fd_, POLLIN, 0};
  if (out.empty() && ::poll(&p, 1, timeout_ms) <= 0) return out;
  char buf[65536];
  while (true) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string RawClient::read_exact(std::size_t n, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string out;
  std::size_t take = std::min(n, pending_.size());
  out = pending_.substr(0, take);
  pending_.erase(0, take);
  std::vector<char> buf(std::min<std::size_t>(n, 1 << 20));
  while (out.size() < n) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("timed out waiting for " + std::to_string(n) + " bytes, got " + std::to_string(out.size()));
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t r = ::recv(fd_, buf.data(), std::min(buf.size(), n - out.size()), 0);
    if (r == 0) throw std::runtime_error("connection closed after " + std::to_string(out.size()) + " of " + std::to_string(n) + " bytes");
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw std::runtime_error(std::string("recv failed: ") + std::strerror(errno));
    }
    out.append(buf.data(), static_cast<std::size_t>(r));
  }
  return out;
}

bool RawClient::wait_closed(int timeout_ms, std::string* tail) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string got = std::move(pending_);
  pending_.clear();
  char buf[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
    if (r == 0 || (r < 0 && errno == ECONNRESET)) {
      if (tail) *tail = got;
      return true;
    }
    if (r > 0) got.append(buf, static_cast<std::size_t>(r));
  }
  if (tail) *tail = got;
  return false;
}

proto::Dict RawClient::handshake(const proto::Dict& request) {
  send("X000");
  if (read_exact(4) != "P000") throw std::runtime_error("expected P000");
  proto::DictParser parser;
  while (parser.state() == proto::DictParser::State::reading) {
    std::string b = read_exact(1);
    parser.feed(b);
  }
  if (parser.state() != proto::DictParser::State::done) throw std::runtime_error("bad advertisement");
  proto::Dict adv = parser.take();
  std::string out = "R000";
  request.encode(out);
  send(out);
  std::string answer = read_exact(4);
  if (answer != "A000") throw std::runtime_error("handshake refused: " + answer);
  format.cookie = true;
  format.metadata = request.get("MetadataFromServer") == std::optional<std::string_view>("1");
  metadata_in = request.get("MetadataToServer") == std::optional<std::string_view>("1");
  return adv;
}

void RawClient::handshake_old(const std::string& greeting) {
  send(greeting);
  if (read_exact(4) != "2223") throw std::runtime_error("expected 2223");
  format.cookie = !(greeting == "0000" || greeting == "1111");
  format.metadata = false;
  metadata_in = false;
}

void RawClient::request(std::initializer_list<std::string_view> args, const proto::Dict& metadata) {
  std::string out;
  proto::append_request(out, metadata_in ? &metadata : nullptr, args);
  send(out);
}

namespace {
template <typename Read>
void run_decoder(proto::ReplyDecoder& d, std::string& pending, Read read_more) {
  while (d.state() == proto::ReplyDecoder::State::reading) {
    if (pending.empty()) pending = read_more();
    std::size_t used = d.feed(pending);
    pending.erase(0, used);
  }
  if (d.state() == proto::ReplyDecoder::State::failed) throw std::runtime_error("bad reply: " + d.error());
}
}  // namespace

int RawClient::read_short(proto::Dict* metadata, int timeout_ms) {
  proto::ReplyDecoder d(format, proto::ReplyDecoder::Kind::short_reply);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  run_decoder(d, pending_, [&] {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("timed out waiting for a short reply");
    std::string s = read_available(static_cast<int>(left.count()));
    return s;
  });
  if (metadata) *metadata = d.head().metadata;
  return d.head().status;
}

LongReply RawClient::read_long(int timeout_ms) {
  proto::ReplyDecoder d(format, proto::ReplyDecoder::Kind::long_reply);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  run_decoder(d, pending_, [&] {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("timed out waiting for a long reply");
    return read_available(static_cast<int>(left.count()));
  });
  return LongReply{d.head(), std::move(d.value())};
}

int RawClient::call_short(std::initializer_list<std::string_view> args) {
  request(args);
  return read_short();
}

LongReply RawClient::call_long(std::initializer_list<std::string_view> args) {
  request(args);
  return read_long();
}

void RawClient::open(const std::string& ws) {
  int st = call_short({"open ws", ws, "test", "no"});
  if (st != 0) throw std::runtime_error("open ws failed with status " + std::to_string(st));
}

void RawClient::store(const std::string& ws, const std::string& var, const std::string& value,
                      std::uint64_t descriptor) {
  std::string d = std::to_string(descriptor);
  d.insert(0, 20 - d.size(), '0');
  int st = call_short({"store", ws, var, d, value});
  if (st != 0) throw std::runtime_error("store failed with status " + std::to_string(st));
}

std::string encode_request(std::initializer_list<std::string_view> args) {
  std::string out;
  proto::append_request(out, nullptr, args);
  return out;
}

}  // namespace nws::test
