// One client connection: handshake, request decoding, reply writing.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "engine/engine.hpp"
#include "protocol/encoder.hpp"
#include "protocol/handshake.hpp"
#include "protocol/request_decoder.hpp"

namespace nws::server {

class Server;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, asio::ip::tcp::socket socket);
  ~Connection();

  void start();
  // Closes at once (server shutdown); no engine callbacks afterwards.
  void shutdown();
  // Encodes one reply into the output queue (called by the engine's sink).
  void queue_reply(const engine::Reply& reply);

 private:
  void read();
  void on_read(std::size_t n);
  void process(std::string_view data);
  void flush();
  void on_written(std::size_t n);
  void finish(const char* why);
  void append_text(std::string_view bytes);
  std::string& text_tail();

  Server& server_;
  asio::ip::tcp::socket socket_;
  std::string peer_;
  proto::ServerHandshake handshake_;
  proto::RequestDecoder decoder_;
  proto::ReplyFormat format_;
  engine::Session* session_ = nullptr;
  bool kill_server_on_close_ = false;

  // Not zero-filled: an idle connection only makes resident the pages its
  // requests actually touch.
  std::unique_ptr<char[]> in_;
  bool reading_ = false;
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
  bool writing_ = false;
  std::size_t in_flight_ = 0;  // leading pieces inside the current write
  // A fixed array, not a vector: asio copies the buffer sequence into each
  // write, and a vector would allocate for it every time.
  static constexpr std::size_t kMaxGather = 16;
  std::array<asio::const_buffer, kMaxGather> gather_;
  std::string spare_text_;  // a written piece's buffer, reused for the next
};

}  // namespace nws::server
