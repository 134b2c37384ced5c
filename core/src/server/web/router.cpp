#include "server/web/router.hpp"

#include <charconv>
#include <map>

#include "engine/engine.hpp"
#include "server/log.hpp"
#include "server/server.hpp"
#include "server/web/metrics.hpp"
#include "server/web/pages.hpp"

namespace nws::server::web {
namespace {

using Params = std::map<std::string, std::string, std::less<>>;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte.
std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out += ' ';
    else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else out += s[i];
  }
  return out;
}

void parse_params(std::string_view query, Params& into) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    into.emplace(std::move(key), std::move(value));  // the first of repeated keys counts
  }
}

const std::string* param(const Params& p, std::string_view key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : &it->second;
}

std::string param_or(const Params& p, std::string_view key, std::string fallback = {}) {
  const std::string* v = param(p, key);
  return v ? *v : std::move(fallback);
}

std::size_t number_param(const Params& p, std::string_view key, std::size_t fallback) {
  const std::string* v = param(p, key);
  std::size_t n = 0;
  if (!v || v->empty()) return fallback;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() && end == v->data() + v->size() ? n : fallback;
}

HttpResponse json_response(int status, const Json& doc) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  // Names and values were made valid UTF-8 by the views; replace anything else.
  r.body = doc.dump(1, ' ', false, Json::error_handler_t::replace);
  r.body += '\n';
  return r;
}

HttpResponse json_error(int status, const std::string& message) { return json_response(status, Json{{"error", message}}); }

HttpResponse html_response(int status, std::string_view title, std::string content, const Params& params,
                           std::string partial_url) {
  HttpResponse r;
  r.status = status;
  if (param(params, "partial")) r.body = std::move(content);
  else r.body = page(title, content, partial_url);
  return r;
}

HttpResponse redirect(std::string to) {
  HttpResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", to);
  r.body = message_html("Done.", to, "Go on");
  return r;
}

// A cross-site form or script may not delete: the Origin, when a browser
// sends one, must be this server's own.
bool same_origin(const HttpRequest& req) {
  return req.origin.empty() || req.origin == "http://" + req.host || req.origin == "https://" + req.host;
}

HttpResponse api(Server& server, const WebInfo& web, const HttpRequest& req, std::string_view path, const Params& p) {
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool del = req.method == "DELETE";
  const std::size_t limit = number_param(p, "limit", kDefaultPage);
  auto answer = [](View v) { return v.missing ? json_error(404, *v.missing) : json_response(200, v.doc); };
  auto method_not_allowed = [&] { return json_error(405, "Method " + req.method + " is not allowed on " + std::string(path) + "."); };
  auto need = [&](const char* key) -> const std::string* { return param(p, key); };

  if (path == "/api/server") return get ? json_response(200, server_view(server, web)) : method_not_allowed();
  if (path == "/api/connections")
    return get ? json_response(200, connections_view(server, number_param(p, "after", 0), limit)) : method_not_allowed();
  if (path == "/api/workspaces") {
    if (get) return json_response(200, workspaces_view(server, param_or(p, "after"), limit));
    if (!del) return method_not_allowed();
    const std::string* ws = need("ws");
    if (!ws) return json_error(400, "Say which workspace to delete: DELETE /api/workspaces?ws=NAME.");
    if (!same_origin(req)) return json_error(403, "Cross-origin deletions are refused.");
    if (!server.engine().delete_workspace(*ws)) return json_error(404, "No workspace named '" + valid_utf8(*ws) + "'.");
    log(LogLevel::info, "web: workspace '{}' deleted", *ws);
    return json_response(200, Json{{"deleted", valid_utf8(*ws)}});
  }
  if (path == "/api/variables") {
    const std::string* ws = need("ws");
    if (!ws) return json_error(400, "Say which workspace: /api/variables?ws=NAME.");
    if (get) return answer(variables_view(server, *ws, param_or(p, "after"), limit));
    if (!del) return method_not_allowed();
    const std::string* var = need("var");
    if (!var) return json_error(400, "Say which variable to delete: DELETE /api/variables?ws=NAME&var=NAME.");
    if (!same_origin(req)) return json_error(403, "Cross-origin deletions are refused.");
    if (!server.engine().delete_variable(*ws, *var))
      return json_error(404, "No variable '" + valid_utf8(*var) + "' in a workspace '" + valid_utf8(*ws) + "'.");
    log(LogLevel::info, "web: variable '{}' of workspace '{}' deleted", *var, *ws);
    return json_response(200, Json{{"deleted", valid_utf8(*var)}, {"workspace", valid_utf8(*ws)}});
  }
  if (path == "/api/values") {
    if (!get) return method_not_allowed();
    const std::string* ws = need("ws");
    const std::string* var = need("var");
    if (!ws || !var) return json_error(400, "Say which variable: /api/values?ws=NAME&var=NAME[&offset=N&limit=N].");
    return answer(values_view(server, *ws, *var, number_param(p, "offset", 0), limit));
  }
  if (path == "/api/sleigh") {
    if (!get) return method_not_allowed();
    const std::string* ws = need("ws");
    if (!ws) return json_error(400, "Say which sleigh workspace: /api/sleigh?ws=NAME.");
    return answer(sleigh_view(server, *ws, number_param(p, "errors_offset", 0), number_param(p, "errors_limit", 50)));
  }
  return json_error(404, "No such API: " + std::string(path) +
                             ". There are /api/server, /api/workspaces, /api/variables, /api/values, "
                             "/api/connections and /api/sleigh (docs/web.md).");
}

