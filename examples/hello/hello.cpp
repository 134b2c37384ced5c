// Connects to an NWS server, stores a string in a fresh workspace, fetches it
// back and checks it.  Usage: hello [host [port]]  (default localhost 8765)
//
// Exit status: 0 if the value came back unchanged, 1 if it came back wrong,
// 2 on any NWS error (server not running, ...), 64 on bad arguments.
#include <charconv>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

#include "nws/client.hpp"

int main(int argc, char** argv) {
  nws::ConnectOptions options;
  if (argc > 1) options.host = argv[1];
  if (argc > 2) {
    std::string_view arg = argv[2];
    unsigned port = 0;
    auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), port);
    if (ec != std::errc() || end != arg.data() + arg.size() || port == 0 || port > 65535) {
      std::cerr << "usage: hello [host [port]]\n";
      return 64;
    }
    options.port = static_cast<std::uint16_t>(port);
  }

  try {
    nws::Server server(options);
    std::cout << "connected to " << server.host() << ":" << server.port()
              << (server.supports_cancel() ? " (server supports NwsCancel)" : "") << "\n";

    // A server-made unique name, so several runs never share a workspace;
    // opening it makes us the owner, so it vanishes when we disconnect.
    std::string name = server.mktemp_ws("hello_%d");
    nws::Workspace ws = server.open_ws(name);
    std::cout << "opened workspace '" << name << "'\n";

    const std::string greeting = "Hello, NetWorkSpaces!";
    ws.store("greeting", nws::Value::text(greeting));
    std::cout << "stored   greeting = \"" << greeting << "\"\n";

    nws::Value back = ws.fetch("greeting", nws::Wait::for_duration(std::chrono::seconds(10)));
    std::cout << "fetched  greeting = \"" << back.bytes << "\" (written by "
              << nws::language_name(back.language()) << ")\n";

    server.close();
    if (!back.is_string() || back.bytes != greeting) {
      std::cerr << "hello: the value came back wrong\n";
      return 1;
    }
    std::cout << "ok\n";
    return 0;
  } catch (const nws::Error& e) {
    std::cerr << "hello: " << nws::errc_name(e.code()) << ": " << e.what() << "\n";
    return 2;
  }
}
