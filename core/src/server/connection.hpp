// One client connection: handshake, request decoding, reply writing, and
// the limits that keep one client from costing the others (docs/limits.md):
// backpressure on its output, time limits, quotas on the values it stores.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "engine/engine.hpp"
#include "protocol/encoder.hpp"
#include "protocol/handshake.hpp"
#include "protocol/request_decoder.hpp"
#include "server/event_loop.hpp"
#include "server/server.hpp"
#include "server/tls_stream.hpp"

namespace nws::server {

// Reads when the loop reports the socket readable (once per report: level
// triggering reports again if more is waiting), writes replies at once and
// asks for writability only when the socket's buffer is full.
class Connection : public EventLoop::Handler {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes ownership of the connected, non-blocking socket `fd`.
  Connection(Server& server, int fd, std::string peer);
  ~Connection() override;

  void start();
  // Closes at once (server shutdown); no engine callbacks afterwards.
  void shutdown();
  // Encodes one reply into the output queue (called by the engine's sink).
  void queue_reply(const engine::Reply& reply);
  void on_events(std::uint32_t events) override;

  // Whether a time limit has passed (the server's sweep asks every second);
  // expire() then ends the connection, saying which limit in the log.
  bool expired(Clock::time_point now) const { return deadline_ && now >= *deadline_; }
  void expire();
  // Goes on with the requests set aside when its last turn ended (Server::want_turn).
  void take_turn();
  // The data log reached the disk: the replies held for it go out.
  void resume_after_log();

 private:
  void handle(std::uint32_t events);
  void read();
  // One read from the socket (through TLS when it is on): bytes, 0 at the
  // end of the stream, -1 with errno (EAGAIN: nothing now).
  ssize_t receive(char* buf, std::size_t n);
  // The NWS handshake is done: refuses a client the server's security
  // settings do not let in (false), or opens its session.
  bool admit(const proto::Negotiated& n, std::string& reply);
  // TLS, once the plain-text A000 is out: starts and drives the TLS handshake.
  void maybe_start_tls();
  void continue_tls_handshake();
  // With TLS on, reads later in this turn what OpenSSL already holds.
  void read_held_by_tls();
  // Handles received bytes until they run out or the connection must wait
  // for its output to drain; returns how many were used.
  std::size_t consume(std::string_view data);
  void execute();
  // Writes what the socket takes and, whenever the output is back under its
  // cap, goes on with the requests set aside; false on a write error.
  bool flush();
  // Writes until the output is gone or the socket is full; false on a
  // write error.
  bool write_out();
  void consume_output(std::size_t n);
  // Asks the loop for exactly the events this connection now wants.
  void update_interest();
  // A request or a reply: the idle time starts again.
  void note_activity();
  // The deadline of the state the connection is now in (docs/limits.md).
  void update_deadline();
  void finish(const char* why);
  void append_text(std::string_view bytes);
  std::string& text_tail();
  bool output_full() const { return out_bytes_ > server_.config().max_pending_output; }

  Server& server_;
  int fd_;
  std::string peer_;
  proto::ServerHandshake handshake_;
  proto::RequestDecoder decoder_;
  proto::ReplyFormat format_;
  engine::Session* session_ = nullptr;
  bool kill_server_on_close_ = false;

  std::uint32_t interest_ = 0;  // the events registered with the loop
  bool closing_ = false;   // no more requests; close once the output drains
  bool finished_ = false;
  bool processing_ = false;  // replies queue up until the input is processed
  bool held_for_log_ = false;  // replies wait for the data log's sync (Server::hold_for_log)
  bool start_tls_ = false;     // TLS begins once the output (A000) is written
  bool first_bytes_ = true;    // nothing received yet
  std::unique_ptr<TlsStream> tls_;

  // Backpressure: while its output is over the cap, or after it had a
  // turn's worth answered, the client's requests wait (unread in the
  // kernel, or here if they had been read already).
  bool paused_ = false;
  std::string held_input_;

  // The value bytes this connection's current request has reserved against
  // the server's quotas, released once the request is carried out.
  Server::Reservation reserved_;

  // Time limits: when the current one passes, and which it is.
  std::optional<Clock::time_point> deadline_;
  const char* deadline_what_ = "";
  std::optional<Clock::time_point> request_started_;
  Clock::time_point last_request_ = Clock::now();

  // Output: small pieces are copied into `text`, large values are written
  // straight from their shared blob, never copied.
  struct Piece {
    std::string text;
    proto::BlobRef blob;
    std::size_t offset = 0;
    std::size_t size() const { return blob ? blob.size() - offset : text.size() - offset; }
    const char* data() const { return (blob ? blob->data() : text.data()) + offset; }
  };
  std::deque<Piece> out_;
  std::size_t out_bytes_ = 0;
  std::string spare_text_;  // a written piece's buffer, reused for the next
};

}  // namespace nws::server
