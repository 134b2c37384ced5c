#include "floor_wire.hpp"

#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "net.hpp"

namespace bench::floor {

std::string message(std::size_t total, std::size_t reply, Route route, std::size_t relay) {
  if (total < sizeof(Header)) throw std::invalid_argument("floor message shorter than its header");
  std::string m(total, '\0');
  Header h{static_cast<std::uint32_t>(total), static_cast<std::uint32_t>(reply), static_cast<std::uint32_t>(route),
           static_cast<std::uint32_t>(relay)};
  std::memcpy(m.data(), &h, sizeof h);
  return m;
}

Conn::Conn(std::uint16_t port) : fd_(connect_loopback(port)), rbuf_(256 * 1024) {}
Conn::~Conn() { ::close(fd_); }

void Conn::send(std::size_t total, std::size_t reply, Route route, std::string_view body, std::size_t relay) {
  Header h{static_cast<std::uint32_t>(total), static_cast<std::uint32_t>(reply), static_cast<std::uint32_t>(route),
           static_cast<std::uint32_t>(relay)};
  std::size_t payload = total - sizeof h;
  if (body.size() < payload) throw std::invalid_argument("floor body too short");
  send_all(fd_, std::string_view(reinterpret_cast<const char*>(&h), sizeof h), body.substr(0, payload));
}

void Conn::receive(std::size_t n) {
  // Same path as the NWS client: recv into a fixed buffer, copy the payload out.
  if (reply_.size() < n) reply_.resize(n);
  std::size_t got = 0;
  while (got < n) {
    std::size_t r = recv_some(fd_, rbuf_.data(), std::min(rbuf_.size(), n - got));
    std::memcpy(reply_.data() + got, rbuf_.data(), r);
    got += r;
  }
}

}  // namespace bench::floor