HttpResponse not_found_page(std::string_view text, const Params& p) {
  return html_response(404, "Not found", message_html(text, "/doit?op=listWss", "All workspaces"), p, {});
}

HttpResponse pages(Server& server, const WebInfo& web, const HttpRequest& req, const Params& p) {
  const std::string op = param_or(p, "op", "listWss");
  const std::string ws = param_or(p, "wsName");
  const std::string* var = param(p, "varName");
  const bool post = req.method == "POST";
  // The same page's content alone, for the page's script to refresh.
  const std::string partial = req.target + (req.target.find('?') == std::string::npos ? "?" : "&") + "partial=1";

  if (op == "listVars" || op == "listMonitors") {
    View v = variables_view(server, ws, param_or(p, "after"), number_param(p, "limit", kDefaultPage));
    if (v.missing) return not_found_page(*v.missing, p);
    return html_response(200, "Workspace " + ws, variables_html(v.doc), p, partial);
  }
  if (op == "showVar") {
    if (!var) return not_found_page("Say which variable: op=showVar&wsName=...&varName=....", p);
    View v = values_view(server, ws, *var, number_param(p, "offset", 0), number_param(p, "limit", kDefaultPage));
    if (v.missing) return not_found_page(*v.missing, p);
    return html_response(200, "Variable " + *var, values_html(v.doc), p, partial);
  }
  if (op == "showMonitor") {
    const std::string mon = param_or(p, "monName", "Sleigh Monitor");
    if (mon != "Sleigh Monitor")
      return not_found_page("This server has the Sleigh Monitor built in; no monitor named '" + mon + "'.", p);
    View v = sleigh_view(server, ws, number_param(p, "offset", 0), number_param(p, "limit", 50));
    if (v.missing) return not_found_page(*v.missing, p);
    return html_response(200, "Sleigh Monitor " + ws, sleigh_html(v.doc), p, partial);
  }
  if (op == "listClients")
    return html_response(200, "Connections",
                         connections_html(connections_view(server, number_param(p, "after", 0),
                                                           number_param(p, "limit", kDefaultPage))),
                         p, partial);
  if (op == "showServerInfo") return html_response(200, "Server", server_html(server_view(server, web)), p, partial);
  if (op == "confirmDeleteWs" || op == "confirmDeleteVar" || ((op == "deleteWs" || op == "deleteVar") && !post)) {
    // A link or an old bookmark never deletes: it asks first.
    const bool is_var = op == "confirmDeleteVar" || op == "deleteVar";
    if (is_var && !var) return not_found_page("Say which variable: varName=....", p);
    return html_response(200, "Delete?", confirm_delete_html(ws, is_var ? var : nullptr), p, {});
  }
  if (op == "deleteWs" || op == "deleteVar") {
    if (!same_origin(req))
      return html_response(403, "Refused", message_html("Cross-origin deletions are refused.", "/", "Workspaces"), p, {});
    if (op == "deleteWs") {
      if (!server.engine().delete_workspace(ws)) return not_found_page("No workspace named '" + ws + "'.", p);
      log(LogLevel::info, "web: workspace '{}' deleted", ws);
      return redirect("/doit?op=listWss");
    }
    if (!var) return not_found_page("Say which variable: varName=....", p);
    if (!server.engine().delete_variable(ws, *var))
      return not_found_page("No variable '" + *var + "' in a workspace '" + ws + "'.", p);
    log(LogLevel::info, "web: variable '{}' of workspace '{}' deleted", *var, ws);
    return redirect("/doit?op=listVars&wsName=" + url_encode(ws));
  }
  // listWss, and the original's fallback for any other op.
  return html_response(200, "Workspaces",
                       workspaces_html(workspaces_view(server, param_or(p, "after"), number_param(p, "limit", kDefaultPage))),
                       p, partial);
}

}  // namespace

HttpResponse route(Server& server, const WebInfo& web, const HttpRequest& req) {
  const std::size_t q = req.target.find('?');
  const std::string_view path = std::string_view(req.target).substr(0, q);
  Params params;
  if (q != std::string::npos) parse_params(std::string_view(req.target).substr(q + 1), params);
  if (req.method == "POST" && req.content_type.starts_with("application/x-www-form-urlencoded"))
    parse_params(req.body, params);

  if (path == "/metrics") {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_text(server, web);
    return r;
  }
  if (path.starts_with("/api/")) return api(server, web, req, path, params);
  if (path == "/favicon.ico") return HttpResponse{204, "text/plain", {}, {}};
  if (path.starts_with("/clientCode/"))
    return not_found_page("This server does not serve client code: install a client package instead.", params);
  if (req.method != "GET" && req.method != "POST" && req.method != "HEAD")
    return HttpResponse{405, "text/plain; charset=utf-8", "Method not allowed.\n", {{"Allow", "GET, POST"}}};
  return pages(server, web, req, params);
}

}  // namespace nws::server::web
