#include "security/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace nws::security {
namespace {

SSL_CTX* new_context(const SSL_METHOD* method) {
  SSL_CTX* ctx = SSL_CTX_new(method);
  if (!ctx) throw TlsSetupError("cannot make a TLS context: " + tls_error_text());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Writes may be partial and retried from another address: the server's
  // output queue moves as it is written.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY);
  // Read ahead: one read(2) takes whatever records have arrived (up to
  // 64 KiB) instead of two per record (header, then body).  Callers must
  // then ask SSL_has_pending(), not the socket, whether more is buffered.
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_default_read_buffer_len(ctx, 64 * 1024);
  return ctx;
}

void load_pair(SSL_CTX* ctx, const std::string& cert, const std::string& key, const char* whose) {
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
    throw TlsSetupError(std::string("cannot use ") + whose + " certificate '" + cert + "': " + tls_error_text());
  const std::string& k = key.empty() ? cert : key;
  if (SSL_CTX_use_PrivateKey_file(ctx, k.c_str(), SSL_FILETYPE_PEM) != 1)
    throw TlsSetupError(std::string("cannot use ") + whose + " private key '" + k + "': " + tls_error_text());
  if (SSL_CTX_check_private_key(ctx) != 1)
    throw TlsSetupError(std::string("the ") + whose + " key '" + k + "' does not belong to the certificate '" + cert +
                        "'");
}

}  // namespace

std::string tls_error_text() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    // "error:0A000086:SSL routines::certificate verify failed": keep the words.
    std::string_view text(buf);
    auto colon = text.rfind(':');
    if (!out.empty()) out += "; ";
    out += colon == std::string_view::npos ? text : text.substr(colon + 1);
  }
  return out.empty() ? "unknown TLS error" : out;
}

std::string verify_failure(const ssl_st* ssl) {
  long r = SSL_get_verify_result(ssl);
  return r == X509_V_OK ? std::string() : std::string(X509_verify_cert_error_string(r));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::shared_ptr<TlsContext> TlsContext::for_server(const std::string& cert_file, const std::string& key_file,
                                                   const std::string& client_ca) {
  std::shared_ptr<TlsContext> c(new TlsContext(new_context(TLS_server_method())));
  load_pair(c->ctx_, cert_file, key_file, "the server's");
  if (!client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(c->ctx_, client_ca.c_str(), nullptr) != 1)
      throw TlsSetupError("cannot use the client CA file '" + client_ca + "': " + tls_error_text());
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca.c_str()))
      SSL_CTX_set_client_CA_list(c->ctx_, names);
    SSL_CTX_set_verify(c->ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return c;
}

std::shared_ptr<TlsContext> TlsContext::for_client(const std::string& ca_file, const std::string& cert_file,
                                                   const std::string& key_file) {
  std::shared_ptr<TlsContext> c(new TlsContext(new_context(TLS_client_method())));
  if (!ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(c->ctx_, ca_file.c_str(), nullptr) != 1)
      throw TlsSetupError("cannot use the CA file '" + ca_file + "': " + tls_error_text());
  } else if (SSL_CTX_set_default_verify_paths(c->ctx_) != 1) {
    throw TlsSetupError("cannot load the system's CA certificates: " + tls_error_text());
  }
  SSL_CTX_set_verify(c->ctx_, SSL_VERIFY_PEER, nullptr);
  if (!cert_file.empty()) load_pair(c->ctx_, cert_file, key_file, "the client's");
  return c;
}

}  // namespace nws::security
