#include "server/web/http_connection.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/log.hpp"
#include "server/server.hpp"
#include "server/web/router.hpp"
#include "server/web/web_server.hpp"

namespace nws::server::web {

namespace http = boost::beast::http;

namespace {
// A request's head and body may be no larger: the interface's forms and
// API calls are small.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kBodyLimit = 64 * 1024;
// Past this much unread input (pipelined requests while a response waits)
// the connection stops reading until its output drains.
constexpr std::size_t kMaxBufferedInput = 256 * 1024;
}  // namespace

struct HttpConnection::Parser {
  http::request_parser<http::string_body> p;
  Parser() {
    p.header_limit(kHeaderLimit);
    p.body_limit(kBodyLimit);
    p.eager(true);
  }
};

HttpConnection::HttpConnection(WebServer& owner, int fd, std::string peer)
    : owner_(owner), fd_(fd), peer_(std::move(peer)), parser_(std::make_unique<Parser>()) {}

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::start() {
  interest_ = EPOLLIN;
  owner_.server().loop().add(fd_, interest_, this);
}

void HttpConnection::close() {
  if (closed_) return;
  closed_ = true;
  owner_.server().loop().remove(fd_);
  ::close(fd_);
}

void HttpConnection::on_events(std::uint32_t events) {
  if (closed_) return;
  if (events & EPOLLOUT) {
    if (!flush()) return owner_.closed(*this);
    // Requests that came while the output waited.
    if (out_offset_ == out_.size() && !in_.empty() && !close_after_write_) process();
    if (closed_) return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read();
  if (closed_) return;
  if (close_after_write_ && out_offset_ == out_.size() && !lingering_) linger();
  update_interest();
}

void HttpConnection::linger() {
  lingering_ = true;
  in_.clear();
  ::shutdown(fd_, SHUT_WR);
}

void HttpConnection::read() {
  char buf[16 * 1024];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    owner_.closed(*this);
    return;
  }
  if (n < 0) return;
  if (lingering_) {
    // Dropped; a peer that goes on sending is cut off.
    discarded_ += static_cast<std::size_t>(n);
    if (discarded_ > (1u << 20)) owner_.closed(*this);
    return;
  }
  last_activity_ = Clock::now();
  in_.append(buf, static_cast<std::size_t>(n));
  process();
}

void HttpConnection::process() {
  while (!in_.empty() && !close_after_write_ && out_offset_ == out_.size()) {
    boost::system::error_code ec;
    std::size_t used = parser_->p.put(boost::asio::buffer(in_.data(), in_.size()), ec);
    in_.erase(0, used);
    if (ec == http::error::need_more) {
      if (used == 0) break;  // the rest of the head has not come yet
      continue;
    }
    if (ec == http::error::header_limit) return answer_error(431, "The request's head is too large.");
    if (ec == http::error::body_limit) return answer_error(413, "The request's body is too large.");
    if (ec) return answer_error(400, "Malformed request: " + ec.message() + ".");
    if (!parser_->p.is_done()) continue;

    http::request<http::string_body> req = parser_->p.release();
    parser_ = std::make_unique<Parser>();
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.host = std::string(req[http::field::host]);
    r.origin = std::string(req[http::field::origin]);
    r.content_type = std::string(req[http::field::content_type]);
    r.body = std::move(req.body());

    HttpResponse answer;
    try {
      answer = route(owner_.server(), owner_.info(), r);
    } catch (const std::exception& e) {
      // A page that cannot be made costs its request, never the server.
      log(LogLevel::warn, "web: {} {} from {}: {}", r.method, r.target.substr(0, 200), peer_, e.what());
      answer = HttpResponse{500, "text/plain; charset=utf-8", "The page could not be made: " + std::string(e.what()) + "\n", {}};
    }
    ++owner_.info().requests;

    http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
    res.set(http::field::server, "nws-server");
    res.set(http::field::content_type, answer.content_type);
    res.set(http::field::cache_control, "no-cache");
    // The pages are ours alone: no framing by other sites, no guessing types.
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
            "img-src 'self'; form-action 'self'; frame-ancestors 'none'");
    for (auto& [k, v] : answer.headers) res.set(k, v);
    const bool head = req.method() == http::verb::head;
    res.body() = std::move(answer.body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    // The head through Beast's writer, the body appended as it is (no
    // copy through a stream: a page can be tens of kilobytes).
    std::ostringstream os;
    os << res.base();
    out_ += os.str();
    if (!head) out_ += res.body();
    if (!req.keep_alive()) close_after_write_ = true;
    if (!flush()) return owner_.closed(*this);
  }
  if (in_.size() > kMaxBufferedInput) answer_error(400, "Too many requests sent without reading the answers.");
}

void HttpConnection::answer_error(int status, const std::string& why) {
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "nws-server");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::connection, "close");
  res.body() = why + "\n";
  res.prepare_payload();
  std::ostringstream os;
  os << res;
  out_ += os.str();
  in_.clear();
  close_after_write_ = true;
  if (!flush()) owner_.closed(*this);
  // The caller (process, inside on_events) starts the lingering close once
  // the response is out.
}

bool HttpConnection::flush() {
  while (out_offset_ < out_.size()) {
    ssize_t n = ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      return false;
    }
    out_offset_ += static_cast<std::size_t>(n);
    last_activity_ = Clock::now();
  }
  if (out_offset_ == out_.size()) {
    out_.clear();
    out_offset_ = 0;
  }
  return !closed_;
}

void HttpConnection::update_interest() {
  // While a response waits for the socket, no more requests are read.
  std::uint32_t want = out_offset_ < out_.size() && !lingering_ ? EPOLLOUT : EPOLLIN;
  if (want != interest_) {
    interest_ = want;
    owner_.server().loop().modify(fd_, interest_, this);
  }
}

}  // namespace nws::server::web
