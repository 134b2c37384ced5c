// The web interface's HTML: each page rendered from its view's JSON (views.hpp).
// Everything that comes from a user (names, owner labels, values) goes
// through html_escape; nothing a user stored is ever markup.
#pragma once

#include <string>
#include <string_view>

#include "server/web/views.hpp"

namespace nws::server::web {

std::string html_escape(std::string_view text);
// For a query parameter's value.
std::string url_encode(std::string_view text);

// A whole page: menu, title, the content, and the script that refreshes
// the content from `partial_url` every two seconds (empty: no refresh).
std::string page(std::string_view title, std::string_view content, std::string_view partial_url);

std::string workspaces_html(const Json& view);
std::string variables_html(const Json& view);
std::string values_html(const Json& view);
std::string connections_html(const Json& view);
std::string sleigh_html(const Json& view);
std::string server_html(const Json& view);
// The confirmation before a deletion (a POST form), for `op=confirmDelete*`.
std::string confirm_delete_html(std::string_view ws, const std::string* var);
// A message, with a link on (and, when `refresh_to` is set, a move there after 3 s).
std::string message_html(std::string_view text, std::string_view link, std::string_view link_text);

}  // namespace nws::server::web
