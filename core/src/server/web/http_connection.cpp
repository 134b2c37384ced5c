#include "server/web/http_connection.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include "security/scram.hpp"
#include "server/log.hpp"
#include "server/security/authenticator.hpp"
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
    : owner_(owner), fd_(fd), peer_(std::move(peer)), parser_(std::make_unique<Parser>()) {
  if (owner_.server().tls()) tls_ = std::make_unique<TlsStream>(owner_.server().tls(), fd_);
}

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
  if (tls_ && tls_->handshaking() && !close_after_write_) {
    // The handshake's end may bring the first request with it (read ahead),
    // answered at once: then the lingering close below applies as well.
    handshake_tls();
    if (closed_) return;
    if (close_after_write_ && out_offset_ == out_.size() && !lingering_) linger();
    update_interest();
    return;
  }
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

void HttpConnection::handshake_tls() {
  unsigned char first = 0;
  if (!hello_seen_ && ::recv(fd_, &first, 1, MSG_PEEK) == 1 && !(hello_seen_ = looks_like_tls(first))) {
    // Plain HTTP to the HTTPS port: say so in plain HTTP, then close.
    log(LogLevel::info, "web: {} spoke plain HTTP to the HTTPS port", peer_);
    tls_.reset();
    answer_error(400, "This port speaks HTTPS: use https://" + owner_.server().config().bind + ":" +
                          std::to_string(owner_.port()) + "/ instead.");
    if (!closed_ && out_offset_ == out_.size()) linger();
    return;
  }
  switch (tls_->handshake()) {
    case TlsStream::Io::ok:
      // The request may have come with the handshake's last flight, read
      // ahead by OpenSSL: the socket will not announce it again.
      if (tls_->pending()) read();
      return;
    case TlsStream::Io::again: return;
    case TlsStream::Io::closed: owner_.closed(*this); return;
    case TlsStream::Io::failed:
      log(LogLevel::info, "web: {}: TLS handshake failed: {}", peer_, tls_->error());
      owner_.closed(*this);
      return;
  }
}

ssize_t HttpConnection::receive(char* buf, std::size_t n) {
  return tls_ ? tls_->recv(buf, n) : ::recv(fd_, buf, n, 0);
}

bool HttpConnection::authorised(const HttpRequest& r) {
  const ServerAuthenticator* auth = owner_.server().authenticator();
  if (!auth) return true;
  // HTTP Basic (over TLS, one hopes: the server warns without it).  The
  // interface shows and deletes everything, so it is for administrators:
  // users with the shutdown right, and the token.
  constexpr std::string_view kBasic = "Basic ";
  if (r.authorization.size() > kBasic.size() && std::string_view(r.authorization).substr(0, kBasic.size()) == kBasic) {
    if (auto decoded = security::base64_decode(std::string_view(r.authorization).substr(kBasic.size()))) {
      auto colon = decoded->find(':');
      if (colon != std::string::npos) {
        auto access = auth->verify(std::string_view(*decoded).substr(0, colon), std::string_view(*decoded).substr(colon + 1));
        if (access && access->may_shutdown()) return true;
      }
    }
  }
  return false;
}

void HttpConnection::read() {
  char buf[16 * 1024];
  ssize_t n = receive(buf, sizeof buf);
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
  // More already decrypted or read ahead: the socket will not say so.
  if (!closed_ && tls_ && tls_->pending() && in_.size() < kMaxBufferedInput) read();
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
    r.authorization = std::string(req[http::field::authorization]);
    r.body = std::move(req.body());

    HttpResponse answer;
    try {
      if (!authorised(r))
        answer = HttpResponse{401, "text/plain; charset=utf-8",
                              "This server requires authentication: log in as a user with the shutdown right, or as "
                              "'token' with the server's token (docs/security.md).\n",
                              {{"WWW-Authenticate", "Basic realm=\"NetWorkSpaces\", charset=\"UTF-8\""}}};
      else
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
  while (tls_ && out_offset_ < out_.size()) {
    std::size_t put = 0;
    TlsStream::Io io = tls_->write(out_.data() + out_offset_, out_.size() - out_offset_, put);
    if (io == TlsStream::Io::again) return !closed_;
    if (io != TlsStream::Io::ok) return false;
    out_offset_ += put;
    last_activity_ = Clock::now();
  }
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
  if (tls_ && tls_->wants_write()) want = EPOLLOUT;
  if (want != interest_) {
    interest_ = want;
    owner_.server().loop().modify(fd_, interest_, this);
  }
}

}  // namespace nws::server::web
