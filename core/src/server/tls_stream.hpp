// The server's side of one TLS connection on a non-blocking socket: the
// handshake, then reads and writes that say "again" instead of blocking,
// driven by the event loop like plain sockets are.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

struct ssl_st;

namespace nws::security {
class TlsContext;
}

namespace nws::server {

class TlsStream {
 public:
  enum class Io { ok, again, closed, failed };

  TlsStream(const std::shared_ptr<security::TlsContext>& context, int fd);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Goes on with the handshake: ok once it is done.
  Io handshake();
  bool handshaking() const { return !established_; }
  // Reads up to `n` decrypted bytes into `buf` (as many as are there).
  Io read(char* buf, std::size_t n, std::size_t& got);
  // read() with recv(2)'s answers, for callers written for a plain socket:
  // bytes, 0 at the end of the stream, -1 with errno (EAGAIN: nothing now;
  // EIO: a TLS error, in error()).
  ssize_t recv(char* buf, std::size_t n);
  // Writes up to `n` bytes; `put` says how many were taken.
  Io write(const char* buf, std::size_t n, std::size_t& put);
  // Whether the last call that said "again" waits for the socket to be
  // writable (rather than readable).
  bool wants_write() const { return wants_write_; }
  // Decrypted bytes OpenSSL holds that the socket will not announce again.
  bool pending() const;
  // Why the last call failed.
  const std::string& error() const { return error_; }
  // The client certificate's subject, when one was presented.
  std::string peer_subject() const;

 private:
  Io outcome(int rc);
  ssl_st* ssl_;
  bool established_ = false;
  bool wants_write_ = false;
  std::string error_;
};

// Whether the first bytes of a connection look like a TLS ClientHello (a
// TLS client on a port that expects plain text first).
inline bool looks_like_tls(unsigned char first) { return first == 0x16; }

}  // namespace nws::server
