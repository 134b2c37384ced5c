#include "nws_wire.hpp"

#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "net.hpp"
#include "protocol/dict.hpp"
#include "protocol/fields.hpp"
#include "protocol/handshake.hpp"

namespace bench::nwsw {
namespace {

namespace proto = nws::proto;

std::string descriptor_field() {
  std::string d;
  proto::append_n20u(d, kDescriptor);
  return d;
}

std::string read_exact(int fd, std::size_t n) {
  std::string out;
  std::vector<char> buf(n);
  while (out.size() < n) out.append(buf.data(), recv_some(fd, buf.data(), n - out.size()));
  return out;
}

}  // namespace

int connect_and_handshake(std::uint16_t port) {
  int fd = connect_loopback(port);
  try {
    send_all(fd, "X000");
    if (read_exact(fd, 4) != "P000") throw std::runtime_error("not a new-style NWS server");
    proto::DictParser parser;
    std::vector<char> buf(4096);
    while (parser.state() == proto::DictParser::State::reading) {
      std::size_t n = recv_some(fd, buf.data(), buf.size());
      if (parser.feed(std::string_view(buf.data(), n)) != n)
        throw std::runtime_error("NWS server sent more than its advertisement");
    }
    if (parser.state() != proto::DictParser::State::done) throw std::runtime_error("bad NWS advertisement");
    proto::Dict offered = parser.take();
    proto::Dict want;
    want.set(std::string(proto::kMetadataToServer), "1");
    want.set(std::string(proto::kMetadataFromServer), "1");
    if (offered.contains(proto::kNwsCancel)) want.set(std::string(proto::kNwsCancel), "1");
    std::string req = "R000";
    want.encode(req);
    send_all(fd, req);
    if (read_exact(fd, 4) != "A000") throw std::runtime_error("NWS server refused the options");
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

std::string request(std::initializer_list<std::string_view> args) {
  static const proto::Dict empty;
  std::string out;
  proto::append_request(out, &empty, args);
  return out;
}

std::string store_request(std::string_view ws, std::string_view var, std::string_view value) {
  return request({"store", ws, var, descriptor_field(), value});
}

std::size_t store_request_size(std::string_view ws, std::string_view var, std::size_t value_len) {
  static const proto::Dict empty;
  std::string out;
  proto::append_request_head(out, &empty, {"store", ws, var, descriptor_field()}, value_len);
  return out.size() + value_len;
}

std::size_t fetch_request_size(std::string_view ws, std::string_view var) {
  return request({"fetch", ws, var}).size();
}

std::size_t short_reply_size() {
  std::string out;
  proto::append_short_reply(out, kFormat, 0, nullptr);
  return out.size();
}

std::size_t long_reply_size(std::size_t value_len) {
  std::string out;
  proto::append_long_reply_head(out, kFormat, 0, kDescriptor, "00000000000000000001", 0, value_len, nullptr);
  return out.size() + value_len;
}

}  // namespace bench::nwsw

namespace bench::nwsw {

Conn::Conn(std::uint16_t port) : fd_(connect_and_handshake(port)), rbuf_(64 * 1024) {}
Conn::~Conn() { ::close(fd_); }

void Conn::send(std::string_view bytes) { send_all(fd_, bytes); }

const nws::proto::ReplyHead& Conn::read_reply(Kind kind) {
  nws::proto::ReplyDecoder dec(kFormat, kind);
  for (;;) {
    if (rbegin_ < rend_) rbegin_ += dec.feed(std::string_view(rbuf_.data() + rbegin_, rend_ - rbegin_));
    if (dec.state() != nws::proto::ReplyDecoder::State::reading) break;
    rbegin_ = rend_ = 0;
    rend_ = recv_some(fd_, rbuf_.data(), rbuf_.size());
  }
  if (dec.state() == nws::proto::ReplyDecoder::State::failed)
    throw std::runtime_error("bad NWS reply: " + dec.error());
  head_ = dec.head();
  if (head_.status != 0) throw std::runtime_error("NWS request failed with status " + std::to_string(head_.status));
  return head_;
}

}  // namespace bench::nwsw
