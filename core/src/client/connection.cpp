#include "client/connection.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "client/authenticate.hpp"
#include "client/defaults.hpp"
#include "client/negotiation.hpp"
#include "protocol/handshake.hpp"
#include "protocol/status.hpp"
#include "security/tls.hpp"

namespace nws::detail {
namespace {

using Kind = proto::ReplyDecoder::Kind;

constexpr std::size_t kReadBuffer = 256 * 1024;
constexpr std::size_t kStreamChunk = 64 * 1024;
// Our server answers a `cancel` at once.  If nothing comes for this long it
// is gone or wedged, and the caller (who asked to stop waiting) must not hang.
constexpr int kCancelGraceMs = 10000;

int ms_until(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// The metadata prefix of a request: a dict (possibly empty) exactly when
// MetadataToServer was negotiated, since the server then reads one first.
// `where` names the server, for the error only (built only then: this runs
// for every request).
template <typename Where>
std::optional<proto::Dict> metadata_prefix(bool metadata_in, const Metadata* metadata, const Where& where) {
  const bool have = metadata && !metadata->empty();
  if (!metadata_in) {
    if (have)
      throw Error(Errc::unsupported, "cannot send metadata to NWS server " + where() +
                                         ": the connection did not negotiate MetadataToServer");
    return std::nullopt;
  }
  proto::Dict dict;
  if (!have) return dict;
  constexpr std::size_t kMax = proto::kDictFieldMax;
  if (metadata->size() > kMax)
    throw Error(Errc::invalid_argument, "metadata has more than " + std::to_string(kMax) + " entries");
  for (const auto& [key, value] : *metadata) {
    if (key.size() > kMax || value.size() > kMax)
      throw Error(Errc::invalid_argument,
                  "metadata entry '" + key.substr(0, 40) + "' is longer than " + std::to_string(kMax) + " bytes");
    dict.set(key, value);
  }
  return dict;
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Connection::Connection(const ConnectOptions& options) : options_(resolve_defaults(options)), rbuf_(kReadBuffer) {
  // The original clients label the workspaces they own with their pid.
  if (options_.owner_label.empty()) options_.owner_label = std::to_string(::getpid());
  sock_ = Socket::connect(options_.host, *options_.port, options_.connect_timeout);
  handshake();
}

Connection::~Connection() = default;

std::string Connection::where() const { return options_.host + ":" + std::to_string(*options_.port); }

// ---- handshake (PROTOCOL.md §3) ----

void Connection::handshake() {
  const auto deadline = Clock::now() + options_.connect_timeout;
  try {
    sock_.send_all({"X000"});
    std::string answer = read_exact(4, deadline);
    if (answer == proto::kRefused) {
      // The server cannot take this connection now, and says why.
      proto::Dict why = read_dict(deadline);
      throw Error(Errc::connection, "the NWS server at " + where() + " refused the connection: " +
                                        std::string(why.get("nwsReason").value_or("no reason given")));
    }
    if (answer != "P000") {
      // An old-style server answers any greeting with four digits and
      // negotiates nothing; only "2222" means replies without cookies.
      if (!all_digits(answer))
        throw Error(Errc::connection, where() + " is not an NWS server (it answered '" + answer + "')");
      format_ = {old_style_cookie(answer), false};
      return;
    }
    OptionChoice choice = choose_options(read_dict(deadline), options_);
    std::string request = "R000";
    choice.request.encode(request);
    sock_.send_all({request});
    std::string verdict = read_exact(4, deadline);
    if (verdict == proto::kRefused) {
      proto::Dict why = read_dict(deadline);
      std::string reason(why.get("nwsReason").value_or("no reason given"));
      Errc kind = reason.find("TLS") != std::string::npos ? Errc::tls
                  : reason.rfind("authentication", 0) == 0 ? Errc::authentication
                                                           : Errc::connection;
      throw Error(kind, "the NWS server at " + where() + " refused the connection: " + reason);
    }
    if (verdict == "F000")
      throw Error(Errc::connection, "the NWS server at " + where() + " refused the connection options " + request.substr(4));
    if (verdict != "A000")
      throw Error(Errc::connection, "unexpected handshake answer '" + verdict + "' from NWS server " + where());
    format_ = {true, choice.metadata_out};
    if (choice.tls) start_tls(deadline);
    metadata_in_ = choice.metadata_in;
    cancel_ = choice.cancel;
    lease_ = choice.lease;
    web_port_ = choice.web_port;
    max_value_size_ = choice.max_value_size;
    if (choice.auth) authenticate(*this, options_, choice.auth_mechanisms);
  } catch (const SocketError& e) {
    throw Error(sock_.is_tls() ? Errc::tls : Errc::connection,
                "handshake with NWS server " + where() + " failed: " + e.what());
  }
}

void Connection::start_tls(Clock::time_point deadline) {
  if (rend_ != rbegin_)
    throw Error(Errc::protocol, "NWS server " + where() + " sent data before TLS started");
  const TlsOptions& t = options_.tls;
  std::shared_ptr<security::TlsContext> context;
  try {
    context = security::TlsContext::for_client(t.ca_file, t.cert_file, t.key_file);
  } catch (const security::TlsSetupError& e) {
    throw Error(Errc::invalid_argument, std::string("TLS options: ") + e.what());
  }
  sock_.start_tls(std::move(context), t.server_name.empty() ? options_.host : t.server_name,
                  std::chrono::milliseconds(ms_until(deadline)), where());
  // The server's first word over TLS says it accepted us (a server that
  // requires a client certificate refuses one only after the handshake).
  std::string ready;
  try {
    ready = read_exact(4, deadline);
  } catch (const Error& e) {
    throw Error(Errc::tls, std::string(e.what()));
  }
  if (ready != proto::kTlsReady)
    throw Error(Errc::protocol, "unexpected first answer '" + ready + "' over TLS from NWS server " + where());
}

std::string Connection::read_exact(std::size_t n, Clock::time_point deadline) {
  while (rend_ - rbegin_ < n) {
    if (!fill(ms_until(deadline)) && Clock::now() >= deadline)
      throw Error(Errc::connection, "NWS server " + where() + " did not complete the handshake in time");
  }
  std::string out(rbuf_.data() + rbegin_, n);
  rbegin_ += n;
  return out;
}

proto::Dict Connection::read_dict(Clock::time_point deadline) {
  proto::DictParser parser;
  for (;;) {
    rbegin_ += parser.feed({rbuf_.data() + rbegin_, rend_ - rbegin_});
    if (parser.state() == proto::DictParser::State::done) return parser.take();
    if (parser.state() == proto::DictParser::State::failed)
      throw Error(Errc::connection, "malformed option advertisement from NWS server " + where());
    if (!fill(ms_until(deadline)) && Clock::now() >= deadline)
      throw Error(Errc::connection, "NWS server " + where() + " did not complete the handshake in time");
  }
}

// ---- requests ----

std::string Connection::encode(const Metadata* metadata, proto::Verb verb,
                               std::initializer_list<std::string_view> args) const {
  auto dict = metadata_prefix(metadata_in_, metadata, [this] { return where(); });
  std::string out;
  proto::append_request(out, dict ? &*dict : nullptr, proto::verb_name(verb), args);
  return out;
}

std::string Connection::encode_head(const Metadata* metadata, proto::Verb verb,
                                    std::initializer_list<std::string_view> args_before_last,
                                    std::uint64_t last_len) const {
  auto dict = metadata_prefix(metadata_in_, metadata, [this] { return where(); });
  std::string out;
  proto::append_request_head(out, dict ? &*dict : nullptr, proto::verb_name(verb), args_before_last, last_len);
  return out;
}

void Connection::ensure_usable() const {
  if (closed_) throw Error(Errc::closed, "the connection to NWS server " + where() + " has been closed");
  if (broken_)
    throw Error(Errc::connection_dropped,
                "the connection to NWS server " + where() + " was lost earlier (" + broken_why_ + "); connect again");
}

Reply Connection::round_trip(const Outgoing& request, const Op& op, const ByteSink* sink, const Wait* wait) {
  std::unique_lock lock(mu_);
  if (closed_ || broken_) {
    release_socket_if_done();  // close() may have found us busy and left this to us
    ensure_usable();
  }
  // A connection that is closed or breaks during this call gives its
  // descriptor back on the way out, whichever way that is.
  struct Release {
    Connection* c;
    ~Release() { c->release_socket_if_done(); }
  } release{this};

  // A throwing sink must not leave half a reply unread: remember the error,
  // let the decoder drain the value, and raise once the stream is in sync.
  std::exception_ptr sink_error;
  proto::ReplyDecoder::ValueSink value_sink;
  if (sink && *sink) {
    value_sink = [&](std::string_view chunk) {
      try {
        (*sink)(chunk);
        return true;
      } catch (...) {
        sink_error = std::current_exception();
        return false;
      }
    };
  }
  proto::ReplyDecoder dec(format_, op.long_reply() ? Kind::long_reply : Kind::short_reply, std::move(value_sink));
  bool interrupted = false;

  try {
    send(request);
    if (wait) {
      std::exception_ptr cancel_error;
      Interrupt why = await_reply(dec, *wait, cancel_error);
      if (why != Interrupt::none) {
        withdraw(dec, why, cancel_error, op);
        interrupted = why == Interrupt::cancelled;
      }
    } else {
      read_reply(dec, -1);
    }
  } catch (const SocketError& e) {
    mark_broken(e.what());
    if (closed_) throw Error(Errc::closed, describe(op) + " interrupted: the connection was closed");
    throw Error(Errc::connection_dropped,
                "connection to NWS server " + where() + " lost during " + describe(op) + ": " + e.what());
  }
  if (sink_error) std::rethrow_exception(sink_error);
  return Reply{dec.head(), std::move(dec.value()), interrupted};
}

void Connection::send(const Outgoing& request) {
  if (!request.source) {
    sock_.send_all({request.head, request.body});
    return;
  }
  sock_.send_all({request.head});
  std::vector<char> chunk(static_cast<std::size_t>(std::min<std::uint64_t>(kStreamChunk, request.source_length)));
  bool dry = false;
  for (std::uint64_t left = request.source_length; left > 0;) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kStreamChunk, left));
    std::size_t got = want;
    if (!dry) {
      try {
        got = std::min((*request.source)(chunk.data(), want), want);
      } catch (...) {
        // The server has part of a value it will never get the rest of.
        mark_broken("the value source failed in the middle of a store");
        throw;
      }
      if (got == 0) {
        // The announced length is already on the wire: pad with zero bytes
        // to keep the stream in sync, as the original clients do.
        dry = true;
        std::fill(chunk.begin(), chunk.end(), '\0');
        got = want;
      }
    }
    sock_.send_all({std::string_view(chunk.data(), got)});
    left -= got;
  }
}

// ---- replies ----

bool Connection::buffered_feed(proto::ReplyDecoder& dec) {
  if (rbegin_ < rend_) rbegin_ += dec.feed({rbuf_.data() + rbegin_, rend_ - rbegin_});
  if (dec.state() == proto::ReplyDecoder::State::failed) {
    mark_broken(dec.error());
    throw Error(Errc::protocol, "NWS server " + where() + " sent a malformed reply: " + dec.error());
  }
  return dec.state() == proto::ReplyDecoder::State::done;
}

bool Connection::fill(int timeout_ms) {
  if (rbegin_ == rend_) {
    rbegin_ = rend_ = 0;
  } else if (rend_ == rbuf_.size()) {
    std::memmove(rbuf_.data(), rbuf_.data() + rbegin_, rend_ - rbegin_);
    rend_ -= rbegin_;
    rbegin_ = 0;
  }
  // Without a time limit a plain blocking recv does; close() from another
  // thread wakes it through shutdown().
  if (timeout_ms >= 0 && !sock_.wait_readable(timeout_ms)) return false;
  std::size_t n = sock_.recv_some(rbuf_.data() + rend_, rbuf_.size() - rend_);
  if (n == 0) throw SocketError("the server closed the connection");
  rend_ += n;
  return true;
}

bool Connection::read_reply(proto::ReplyDecoder& dec, int idle_limit_ms) {
  auto quiet_until = Clock::now() + std::chrono::milliseconds(idle_limit_ms);
  while (!buffered_feed(dec)) {
    if (idle_limit_ms < 0) {
      fill(-1);
    } else if (fill(ms_until(quiet_until))) {
      quiet_until = Clock::now() + std::chrono::milliseconds(idle_limit_ms);
    } else if (Clock::now() >= quiet_until) {
      return false;
    }
  }
  return true;
}

Connection::Interrupt Connection::await_reply(proto::ReplyDecoder& dec, const Wait& wait,
                                              std::exception_ptr& cancel_error) {
  // Nothing can interrupt this wait: a plain blocking read, without a
  // poll() before every recv.
  if (!wait.deadline && !wait.should_cancel) {
    read_reply(dec, -1);
    return Interrupt::none;
  }
  const int slice = static_cast<int>(std::clamp<long long>(wait.slice.count(), 1, 1 << 30));
  for (;;) {
    const std::size_t pending = rend_ - rbegin_;
    if (buffered_feed(dec)) return Interrupt::none;
    if (pending > 0) {
      // The reply has begun: the server already gave us the value, so
      // cancelling now could only lose it.  Finish reading instead.
      read_reply(dec, -1);
      return Interrupt::none;
    }
    int timeout = wait.deadline ? std::min(slice, ms_until(*wait.deadline)) : slice;
    if (fill(timeout)) continue;
    if (wait.deadline && Clock::now() >= *wait.deadline) return Interrupt::timeout;
    if (wait.should_cancel) {
      try {
        if (wait.should_cancel()) return Interrupt::cancelled;
      } catch (...) {
        // A throwing check is a request to stop; its exception replaces
        // Errc::cancelled once the request is withdrawn.
        cancel_error = std::current_exception();
        return Interrupt::cancelled;
      }
    }
  }
}

void Connection::withdraw(proto::ReplyDecoder& dec, Interrupt why, std::exception_ptr cancel_error, const Op& op) {
  const Errc code = why == Interrupt::timeout ? Errc::timeout : Errc::cancelled;
  const std::string what = describe(op) + (why == Interrupt::timeout ? " timed out" : " was cancelled");

  if (!cancel_) {
    // The original protocol cannot take a request back; closing the
    // connection is the only way, and the server withdraws it when it sees
    // the close.
    mark_broken(what + ", and the connection was closed to withdraw the request");
    if (cancel_error) std::rethrow_exception(cancel_error);
    throw Error(code, what + "; the connection was closed to withdraw the request "
                             "(the server does not offer NwsCancel)");
  }

  sock_.send_all({encode(nullptr, proto::Verb::cancel, {})});
  // The blocked request's own reply comes first (status 2 if withdrawn, or
  // the value if it won the race), then the short reply to `cancel`.
  proto::ReplyDecoder ack(format_, Kind::short_reply);
  if (!read_reply(dec, kCancelGraceMs) || !read_reply(ack, kCancelGraceMs)) {
    mark_broken("the server did not answer a cancel request");
    throw Error(code, what + "; the server did not answer the cancellation, so the connection was closed");
  }
  if (dec.head().status == proto::kCancelled || (why == Interrupt::cancelled && dec.head().status != proto::kOk)) {
    // Withdrawn; or a failure (such as "Variable purged.") won the race,
    // which the interrupt outranks: either way no value was taken.  The
    // error is the caller's own (status -1), not a refusal by the server.
    if (cancel_error) std::rethrow_exception(cancel_error);
    throw Error(code, what);
  }
  // Otherwise the value won the race: the connection is in sync, and the
  // caller hands the value over (with the interrupt, if it was one).
}

void Connection::check_value_size(std::uint64_t length, const Op& op) const {
  if (max_value_size_ && length > *max_value_size_)
    throw Error(Errc::invalid_argument, describe(op) + ": the value of " + std::to_string(length) +
                                            " bytes is over the NWS server's limit of " +
                                            std::to_string(*max_value_size_) + " bytes (" + where() +
                                            " was started with that --max-value-size)");
}

// ---- closing ----

void Connection::mark_broken(std::string why) noexcept {
  if (broken_) return;
  broken_why_ = std::move(why);
  broken_ = true;
}

void Connection::release_socket_if_done() noexcept {
  if (!closed_ && !broken_) return;
  std::lock_guard fd_lock(fd_mu_);
  sock_.close();
}

void Connection::close() noexcept {
  if (closed_.exchange(true)) return;
  {
    std::lock_guard fd_lock(fd_mu_);
    sock_.shutdown();  // the server sees us go now, and a blocked call wakes up
  }
  // If a call is in progress (perhaps this very thread, from a cancel check
  // or a sink), it releases the descriptor when it unwinds.
  std::unique_lock lock(mu_, std::try_to_lock);
  if (lock.owns_lock()) release_socket_if_done();
}

}  // namespace nws::detail
