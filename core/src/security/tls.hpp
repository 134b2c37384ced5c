// OpenSSL contexts for both ends of a TLS connection (docs/security.md).
// The server's and the client's settings are made here once, so every
// binding and the server agree: TLS 1.2 or newer, the server's certificate
// always verified by clients, client certificates when the server asks.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

struct ssl_ctx_st;
struct ssl_st;

namespace nws::security {

// A context could not be made (a file missing or not PEM, a key that does
// not match its certificate); the message names the file and the problem.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TlsContext {
 public:
  // A server presenting `cert_file` (PEM, with any intermediates after it)
  // and `key_file`.  With `client_ca`, clients must present a certificate
  // that chains to it.
  static std::shared_ptr<TlsContext> for_server(const std::string& cert_file, const std::string& key_file,
                                                const std::string& client_ca);
  // A client that trusts `ca_file` (empty: the system's CAs) and presents
  // `cert_file`/`key_file` when given (key empty: in the certificate's file).
  static std::shared_ptr<TlsContext> for_client(const std::string& ca_file, const std::string& cert_file,
                                                const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* native() const { return ctx_; }

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

// OpenSSL's error queue as text (and emptied), for messages.
std::string tls_error_text();
// Why a client's verification of `ssl`'s peer certificate failed, in words
// ("certificate has expired"); empty when it did not.
std::string verify_failure(const ssl_st* ssl);

}  // namespace nws::security
