// A minimal RESP2 codec (the Redis wire format) for the load generator: just
// what LPUSH, RPOP, BRPOP, PING, INFO, SUBSCRIBE, PUBLISH and PUBSUB need.
// Written here rather than taken from hiredis so that the Redis side runs
// through the same socket code and timing loops as the floor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace bench::resp {

// *N CRLF, then $len CRLF arg CRLF for each argument.
void append_command(std::string& out, std::initializer_list<std::string_view> args);
// The same up to the bytes of the last argument: the caller sends those
// (from its own buffer, not copied) followed by CRLF.
void append_command_head(std::string& out, std::initializer_list<std::string_view> args_before_last,
                         std::size_t last_len);

// Incremental decoder of one reply (nested arrays included).  Bulk strings
// are copied into a buffer that is kept between replies, so fetching large
// values does not fault in fresh memory each time.
class Reader {
 public:
  void reset();
  // Consumes bytes up to the end of the current reply; returns how many.
  // Throws std::runtime_error on bytes that are not RESP.
  std::size_t feed(const char* p, std::size_t n);
  bool done() const { return done_; }
  bool is_error() const { return error_; }
  // The first line of an error or simple-string reply ("-ERR ...", "+OK").
  const std::string& status_line() const { return status_; }
  // The last integer seen anywhere in the reply.
  std::int64_t integer() const { return integer_; }
  // The last bulk string of the reply (e.g. BRPOP's value, a message payload).
  std::string_view last_bulk() const { return {bulk_.data(), bulk_len_}; }
  // Number of array elements of the top-level reply (-1 if not an array).
  std::int64_t top_array_len() const { return top_len_; }

 private:
  void element_done();

  bool done_ = false;
  bool error_ = false;
  bool in_bulk_ = false;
  std::size_t bulk_left_ = 0;  // payload + CRLF still to come
  std::size_t bulk_len_ = 0;
  std::vector<char> bulk_;     // grows to the largest value seen, never shrinks
  std::string line_;
  std::string status_;
  std::int64_t integer_ = 0;
  std::int64_t top_len_ = -1;
  std::vector<std::int64_t> open_;  // elements still expected by each open array
};

}  // namespace bench::resp

struct ssl_st;

namespace bench::resp {

// A blocking RESP connection with a receive buffer kept between replies;
// pipelining is allowed (send several commands, then read their replies).
// With --tls-ca (bench::tls_ca()) it speaks TLS through OpenSSL: SSL_connect
// on the blocking socket, the server's certificate verified against that CA
// and for 127.0.0.1, then SSL_write and SSL_read in place of send and recv.
class Conn {
 public:
  explicit Conn(std::uint16_t port);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void send(std::initializer_list<std::string_view> args);
  // A command whose last argument goes out from the caller's memory.
  void send_with_value(std::initializer_list<std::string_view> args_before_last, std::string_view value);
  void send_raw(std::string_view bytes);
  // Reads the next reply; valid until the next read.  Throws on an error reply.
  const Reader& read_reply();
  const Reader& call(std::initializer_list<std::string_view> args) {
    send(args);
    return read_reply();
  }
  int fd() const { return fd_; }

 private:
  void start_tls();
  // Plain: one sendmsg of the parts.  TLS: parts of 16 KiB or less in all
  // are copied into one buffer and go out in one SSL_write (one record, as
  // a Redis client that formats a command into one buffer sends it);
  // larger ones are written part by part, not copied.
  void write_all(std::string_view a, std::string_view b = {}, std::string_view c = {});
  std::size_t read_some(char* buf, std::size_t n);

  int fd_;
  ::ssl_st* ssl_ = nullptr;
  std::string tls_out_;
  std::string out_;
  std::vector<char> rbuf_;
  std::size_t rbegin_ = 0, rend_ = 0;
  Reader reader_;
};

}  // namespace bench::resp
