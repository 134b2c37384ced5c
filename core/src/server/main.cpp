// nws-server: the NetWorkSpaces server program.
#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "nws/version.hpp"
#include "security/scram.hpp"
#include "server/listener.hpp"
#include "server/log.hpp"
#include "server/server.hpp"
#ifdef NWS_WITH_WEB
#include "server/web/web_server.hpp"
#endif

namespace {

// Thousands of clients need thousands of descriptors: take what we may.
void raise_descriptor_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// Values up to the spool threshold live on the heap.  By default glibc maps
// each block over 128 KiB afresh and returns freed heap to the kernel, so
// every 1 MiB store paid for page faults on new memory (a third of its
// time).  Keep such blocks on the heap and keep freed heap for reuse.
void tune_allocator() {
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

// --hash-password: the secret for a password read from standard input
// (not the command line, where other users could see it in `ps`).
int print_password_secret() {
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    std::fprintf(stderr, "nws-server: --hash-password reads a password from standard input; none was given\n");
    return 2;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  std::printf("%s\n", nws::security::format_scram_secret(nws::security::make_scram_secret(password)).c_str());
  return 0;
}

std::optional<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) {
    std::fprintf(stderr, "nws-server: cannot read a token from %s\n", path.c_str());
    return std::nullopt;
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) {
    std::fprintf(stderr, "nws-server: the token in %s is shorter than 16 characters; make a long random one "
                         "(openssl rand -hex 32)\n", path.c_str());
    return std::nullopt;
  }
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nws::server;
  ServerConfig config;
  std::string level = "info";

