#include "server/connection.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "server/log.hpp"
#include "server/server.hpp"

namespace nws::server {
namespace {
// Values up to this size are copied next to their header (one write);
// larger ones are written from the shared blob without copying.
constexpr std::size_t kInlineValue = 16 * 1024;
// A request's time limit grows by one second per MiB its lengths announce.
constexpr std::uint64_t kBytesPerSecond = 1u << 20;
// What one client's requests may answer in one turn of the loop before the
// rest of them wait for the next turn (fairness among pipelining clients).
constexpr std::size_t kTurnOutput = 1u << 20;

proto::DecoderLimits decoder_limits(const ServerConfig& c) {
  proto::DecoderLimits l;
  l.spool_threshold = c.spool_threshold;
  l.max_value_size = c.max_value_size;
  l.max_field_size = c.max_field_size;
  l.discard_limit = c.discard_limit;
  return l;
}

}  // namespace

Connection::Connection(Server& server, int fd, std::string peer)
    : server_(server),
      fd_(fd),
      peer_(std::move(peer)),
      handshake_(server.advertised()),
      decoder_(decoder_limits(server.config()), [&server](std::uint64_t len) { return server.spool().make_sink(len); },
               [this](std::uint64_t len) { return server_.admit_value(len, reserved_); }),
      deadline_(Clock::now() + server.config().handshake_timeout),
      deadline_what_("handshake") {}

Connection::~Connection() {
  server_.release(reserved_);
  if (fd_ >= 0) ::close(fd_);
}

void Connection::start() {
  log(LogLevel::debug, "connection from {}", peer_);
  interest_ = EPOLLIN;
  server_.loop().add(fd_, interest_, this);
}

void Connection::on_events(std::uint32_t events) {
  if (finished_) return;
  try {
    handle(events);
  } catch (const std::exception& e) {
    // Out of memory where no reply can say so, or epoll refusing a change:
    // this client's connection ends, everybody else's goes on.
    log(LogLevel::error, "{}: {}", peer_, e.what());
    processing_ = false;
    finish("internal error");
  }
}

void Connection::handle(std::uint32_t events) {
  if (finished_) return;
  if (tls_ && tls_->handshaking()) {
    continue_tls_handshake();
    if (!finished_) update_interest();
    return;
  }
  if (events & EPOLLOUT) {
    if (!flush()) {
      finish("write error");
      return;
    }
    if (closing_ && out_.empty()) {
      finish("closed after error");
      return;
    }
    if (finished_) return;
    maybe_start_tls();
    if (finished_ || (tls_ && tls_->handshaking())) {
      if (!finished_) update_interest();
      return;
    }
  }
  // Errors and hang-ups are reported whatever the interest, and again every
  // turn.  The read that follows takes what the client sent before it went
  // and then ends the connection; one that no longer reads ends it now.
  if ((events & (EPOLLHUP | EPOLLERR)) && (closing_ || paused_)) {
    finish("peer went away");
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read();
  if (!finished_) update_interest();
}

void Connection::read() {
  // A full buffer means more is probably waiting (a large value arriving):
  // read on, up to 1 MiB per turn so other clients wait little.  A short
  // read means the socket is drained, and no EAGAIN read is spent to learn
  // it.
  for (int round = 0; round < 16 && !closing_ && !finished_ && !paused_ && !start_tls_; ++round) {
    char* in = server_.read_buffer().data();
    ssize_t n = receive(in, server_.read_buffer().size());
    if (n == 0) {
      finish("closed by peer");
      return;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      finish("read error");
      return;
    }
    std::string_view data(in, static_cast<std::size_t>(n));
    std::size_t used = consume(data);
    // Set aside what this client sent past the request that filled its
    // output: it runs once the client has read its replies.
    if (used < data.size()) held_input_.assign(data.substr(used));
    if (static_cast<std::size_t>(n) < server_.read_buffer().size()) break;
  }
  if (finished_) return;
  if (!flush()) finish("write error");
  else if (closing_ && out_.empty()) finish("closed after error");
  else maybe_start_tls();
  if (!finished_ && !paused_ && !closing_) read_held_by_tls();
}

void Connection::read_held_by_tls() {
  // Bytes OpenSSL has already taken from the socket are not announced by
  // it again: read them in this turn's deferred work.
  if (tls_ && !tls_->handshaking() && tls_->pending()) server_.loop().defer([this] { on_events(EPOLLIN); });
}

ssize_t Connection::receive(char* buf, std::size_t n) {
  if (!tls_) return ::recv(fd_, buf, n, 0);
  ssize_t got = tls_->recv(buf, n);
  if (got < 0 && errno == EIO) log(LogLevel::info, "{}: TLS error: {}", peer_, tls_->error());
  return got;
}

bool Connection::admit(const proto::Negotiated& n, std::string& reply) {
  // The reply ends with the handshake's last answer (A000, or 2223 for an
  // old-style greeting); a refusal replaces it with E000 and the reason.
  std::string why;
  if (server_.tls() && !n.tls)
    why = "This NWS server requires TLS: connect with TLS (the SSL option; in the NWS clients, tls), trusting the "
          "CA that signed its certificate.";
  else if (server_.requires_auth() && !n.auth)
    why = std::string(proto::kAuthFailed);  // the same words as every other refusal
  if (why.empty()) return true;
  log(LogLevel::info, "{}: refused: {}", peer_, why);
  if (reply.size() >= 4) reply.resize(reply.size() - 4);
  reply += proto::kRefused;
  proto::Dict d;
  d.set("nwsReason", why);
  d.encode(reply);
  return false;
}

void Connection::maybe_start_tls() {
  if (!start_tls_ || !out_.empty() || finished_) return;
  start_tls_ = false;
  tls_ = std::make_unique<TlsStream>(server_.tls(), fd_);
  continue_tls_handshake();
}

void Connection::continue_tls_handshake() {
  switch (tls_->handshake()) {
    case TlsStream::Io::again: return;  // update_interest() asks for what it waits on
    case TlsStream::Io::closed:
      finish("closed during the TLS handshake");
      return;
    case TlsStream::Io::failed:
      log(LogLevel::info, "{}: TLS handshake failed: {}", peer_, tls_->error());
      finish("TLS handshake failed");
      return;
    case TlsStream::Io::ok: break;
  }
  if (auto who = tls_->peer_subject(); !who.empty()) log(LogLevel::debug, "{}: TLS client certificate {}", peer_, who);
  deadline_.reset();
  update_deadline();
  append_text(proto::kTlsReady);
  if (!flush()) finish("write error");
  else read_held_by_tls();
}

bool Connection::flush() {
  if (!write_out()) return false;
  // The client has read enough: go on with the requests set aside (which
  // may fill its output again, or take a turn's worth and wait for the
  // next), then write what they answered.
  if (!paused_ || output_full() || finished_) return true;
  paused_ = false;
  std::string held = std::exchange(held_input_, {});
  std::size_t used = consume(held);
  if (used < held.size()) held_input_ = held.substr(used);
  return finished_ || write_out();
}

std::size_t Connection::consume(std::string_view data) {
  const std::size_t offered = data.size();
  const std::size_t output_before = out_bytes_;
  processing_ = true;
  while (!data.empty() && !closing_ && !finished_ && !paused_) {
    if (!session_) {
      if (std::exchange(first_bytes_, false) && looks_like_tls(static_cast<unsigned char>(data[0]))) {
        // A TLS client speaking first: NWS negotiates TLS after its own
        // handshake.  A TLS alert (protocol version) tells it at once.
        log(LogLevel::info, "{}: refused: the client started TLS at once; NWS clients ask for TLS in the handshake", peer_);
        append_text(std::string_view("\x15\x03\x01\x00\x02\x02\x46", 7));
        closing_ = true;
        break;
      }
      std::string reply;
      std::size_t used = handshake_.feed(data, reply);
      data.remove_prefix(used);
      if (handshake_.state() == proto::ServerHandshake::State::done && !admit(handshake_.result(), reply)) {
        append_text(reply);
        closing_ = true;
        break;
      }
      if (!reply.empty()) append_text(reply);
      if (handshake_.state() == proto::ServerHandshake::State::failed) {
        log(LogLevel::info, "{}: handshake failed: {}", peer_, handshake_.error());
        closing_ = true;
        break;
      }
      if (handshake_.state() == proto::ServerHandshake::State::done) {
        const proto::Negotiated& n = handshake_.result();
        format_ = proto::ReplyFormat{n.cookie, n.metadata_out};
        decoder_.set_metadata(n.metadata_in);
        kill_server_on_close_ = n.kill_server_on_close && server_.config().allow_client_shutdown;
        session_ = &server_.engine().open_session(peer_, this);
        session_->cancel_enabled = n.cancel;
        session_->lease_enabled = n.lease && n.cookie;
        if (n.tls) {
          // Everything after A000 is TLS: the client waits for A000 before
          // its ClientHello, so bytes already here are out of turn.
          if (!data.empty()) {
            log(LogLevel::info, "{}: closing: data before the TLS handshake", peer_);
            closing_ = true;
            break;
          }
          start_tls_ = true;
          break;  // the handshake's deadline stands until TLS is up
        }
        deadline_.reset();
      }
      continue;
    }
    std::size_t used = decoder_.feed(data);
    data.remove_prefix(used);
    if (decoder_.state() == proto::RequestDecoder::State::failed) {
      log(LogLevel::info, "{}: closing: {}", peer_, decoder_.error());
      closing_ = true;
      break;
    }
    if (decoder_.state() == proto::RequestDecoder::State::ready) {
      execute();
      // Its replies wait for the client: the next request waits for them.
      if (output_full()) paused_ = true;
      // And one turn answers at most about a megabyte for one client: the
      // rest goes on next turn, so the others are served in between.
      else if (out_bytes_ - output_before > kTurnOutput) {
        paused_ = true;
        server_.want_turn(*this);
      }
    }
  }
  processing_ = false;
  update_deadline();
  return offered - data.size();
}

void Connection::execute() {
  proto::Request& request = decoder_.request();
  note_activity();
  const std::size_t before = out_bytes_;
  const auto started = Clock::now();
  try {
    server_.engine().execute(*session_, request);
  } catch (const std::bad_alloc&) {
    // Answered with an error, unless the request had already been answered
    // (then the client has its reply, and only this note is lost).
    log(LogLevel::error, "{}: out of memory carrying out '{}'", peer_, request.verb().substr(0, 64));
    if (out_bytes_ == before)
      server_.engine().refuse(*session_, request, proto::kInternalError,
                              "The server ran out of memory carrying out this request; it was not carried out.");
  }
  server_.stats().record(request.info, static_cast<std::uint64_t>(
                                          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count()));
  server_.release(reserved_);
  server_.watch_leases();
  if (session_->close_requested) {
    closing_ = true;
    log(LogLevel::info, "{}: closing: {}", peer_,
        request.refusal ? std::string_view(*request.refusal) : std::string_view("after this reply"));
  }
  decoder_.next();
}

void Connection::note_activity() {
  // Read only by the idle limit, so the clock is not read per request
  // when there is none (the default).
  if (server_.config().idle_timeout.count() > 0) last_request_ = Clock::now();
}

void Connection::update_deadline() {
  if (!session_ || finished_ || start_tls_ || (tls_ && tls_->handshaking())) return;  // the handshake's deadline stands
  const ServerConfig& c = server_.config();
  if (decoder_.mid_request()) {
    if (!request_started_) request_started_ = Clock::now();
    deadline_ = *request_started_ + c.request_timeout +
                std::chrono::seconds(decoder_.announced_bytes() / kBytesPerSecond);
    deadline_what_ = "whole request";
    return;
  }
  request_started_.reset();
  if (c.idle_timeout.count() > 0 && !server_.engine().is_blocked(*session_)) {
    deadline_ = last_request_ + c.idle_timeout;
    deadline_what_ = "request (idle)";
  } else {
    deadline_.reset();
  }
}

void Connection::take_turn() {
  if (finished_) return;
  try {
    if (!flush()) finish("write error");
    else if (closing_ && out_.empty()) finish("closed after error");
    if (!finished_) update_interest();
  } catch (const std::exception& e) {
    log(LogLevel::error, "{}: {}", peer_, e.what());
    finish("internal error");
  }
}

void Connection::expire() {
  log(LogLevel::info, "{}: closing: no {} within the time limit", peer_, deadline_what_);
  finish("time limit");
}

void Connection::append_text(std::string_view bytes) {
  text_tail().append(bytes);
  out_bytes_ += bytes.size();
}

// The text piece new reply bytes go to: the last one, unless a blob follows
// it.  Output is written synchronously, so no piece is ever in flight.
std::string& Connection::text_tail() {
  if (out_.empty() || out_.back().blob) {
    out_.emplace_back();
    out_.back().text = std::move(spare_text_);
    out_.back().text.clear();
  }
  return out_.back().text;
}

void Connection::queue_reply(const engine::Reply& r) {
  if (finished_) return;
  proto::Dict reason;
  const proto::Dict* metadata = nullptr;
  if (format_.metadata) {
    if (r.status != engine::kOk && !r.reason.empty()) {
      // A dictionary value holds at most kDictFieldMax bytes; a reason quoting a huge
      // client-supplied name would not encode and the reply would go out
      // without any nwsReason, so keep its beginning.
      reason.set("nwsReason", std::string(r.reason.substr(0, proto::kDictFieldMax)));
      metadata = &reason;
    } else {
      metadata = r.metadata;
    }
  }
  std::string& text = text_tail();
  std::size_t before = text.size();
  if (!r.is_long) {
    proto::append_short_reply(text, format_, r.status, metadata);
    out_bytes_ += text.size() - before;
  } else {
    std::size_t len = r.bytes.size();
    proto::append_long_reply_head(text, format_, r.status, r.descriptor, r.var_id, r.index, len, metadata);
    if (len <= kInlineValue) {
      text.append(r.bytes);
      out_bytes_ += text.size() - before;
    } else if (!r.blob) {
      // A large text the engine made (a listing): a piece of its own, sized
      // once, rather than growing the shared text piece (which doubles).
      out_bytes_ += text.size() - before + len;
      Piece p;
      p.text.reserve(len);
      p.text.assign(r.bytes);
      out_.push_back(std::move(p));
    } else {
      // Written straight from the shared blob, after the header.
      out_bytes_ += text.size() - before + len;
      Piece p;
      p.blob = proto::BlobRef::share(r.blob);
      out_.push_back(std::move(p));
    }
  }
  if (processing_) return;  // written when the request batch is done
  // A reply to a waiting client, caused by another's request: its idle
  // time starts now.
  note_activity();
  update_deadline();
  // A reply to a waiting client, caused by another's request: write now.
  // A failure ends this connection after the engine call in progress.
  try {
    // Only write: this runs inside another connection's request, and the
    // engine cannot take this one's set-aside requests until that is done.
    if (write_out()) {
      update_interest();
      return;
    }
  } catch (const std::exception& e) {
    log(LogLevel::error, "{}: {}", peer_, e.what());
  }
  server_.loop().defer([this] { finish("write error"); });
}

void Connection::resume_after_log() {
  held_for_log_ = false;
  take_turn();
}

bool Connection::write_out() {
  // Replies never go out before the changes they report are in the data
  // log (and on disk, under --fsync always): they wait for the turn's sync.
  if (held_for_log_) return true;
  if (!out_.empty() && server_.hold_for_log(*this)) {
    held_for_log_ = true;
    return true;
  }
  // At most this many pieces per call; one piece (the common case: a few
  // replies' text) goes by send(), which is cheaper than sendmsg().
  constexpr std::size_t kMaxGather = 16;
  while (tls_ && !tls_->handshaking() && !out_.empty()) {
    std::size_t put = 0;
    switch (tls_->write(out_.front().data(), out_.front().size(), put)) {
      case TlsStream::Io::ok: consume_output(put); break;
      case TlsStream::Io::again: return true;  // the loop says when to go on
      default:
        log(LogLevel::info, "{}: TLS write failed: {}", peer_, tls_->error());
        return false;
    }
  }
  while (!out_.empty()) {
    ssize_t n;
    if (out_.size() == 1) {
      n = ::send(fd_, out_.front().data(), out_.front().size(), MSG_NOSIGNAL);
    } else {
      iovec iov[kMaxGather];
      std::size_t count = std::min(out_.size(), kMaxGather);
      for (std::size_t i = 0; i < count; ++i) iov[i] = iovec{const_cast<char*>(out_[i].data()), out_[i].size()};
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = count;
      n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;  // the loop says when to go on
    }
    consume_output(static_cast<std::size_t>(n));
  }
  return true;
}

void Connection::consume_output(std::size_t n) {
  out_bytes_ -= n;
  while (n > 0) {
    Piece& p = out_.front();
    std::size_t take = std::min(n, p.size());
    p.offset += take;
    n -= take;
    if (p.size() == 0) {
      // Keep one modest text buffer for the next replies.
      if (!p.blob && p.text.capacity() <= 64 * 1024 && p.text.capacity() > spare_text_.capacity())
        spare_text_ = std::move(p.text);
      out_.pop_front();
    }
  }
}

void Connection::update_interest() {
  // A client that sends requests without reading replies stops being read
  // while too much output waits for it: its requests stay in the kernel.
  std::uint32_t want = 0;
  if (tls_ && tls_->handshaking()) {
    want = tls_->wants_write() ? EPOLLOUT : EPOLLIN;
  } else {
    if (!closing_ && !paused_) want |= EPOLLIN;
    if (!out_.empty() && !held_for_log_) want |= EPOLLOUT;
    // OpenSSL may need to write while reading (and then waits for that).
    if (tls_ && tls_->wants_write()) want |= EPOLLOUT;
    // Reading again after a pause.
    if ((want & EPOLLIN) && !(interest_ & EPOLLIN)) read_held_by_tls();
  }
  if (want == interest_) return;
  interest_ = want;
  server_.loop().modify(fd_, want, this);
}

void Connection::finish(const char* why) {
  if (finished_) return;
  finished_ = true;
  deadline_.reset();
  server_.release(reserved_);
  log(LogLevel::debug, "{}: connection ended ({})", peer_, why);
  server_.loop().remove(fd_);
  tls_.reset();
  ::close(fd_);
  fd_ = -1;
  out_.clear();
  bool kill = kill_server_on_close_;
  if (session_) {
    // KillServerOnClose needs the shutdown right on a server with users.
    kill = (kill && server_.engine().may_stop_server(*session_)) || session_->deadman;
    engine::Session* s = std::exchange(session_, nullptr);
    server_.engine().close_session(*s);
  }
  server_.connection_closed(*this, kill);
}

void Connection::shutdown() {
  finished_ = true;
  session_ = nullptr;
  if (fd_ >= 0) {
    server_.loop().remove(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  out_.clear();
}

}  // namespace nws::server
