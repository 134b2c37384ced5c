// One client connection: handshake, request decoding, reply writing.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "engine/engine.hpp"
#include "protocol/encoder.hpp"
#include "protocol/handshake.hpp"
#include "protocol/request_decoder.hpp"
#include "server/event_loop.hpp"

namespace nws::server {

class Server;

// Reads when the loop reports the socket readable (once per report: level
// triggering reports again if more is waiting), writes replies at once and
// asks for writability only when the socket's buffer is full.
class Connection : public EventLoop::Handler {
 public:
  // Takes ownership of the connected, non-blocking socket `fd`.
  Connection(Server& server, int fd, std::string peer);
  ~Connection() override;

  void start();
  // Closes at once (server shutdown); no engine callbacks afterwards.
  void shutdown();
  // Encodes one reply into the output queue (called by the engine's sink).
  void queue_reply(const engine::Reply& reply);
  void on_events(std::uint32_t events) override;

 private:
  void handle(std::uint32_t events);
  void read();
  void process(std::string_view data);
  // Writes until the output is gone or the socket is full; false on a
  // write error.
  bool write_out();
  void consume_output(std::size_t n);
  // Asks the loop for exactly the events this connection now wants.
  void update_interest();
  void finish(const char* why);
  void append_text(std::string_view bytes);
  std::string& text_tail();

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