  CLI::App app{"nws-server: the NetWorkSpaces server.  Clients in any language store and fetch "
               "named values in named workspaces through it."};
  app.set_version_flag("--version", "nws-server " + std::string(nws::version()));
  app.add_option("-b,--bind", config.bind, "Address to listen on")->capture_default_str();
  app.add_option("-p,--port", config.port, "TCP port for NWS clients (0: any free port)")->capture_default_str();
  app.add_option("--spool-dir", config.spool_parent, "Directory under which large values are spooled")
      ->capture_default_str();
  // Sizes take the suffixes k, M, G, T (powers of 1024): 512M, 4G.
  app.add_option("--spool-threshold", config.spool_threshold,
                 "Values of at least this many bytes are spooled to disk (minimum 64)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--max-value-size", config.max_value_size,
                 "Largest value accepted, in bytes; larger stores are refused as soon as their length is read")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  std::uint64_t max_memory = 0, max_spool = 0;
  app.add_option("--max-memory", max_memory,
                 "Memory for stored values, variables and workspaces; past it stores are refused with an error "
                 "(default: half the physical memory; 0: no limit)")
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--max-spool", max_spool,
                 "Disk for spooled values; past it large stores are refused with an error "
                 "(default: nine tenths of the spool directory's free space at start; 0: no limit)")
      ->transform(CLI::AsSizeValue(false));
  std::size_t max_connections = 0;
  app.add_option("--max-connections", max_connections,
                 "Connections past this many are refused at once with a reason "
                 "(default: half the descriptors the process may open)")
      ->check(CLI::PositiveNumber);
  double handshake_s = 10, request_s = 30, idle_s = 0;
  app.add_option("--handshake-timeout", handshake_s, "Seconds a new connection has to complete its handshake")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--request-timeout", request_s,
                 "Seconds a request has to arrive whole once begun, plus one per MiB it announces")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_s,
                 "Seconds after which a connection with nothing to do is closed (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--allow-client-shutdown", config.allow_client_shutdown,
               "Let a client stop the server (the deadman verb, the KillServerOnClose option)");
  int web_port = 8766;
  bool no_web = false;
  app.add_option("--web-port", web_port,
                 "TCP port of the web interface: pages, the JSON API and /metrics (0: any free port); "
                 "bound to the --bind address")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_flag("--no-web", no_web, "Serve no web interface");
  std::string fsync = "everysec", durable = "persistent";
  app.add_option("--data-dir", config.data_dir,
                 "Keep durable workspaces in this directory (its nws.log): they survive a stop, crash or reboot "
                 "(docs/durability.md)");
  app.add_option("--fsync", fsync,
                 "When the data log reaches the disk: always (before each reply), everysec (at most the last "
                 "second can be lost), no (when the kernel decides)")
      ->check(CLI::IsMember({"always", "everysec", "no"}))
      ->capture_default_str();
  app.add_option("--durable", durable,
                 "Which workspaces the data directory keeps: persistent (those opened as persistent, and "
                 "__default) or all")
      ->check(CLI::IsMember({"persistent", "all"}))
      ->capture_default_str();
  app.add_option("--tls-cert", config.tls_cert,
                 "TLS: the server's certificate (PEM, intermediates after it); every connection to the NWS and web "
                 "ports must then use TLS (docs/security.md)");
  app.add_option("--tls-key", config.tls_key, "TLS: the certificate's private key (PEM; default: in --tls-cert's file)");
  app.add_option("--tls-ca", config.tls_ca,
                 "TLS: require client certificates signed by the CAs in this PEM file");
  app.add_option("--users", config.users_file,
                 "Users file: users with SCRAM-SHA-256 secrets, groups, and rules of who may do what to which "
                 "workspaces; every connection must then authenticate (docs/security.md)");
  std::string token_file;
  app.add_option("--token-file", token_file,
                 "A shared token (the file's first line) that connections may authenticate with instead of a user");
  bool hash_password = false;
  app.add_flag("--hash-password", hash_password,
               "Read a password on standard input, print its SCRAM-SHA-256 secret for the users file, and exit");
  app.add_option("--log-level", level, "error, warn, info or debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (hash_password) return print_password_secret();
  if (!config.tls_key.empty() && config.tls_cert.empty()) {
    std::fprintf(stderr, "nws-server: --tls-key needs --tls-cert (the certificate it belongs to)\n");
    return 2;
  }
  if (!config.tls_ca.empty() && config.tls_cert.empty()) {
    std::fprintf(stderr, "nws-server: --tls-ca (client certificates) needs --tls-cert and --tls-key for the server\n");
    return 2;
  }
  if (!token_file.empty()) {
    auto token = read_token_file(token_file);
    if (!token) return 2;
    config.token = *token;
  }
  if (app.count("--max-memory")) config.max_memory = max_memory;
  if (app.count("--max-spool")) config.max_spool = max_spool;
  if (app.count("--max-connections")) config.max_connections = max_connections;
  const auto ms = [](double s) { return std::chrono::milliseconds(static_cast<long long>(s * 1000)); };
  config.handshake_timeout = ms(handshake_s);
  config.request_timeout = ms(request_s);
  config.idle_timeout = ms(idle_s);
  config.fsync = fsync == "always" ? nws::server::durable::FsyncPolicy::always
                 : fsync == "no"   ? nws::server::durable::FsyncPolicy::no
                                   : nws::server::durable::FsyncPolicy::everysec;
  config.durability = durable == "all" ? nws::engine::Durability::all : nws::engine::Durability::persistent;
  if (config.data_dir.empty() && (app.count("--fsync") || app.count("--durable"))) {
    std::fprintf(stderr, "nws-server: --fsync and --durable need --data-dir DIR (where durable workspaces are kept)\n");
    return 2;
  }

  LogLevel lvl;
  parse_log_level(level, lvl);
  set_log_sink(log_to_stderr, lvl);
  raise_descriptor_limit();
  tune_allocator();

  try {
    Server server(config);
#ifdef NWS_WITH_WEB
    std::unique_ptr<web::WebServer> web;
    if (!no_web) {
      try {
        web = std::make_unique<web::WebServer>(server, web::WebConfig{config.bind, static_cast<std::uint16_t>(web_port)});
      } catch (const std::exception& e) {
        // The NWS port matters more: serve it, and say how to get the pages.
        log(LogLevel::warn, "no web interface: {} (give --web-port 0 for any free port, or --no-web)", e.what());
      }
    }
#else
    if (!no_web && app.count("--web-port"))
      log(LogLevel::warn, "this nws-server was built without its web interface (Boost.Beast and nlohmann-json "
                          "were missing at build time): --web-port is ignored");
#endif
    // Tests and scripts read this line to learn the port.
    std::printf("nws-server listening on %s:%u\n", config.bind.c_str(), static_cast<unsigned>(server.port()));
#ifdef NWS_WITH_WEB
    if (web)
      std::printf("nws-server web interface on %s://%s:%u/\n", server.tls() ? "https" : "http", config.bind.c_str(),
                  static_cast<unsigned>(web->port()));
#endif
    std::fflush(stdout);
    // As Redis's protected mode says so: an address other machines can reach
    // without TLS or without authentication trusts the network.
    if (!is_loopback_address(config.bind) && !server.requires_auth())
      log(LogLevel::warn,
          "listening on {}, which other machines can reach, without authentication: anyone who can connect to "
          "port {}{} can read, take and delete every value. Give --users FILE or --token-file FILE "
          "(docs/security.md), or bind to 127.0.0.1 (the default).",
          config.bind, server.port(), no_web ? "" : " or to the web interface");
    if (!is_loopback_address(config.bind) && !server.tls())
      log(LogLevel::warn,
          "listening on {} without TLS: values{} cross the network in clear text, readable by anyone on the way. "
          "Give --tls-cert and --tls-key (docs/security.md).",
          config.bind, server.requires_auth() ? "" : " (and tokens)");
    log(LogLevel::info, "listening on {}:{}, spooling values of {} bytes or more under {}", config.bind,
        server.port(), config.spool_threshold, server.spool().path());
    server.run();
    log(LogLevel::info, "stopped");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nws-server: %s\n", e.what());
    return 1;
  }
  return 0;
}
