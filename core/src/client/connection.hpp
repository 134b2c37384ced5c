// One TCP connection to an NWS server: the handshake, request/reply round
// trips, and the withdrawal of cancelled blocking requests.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/socket.hpp"
#include "client/status.hpp"
#include "nws/client.hpp"
#include "protocol/dict.hpp"
#include "protocol/encoder.hpp"
#include "protocol/reply_decoder.hpp"

namespace nws::detail {

// What to send: an encoded request, optionally followed by the bytes of its
// last argument from the caller's memory (`body`) or from a ByteSource.
struct Outgoing {
  explicit Outgoing(std::string encoded, std::string_view value = {}) : head(std::move(encoded)), body(value) {}

  std::string head;
  std::string_view body;
  const ByteSource* source = nullptr;
  std::uint64_t source_length = 0;
};

struct Reply {
  proto::ReplyHead head;
  std::string value;  // empty when a sink took the bytes
  // The call was cancelled (not timed out), but the server had already sent
  // this reply: the caller raises Errc::cancelled carrying the value.
  bool interrupted = false;

  int status() const { return head.status; }
  std::string_view reason() const { return head.metadata.get("nwsReason").value_or(std::string_view{}); }
};

class Connection {
 public:
  // Connects and negotiates.  Throws nws::Error: Errc::connection if the
  // server cannot be reached or refuses the options, Errc::unsupported if
  // the options ask for something the server lacks.
  explicit Connection(const ConnectOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Encodes a request (the verb, then `args`) with the metadata prefix this
  // connection needs.  Throws Errc::unsupported for metadata on a
  // connection that cannot carry it, Errc::invalid_argument for metadata
  // that cannot be framed.
  std::string encode(const Metadata* metadata, proto::Verb verb, std::initializer_list<std::string_view> args) const;
  // Same, for a request whose last argument (of `last_len` bytes) is streamed.
  std::string encode_head(const Metadata* metadata, proto::Verb verb,
                          std::initializer_list<std::string_view> args_before_last, std::uint64_t last_len) const;

  // One request and its reply (of the kind op.verb gets), under the
  // connection's mutex.  With `wait`,
  // the request may block on the server and is withdrawn when the caller's
  // deadline passes or cancel check fires (see client.hpp).  `op` only
  // names the request in error messages.  The caller's callbacks (sink,
  // source, cancel check) run under the mutex: they may call close(), but
  // any other call on this connection from them would deadlock.
  Reply round_trip(const Outgoing& request, const Op& op, const ByteSink* sink = nullptr,
                   const Wait* wait = nullptr);

  // Idempotent; safe from any thread, even while another blocks in a call.
  void close() noexcept;
  bool closed() const noexcept { return closed_.load(); }

  const std::string& host() const { return options_.host; }
  std::uint16_t port() const { return *options_.port; }
  const std::string& owner_label() const { return options_.owner_label; }
  bool supports_cancel() const { return cancel_; }
  bool supports_lease() const { return lease_ && format_.cookie; }
  bool cookie_format() const { return format_.cookie; }
  std::optional<std::uint16_t> web_port() const { return web_port_; }
  // The largest value the server takes (NwsMaxValueSize), if it says.
  std::optional<std::uint64_t> max_value_size() const { return max_value_size_; }
  // Raises Errc::invalid_argument, before anything is sent, for a value the
  // server is known to refuse.
  void check_value_size(std::uint64_t length, const Op& op) const;

 private:
  enum class Interrupt { none, cancelled, timeout };

  void handshake();
  void start_tls(Clock::time_point deadline);
  std::string read_exact(std::size_t n, Clock::time_point deadline);
  proto::Dict read_dict(Clock::time_point deadline);

  void ensure_usable() const;
  void send(const Outgoing& request);
  bool buffered_feed(proto::ReplyDecoder& dec);
  bool fill(int timeout_ms);
  bool read_reply(proto::ReplyDecoder& dec, int idle_limit_ms);
  Interrupt await_reply(proto::ReplyDecoder& dec, const Wait& wait, std::exception_ptr& cancel_error);
  // Returns normally when the reply won the race with the withdrawal.
  void withdraw(proto::ReplyDecoder& dec, Interrupt why, std::exception_ptr cancel_error, const Op& op);
  void mark_broken(std::string why) noexcept;
  void release_socket_if_done() noexcept;
  std::string where() const;

  ConnectOptions options_;  // host and port resolved (see resolve_defaults)
  Socket sock_;
  proto::ReplyFormat format_;
  bool metadata_in_ = false;
  bool cancel_ = false;
  bool lease_ = false;
  std::optional<std::uint16_t> web_port_;
  std::optional<std::uint64_t> max_value_size_;

  std::mutex mu_;     // one round trip at a time
  std::mutex fd_mu_;  // orders close() from other threads against releasing the fd
  std::atomic<bool> closed_{false};
  std::atomic<bool> broken_{false};
  std::string broken_why_;  // written once, under mu_, before broken_ is set

  // Received bytes not yet decoded: after a cancel two replies may arrive in
  // one read.  Reused across requests.
  std::vector<char> rbuf_;
  std::size_t rbegin_ = 0;
  std::size_t rend_ = 0;
};

}  // namespace nws::detail
