#include "server/connection.hpp"

#include "server/log.hpp"
#include "server/server.hpp"

namespace nws::server {
namespace {
constexpr std::size_t kReadBuffer = 64 * 1024;
// Values up to this size are copied next to their header (one write);
// larger ones are written from the shared blob without copying.
constexpr std::size_t kInlineValue = 16 * 1024;
// A client that sends requests without reading replies stops being read
// once this much output is waiting for it.
constexpr std::size_t kMaxPendingOutput = 8u << 20;
}  // namespace

Connection::Connection(Server& server, asio::ip::tcp::socket socket)
    : server_(server),
      socket_(std::move(socket)),
      handshake_(server.advertised()),
      decoder_(proto::DecoderLimits{server.config().spool_threshold, server.config().max_value_size},
               [&server](std::uint64_t len) { return server.spool().make_sink(len); }),
      in_(new char[kReadBuffer]) {}

Connection::~Connection() = default;

void Connection::start() {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  log(LogLevel::debug, "connection from {}", peer_);
  read();
}

void Connection::read() {
  if (reading_ || closing_ || finished_ || out_bytes_ > kMaxPendingOutput) return;
  reading_ = true;
  socket_.async_read_some(asio::buffer(in_.get(), kReadBuffer), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
    self->reading_ = false;
    if (self->finished_) return;
    if (ec) {
      self->finish(ec == asio::error::eof ? "closed by peer" : "read error");
      return;
    }
    self->on_read(n);
  });
}

void Connection::on_read(std::size_t n) {
  processing_ = true;
  process(std::string_view(in_.get(), n));
  processing_ = false;
  if (finished_) return;
  flush();
  if (closing_ && out_.empty()) finish("closed after error");
  else read();
}

void Connection::process(std::string_view data) {
  while (!data.empty() && !closing_ && !finished_) {
    if (!session_) {
      std::string reply;
      std::size_t used = handshake_.feed(data, reply);
      data.remove_prefix(used);
      if (!reply.empty()) append_text(reply);
      if (handshake_.state() == proto::ServerHandshake::State::failed) {
        log(LogLevel::info, "{}: handshake failed: {}", peer_, handshake_.error());
        closing_ = true;
        return;
      }
      if (handshake_.state() == proto::ServerHandshake::State::done) {
        const proto::Negotiated& n = handshake_.result();
        format_ = proto::ReplyFormat{n.cookie, n.metadata_out};
        decoder_.set_metadata(n.metadata_in);
        kill_server_on_close_ = n.kill_server_on_close;
        session_ = &server_.engine().open_session(peer_, this);
        session_->cancel_enabled = n.cancel;
      }
      continue;
    }
    std::size_t used = decoder_.feed(data);
    data.remove_prefix(used);
    if (decoder_.state() == proto::RequestDecoder::State::failed) {
      log(LogLevel::info, "{}: closing: {}", peer_, decoder_.error());
      closing_ = true;
      return;
    }
    if (decoder_.state() == proto::RequestDecoder::State::ready) {
      server_.engine().execute(*session_, decoder_.request());
      decoder_.next();
      if (session_->close_requested) closing_ = true;
    }
  }
}

void Connection::append_text(std::string_view bytes) {
  text_tail().append(bytes);
  out_bytes_ += bytes.size();
}

// The text piece new reply bytes go to.  Pieces inside an in-flight write
// must not move, so only a later one grows.
std::string& Connection::text_tail() {
  if (out_.size() <= in_flight_ || out_.back().blob) {
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
      // A dictionary value holds at most 9999 bytes; a reason quoting a huge
      // client-supplied name would not encode and the reply would go out
      // without any nwsReason, so keep its beginning.
      reason.set("nwsReason", std::string(r.reason.substr(0, 9999)));
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
    if (len <= kInlineValue || !r.blob) {
      text.append(r.bytes);
      out_bytes_ += text.size() - before;
    } else {
      // Written straight from the shared blob, after the header.
      out_bytes_ += text.size() - before + len;
      Piece p;
      p.blob = proto::BlobRef::share(r.blob);
      out_.push_back(std::move(p));
    }
  }
  if (!processing_) flush();
}

void Connection::flush() {
  if (writing_ || out_.empty() || finished_) return;
  std::size_t count = std::min(out_.size(), kMaxGather);
  for (std::size_t i = 0; i < kMaxGather; ++i)
    gather_[i] = i < count ? asio::const_buffer(out_[i].data(), out_[i].size()) : asio::const_buffer();
  in_flight_ = count;
  writing_ = true;
  socket_.async_write_some(gather_, [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
    self->writing_ = false;
    self->in_flight_ = 0;
    if (self->finished_) return;
    if (ec) {
      self->finish("write error");
      return;
    }
    self->on_written(n);
  });
}

void Connection::on_written(std::size_t n) {
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
  if (!out_.empty()) flush();
  else if (closing_) finish("closed after error");
  read();
}

void Connection::finish(const char* why) {
  if (finished_) return;
  finished_ = true;
  log(LogLevel::debug, "{}: connection ended ({})", peer_, why);
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  out_.clear();
  bool kill = kill_server_on_close_;
  if (session_) {
    kill = kill || session_->deadman;
    engine::Session* s = std::exchange(session_, nullptr);
    server_.engine().close_session(*s);
  }
  server_.connection_closed(*this, kill);
}

void Connection::shutdown() {
  finished_ = true;
  session_ = nullptr;
  asio::error_code ec;
  socket_.close(ec);
  out_.clear();
}

}  // namespace nws::server
