// What the web interface shows, as JSON: the /api/... documents, and the
// data every HTML page is rendered from (one source for both, so a page
// never shows what the API does not).
//
// Each view reads the engine on the loop's thread and does bounded work:
// listings are paged (a page is at most kMaxPage rows, found through the
// engine's ordered maps or the value queue's chunk walk), and a value is
// described from at most kPreviewBytes of it, so a page costs well under a
// millisecond whatever the number of workspaces, connections or values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nws::server {
class Server;
}

namespace nws::server::web {

using Json = nlohmann::json;

inline constexpr std::size_t kDefaultPage = 100;
inline constexpr std::size_t kMaxPage = 1000;
inline constexpr std::size_t kPreviewBytes = 4096;
inline constexpr std::size_t kMaxWaiters = 20;  // waiters described per variable

// Where the web interface itself listens (shown on the server page).
struct WebInfo {
  std::string bind;
  std::uint16_t port = 0;
  std::uint64_t requests = 0;
};

// A view's answer: the document, or why there is none (404).
struct View {
  Json doc;
  std::optional<std::string> missing;
};

Json server_view(const Server& server, const WebInfo& web);
// Workspaces in name order, those after `after`; `next` names the page after.
Json workspaces_view(const Server& server, std::string_view after, std::size_t limit);
// A workspace's variables in name order, with their waiters.
View variables_view(const Server& server, std::string_view ws, std::string_view after, std::size_t limit);
// A variable's values, oldest first, from position `offset`.
View values_view(const Server& server, std::string_view ws, std::string_view var, std::size_t offset,
                 std::size_t limit);
// Connections in the order they came, those after session id `after`.
Json connections_view(const Server& server, std::uint64_t after, std::size_t limit);
// The Sleigh Monitor (SLEIGH.md §2): workers, their tasks, the errors logged.
View sleigh_view(const Server& server, std::string_view ws, std::size_t errors_offset, std::size_t errors_limit);


// `bytes` as valid UTF-8: invalid sequences become U+FFFD (JSON and HTML
// both need valid text; a value may hold anything).
std::string valid_utf8(std::string_view bytes);

}  // namespace nws::server::web
