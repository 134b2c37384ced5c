#include "resp.hpp"

#include <cstring>
#include <stdexcept>

namespace bench::resp {

void append_command(std::string& out, std::initializer_list<std::string_view> args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (auto a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

void append_command_head(std::string& out, std::initializer_list<std::string_view> args_before_last,
                         std::size_t last_len) {
  out += '*';
  out += std::to_string(args_before_last.size() + 1);
  out += "\r\n";
  for (auto a : args_before_last) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
  out += '$';
  out += std::to_string(last_len);
  out += "\r\n";
}

void Reader::reset() {
  done_ = error_ = in_bulk_ = false;
  bulk_left_ = bulk_len_ = 0;
  line_.clear();
  status_.clear();
  integer_ = 0;
  top_len_ = -1;
  open_.clear();
}

// One element finished: count it against the innermost open array, closing
// arrays that are complete; the reply ends when nothing is open.
void Reader::element_done() {
  while (!open_.empty()) {
    if (--open_.back() > 0) return;
    open_.pop_back();
  }
  done_ = true;
}

std::size_t Reader::feed(const char* p, std::size_t n) {
  std::size_t used = 0;
  while (used < n && !done_) {
    if (in_bulk_) {
      std::size_t take = std::min(bulk_left_, n - used);
      // Payload bytes go to the buffer; the trailing CRLF is just skipped.
      std::size_t payload_left = bulk_left_ > 2 ? bulk_left_ - 2 : 0;
      std::size_t copy = std::min(take, payload_left);
      if (copy) std::memcpy(bulk_.data() + (bulk_len_ - payload_left), p + used, copy);
      used += take;
      bulk_left_ -= take;
      if (bulk_left_ == 0) {
        in_bulk_ = false;
        element_done();
      }
      continue;
    }
    const void* nl = std::memchr(p + used, '\n', n - used);
    if (!nl) {
      line_.append(p + used, n - used);
      used = n;
      break;
    }
    auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - p);
    line_.append(p + used, end - used);
    used = end + 1;
    if (line_.empty() || line_.back() != '\r') throw std::runtime_error("RESP line without CR");
    line_.pop_back();
    const char type = line_[0];
    std::string_view rest(line_.data() + 1, line_.size() - 1);
    auto number = [&] {
      std::int64_t v = 0;
      bool neg = !rest.empty() && rest[0] == '-';
      for (std::size_t i = neg ? 1 : 0; i < rest.size(); ++i) {
        if (rest[i] < '0' || rest[i] > '9') throw std::runtime_error("bad RESP number: " + line_);
        v = v * 10 + (rest[i] - '0');
      }
      return neg ? -v : v;
    };
    switch (type) {
      case '+':
        if (open_.empty()) status_ = line_;
        element_done();
        break;
      case '-':
        error_ = true;
        status_ = line_;
        element_done();
        break;
      case ':':
        integer_ = number();
        element_done();
        break;
      case '$': {
        std::int64_t len = number();
        if (len < 0) {  // nil
          bulk_len_ = 0;
          element_done();
          break;
        }
        bulk_len_ = static_cast<std::size_t>(len);
        if (bulk_.size() < bulk_len_) bulk_.resize(bulk_len_);
        bulk_left_ = bulk_len_ + 2;
        in_bulk_ = true;
        break;
      }
      case '*': {
        std::int64_t len = number();
        if (open_.empty() && top_len_ < 0) top_len_ = len;
        if (len <= 0) element_done();
        else open_.push_back(len);
        break;
      }
      default:
        throw std::runtime_error("unexpected RESP reply: " + line_);
    }
    line_.clear();
  }
  return used;
}

}  // namespace bench::resp

#include <unistd.h>

#include "net.hpp"

namespace bench::resp {

Conn::Conn(std::uint16_t port) : fd_(connect_loopback(port)), rbuf_(256 * 1024) {}
Conn::~Conn() { ::close(fd_); }

void Conn::send(std::initializer_list<std::string_view> args) {
  out_.clear();
  append_command(out_, args);
  send_all(fd_, out_);
}

void Conn::send_with_value(std::initializer_list<std::string_view> args_before_last, std::string_view value) {
  out_.clear();
  append_command_head(out_, args_before_last, value.size());
  send_all(fd_, out_, value, "\r\n");
}

void Conn::send_raw(std::string_view bytes) { send_all(fd_, bytes); }

const Reader& Conn::read_reply() {
  reader_.reset();
  for (;;) {
    if (rbegin_ < rend_) rbegin_ += reader_.feed(rbuf_.data() + rbegin_, rend_ - rbegin_);
    if (reader_.done()) break;
    rbegin_ = rend_ = 0;
    rend_ = recv_some(fd_, rbuf_.data(), rbuf_.size());
  }
  if (reader_.is_error()) throw std::runtime_error("Redis error: " + reader_.status_line());
  return reader_;
}

}  // namespace bench::resp
