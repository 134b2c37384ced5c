#include "server/web/pages.hpp"

#include <cstdio>

#include "server/web/assets.hpp"

namespace nws::server::web {
namespace {

std::string esc(const Json& j) {
  if (j.is_string()) return html_escape(j.get_ref<const std::string&>());
  if (j.is_null()) return "";
  return html_escape(j.dump());
}

// "1 value", "3 values" (`n` a JSON count).
std::string count_of(const Json& n, const char* singular, const char* plural) {
  return esc(n) + " " + (n.is_number() && n.get<double>() == 1 ? singular : plural);
}

std::string seconds_text(const Json& j) {
  const double s = j.is_number() ? j.get<double>() : 0.0;
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%.0f min %.0f s", s / 60 - 0.5, s - 60 * static_cast<int>(s / 60));
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string bytes_text(const Json& j) {
  const double b = j.is_number() ? j.get<double>() : 0.0;
  char buf[32];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%.0f B", b);
  else if (b < 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024);
  else if (b < 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", b / 1024 / 1024);
  else std::snprintf(buf, sizeof buf, "%.2f GiB", b / 1024 / 1024 / 1024);
  return buf;
}

std::string ws_link(const std::string& ws) { return "/doit?op=listVars&wsName=" + url_encode(ws); }
std::string var_link(const std::string& ws, const std::string& var) {
  return "/doit?op=showVar&wsName=" + url_encode(ws) + "&varName=" + url_encode(var);
}
std::string monitor_link(const std::string& ws) {
  return "/doit?op=showMonitor&monName=Sleigh%20Monitor&wsName=" + url_encode(ws);
}

// Where a deletion is POSTed (the original's op names).
std::string delete_action(const std::string& ws, const std::string* var) {
  return var ? "/doit?op=deleteVar&wsName=" + url_encode(ws) + "&varName=" + url_encode(*var)
             : "/doit?op=deleteWs&wsName=" + url_encode(ws);
}

// A delete button: a POST form the page's script asks to confirm first
// (data-confirm); without the script, op=confirmDelete* asks instead.
std::string delete_form(const std::string& ws, const std::string* var) {
  std::string action = delete_action(ws, var);
  std::string question = var ? "Delete variable '" + *var + "' of workspace '" + ws + "'? Clients blocked on it get an error."
                             : "Delete workspace '" + ws + "' and every variable in it?";
  return "<form class=\"delete\" method=\"post\" action=\"" + html_escape(action) + "\" data-confirm=\"" +
         html_escape(question) + "\"><button type=\"submit\">Delete</button></form>";
}

// "N" and "#id peer (label), 3.2 s" for each waiter described.
std::string waiters_text(const Json& count, const Json& list) {
  if (list.empty()) return "0";
  std::string out = esc(count) + "<ul class=\"waiters\">";
  for (const Json& w : list) {
    out += "<li>#" + esc(w["connection"]) + " " + esc(w["peer"]);
    if (!w["label"].get_ref<const std::string&>().empty()) out += " (" + esc(w["label"]) + ")";
    out += ", " + seconds_text(w["blocked_seconds"]) + "</li>";
  }
  if (count.get<std::size_t>() > list.size())
    out += "<li>and " + std::to_string(count.get<std::size_t>() - list.size()) + " more</li>";
  return out + "</ul>";
}

std::string more_link(const std::string& href, const char* text) {
  return "<p class=\"more\"><a href=\"" + html_escape(href) + "\">" + text + "</a></p>";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string page(std::string_view title, std::string_view content, std::string_view partial_url) {
  std::string out;
  out.reserve(content.size() + 4096);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  out += html_escape(title);
  out += " - NetWorkSpaces</title><style>";
  out += kStyleSheet;
  out += "</style></head><body><header><nav><a class=\"brand\" href=\"/doit?op=listWss\">NetWorkSpaces</a>"
         "<a href=\"/doit?op=listWss\">Workspaces</a><a href=\"/doit?op=listClients\">Connections</a>"
         "<a href=\"/doit?op=showServerInfo\">Server</a><a href=\"/metrics\">Metrics</a></nav>"
         "<span id=\"live\" data-partial=\"";
  out += html_escape(partial_url);
  out += "\"></span></header><main id=\"content\">";
  out += content;
  out += "</main><script>";
  out += kScript;
  out += "</script></body></html>\n";
  return out;
}

// A page's content is tens of kilobytes: room for it at once, not by doubling.
constexpr std::size_t kContentReserve = 64 * 1024;

std::string workspaces_html(const Json& v) {
  std::string out;
  out.reserve(kContentReserve);
  out += "<h1>Workspaces</h1><p class=\"summary\">" + count_of(v["total"], "workspace", "workspaces") + "</p>";
  out += "<table id=\"workspaces\"><thead><tr><th>Name</th><th>Monitor</th><th>Owner</th><th>Persistent</th>"
         "<th>Variables</th><th>Clients</th><th></th></tr></thead><tbody>";
  for (const Json& w : v["workspaces"]) {
    const std::string& name = w["name"].get_ref<const std::string&>();
    out += "<tr><td><a href=\"" + html_escape(ws_link(name)) + "\">" + html_escape(name) + "</a></td><td>";
    out += w["sleigh"].get<bool>() ? "<a href=\"" + html_escape(monitor_link(name)) + "\">Sleigh Monitor</a>" : "[none]";
    out += "</td><td>" + esc(w["owner"]) + "</td><td>" + (w["persistent"].get<bool>() ? "True" : "False") +
           "</td><td class=\"n\">" + esc(w["variables"]) + "</td><td class=\"n\">" + esc(w["clients"]) + "</td><td>" +
           delete_form(name, nullptr) + "</td></tr>";
  }
  out += "</tbody></table>";
  if (!v["next"].is_null())
    out += more_link("/doit?op=listWss&after=" + url_encode(v["next"].get<std::string>()), "Next workspaces &rarr;");
  return out;
}

std::string variables_html(const Json& v) {
  const std::string& ws = v["workspace"].get_ref<const std::string&>();
  std::string out;
  out.reserve(kContentReserve);
  out += "<h1>Workspace <span class=\"name\">" + html_escape(ws) + "</span></h1><p class=\"summary\">";
  out += count_of(v["total"], "variable", "variables") + " &middot; owner " + esc(v["owner"]) + " &middot; " +
         (v["persistent"].get<bool>() ? "persistent" : "not persistent") + " &middot; " + count_of(v["clients"], "client", "clients") +
         " attached";
  if (v["sleigh"].get<bool>()) out += " &middot; <a href=\"" + html_escape(monitor_link(ws)) + "\">Sleigh Monitor</a>";
  out += "</p><table id=\"variables\"><thead><tr><th>Variable</th><th>Mode</th><th>Values</th><th>Fetchers</th>"
         "<th>Finders</th><th></th></tr></thead><tbody>";
  for (const Json& r : v["variables"]) {
    const std::string& name = r["name"].get_ref<const std::string&>();
    const bool waiting = !r["fetchers"].empty() || !r["finders"].empty();
    out += std::string("<tr") + (waiting ? " class=\"waiting\"" : "") + "><td><a href=\"" +
           html_escape(var_link(ws, name)) + "\">" + html_escape(name) + "</a></td><td>" + esc(r["mode"]) +
           "</td><td class=\"n\">" + esc(r["values"]) + "</td><td class=\"fetchers\">" + waiters_text(r["fetcher_count"], r["fetchers"]) +
           "</td><td class=\"finders\">" + waiters_text(r["finder_count"], r["finders"]) + "</td><td>" + delete_form(ws, &name) +
           "</td></tr>";
  }
  out += "</tbody></table>";
  if (!v["next"].is_null())
    out += more_link(ws_link(ws) + "&after=" + url_encode(v["next"].get<std::string>()), "Next variables &rarr;");
  return out;
}

std::string values_html(const Json& v) {
  const std::string& ws = v["workspace"].get_ref<const std::string&>();
  const std::string& var = v["variable"].get_ref<const std::string&>();
  std::string out;
  out.reserve(kContentReserve);
  out += "<h1>Variable <span class=\"name\">" + html_escape(var) + "</span> of <a href=\"" +
                    html_escape(ws_link(ws)) + "\" class=\"name\">" + html_escape(ws) + "</a></h1>";
  out += "<p class=\"summary\">" + esc(v["mode"]) + " &middot; " + count_of(v["total"], "value", "values") + " (the next fetch takes the " +
         esc(v["next_fetched"]) + ") &middot; fetchers " + waiters_text(v["fetcher_count"], v["fetchers"]) + " &middot; finders " +
         waiters_text(v["finder_count"], v["finders"]) + "</p>";
  out += "<ol id=\"values\" start=\"" + std::to_string(v["offset"].get<std::size_t>() + 1) + "\">";
  for (const Json& val : v["values"]) {
    out += "<li>";
    if (val.contains("text")) {
      out += "<pre class=\"text\">" + esc(val["text"]) + "</pre>";
      if (val["truncated"].get<bool>())
        out += "<span class=\"note\">first " + esc(v["preview_bytes"]) + " bytes of " + bytes_text(val["size"]) + "</span>";
    } else {
      const std::string& lang = val["language"].get_ref<const std::string&>();
      out += "<span class=\"opaque\">" + (val.contains("portable") ? esc(val["portable"]) + ", a portable" : esc(val["kind"])) +
             " value" + (lang.empty() ? "" : " written by " + html_escape(lang)) +
             ", " + bytes_text(val["size"]) + (val["spooled"].get<bool>() ? ", spooled to disk" : "") + "</span>";
    }
    out += "</li>";
  }
  out += "</ol>";
  if (!v["next_offset"].is_null())
    out += more_link(var_link(ws, var) + "&offset=" + esc(v["next_offset"]), "Next values &rarr;");
  out += "<p>" + delete_form(ws, &var) + "</p>";
  return out;
}

std::string connections_html(const Json& v) {
  std::string out;
  out.reserve(kContentReserve);
  out += "<h1>Connections</h1><p class=\"summary\">" + count_of(v["total"], "connection", "connections") + "</p>";
  out += "<table id=\"connections\"><thead><tr><th>#</th><th>Peer</th><th>Label</th><th>Age</th><th>Requests</th>"
         "<th>Last request</th><th>Owns</th><th>Blocked on</th></tr></thead><tbody>";
  for (const Json& c : v["connections"]) {
    const Json& b = c["blocked"];
    out += std::string("<tr") + (b.is_null() ? "" : " class=\"waiting\"") + "><td class=\"n\">" + esc(c["id"]) +
           "</td><td>" + esc(c["peer"]) + "</td><td>" + esc(c["label"]) + "</td><td>" + seconds_text(c["age_seconds"]) +
           "</td><td class=\"n\">" + esc(c["requests"]) + "</td><td>" + esc(c["last_request"]) + "</td><td class=\"n\">" +
           esc(c["workspaces_owned"]) + "</td><td>";
    if (!b.is_null()) {
      const std::string& ws = b["workspace"].get_ref<const std::string&>();
      const std::string& var = b["variable"].get_ref<const std::string&>();
      out += esc(b["kind"]) + " <a href=\"" + html_escape(var_link(ws, var)) + "\">" + html_escape(var) + "</a> in " +
             html_escape(ws) + " for " + seconds_text(b["seconds"]);
    }
    out += "</td></tr>";
  }
  out += "</tbody></table>";
  if (!v["next"].is_null()) out += more_link("/doit?op=listClients&after=" + esc(v["next"]), "Next connections &rarr;");
  return out;
}

std::string sleigh_html(const Json& v) {
  const std::string& ws = v["workspace"].get_ref<const std::string&>();
  std::string out;
  out.reserve(kContentReserve);
  out += "<h1>Sleigh Monitor: <a class=\"name\" href=\"" + html_escape(ws_link(ws)) + "\">" +
                    html_escape(ws) + "</a></h1>";
  if (!v["title"].get_ref<const std::string&>().empty()) out += "<h2>" + esc(v["title"]) + "</h2>";
  if (!v["subtitle"].get_ref<const std::string&>().empty()) out += "<p>" + esc(v["subtitle"]) + "</p>";
  const double total = v["total_tasks"].is_number() ? v["total_tasks"].get<double>() : 0.0;
  const double done = v["tasks_done"].get<double>();
  out += "<p class=\"summary\"><span id=\"tasks-done\">" + esc(v["tasks_done"]) + "</span> of <span id=\"total-tasks\">" +
         esc(v["total_tasks"]) + "</span> tasks done &middot; " + std::to_string(v["workers"].size()) + " of " +
         (v["worker_count"].is_null() ? std::string("?") : esc(v["worker_count"])) + " workers joined &middot; " +
         count_of(v["results_waiting"], "result", "results") + " waiting for the master &middot; <span id=\"errors-total\">" +
         esc(v["errors_total"]) + "</span> " + (v["errors_total"].get<std::size_t>() == 1 ? "error" : "errors") +
         " logged</p>";
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.0f", total > 0 ? 100.0 * done / total : 0.0);
  out += "<div class=\"progress\"><div style=\"width:" + std::string(pct) + "%\"></div></div>";
  double most = 1;
  for (const Json& w : v["workers"])
    if (w["tasks_done"].is_number()) most = std::max(most, w["tasks_done"].get<double>());
  out += "<table id=\"workers\"><thead><tr><th>Worker</th><th>Tasks done</th><th></th><th>Chunks queued</th></tr>"
         "</thead><tbody>";
  for (const Json& w : v["workers"]) {
    const double n = w["tasks_done"].is_number() ? w["tasks_done"].get<double>() : 0.0;
    char width[16];
    std::snprintf(width, sizeof width, "%.0f", 100.0 * n / most);
    out += "<tr><td>" + esc(w["name"]) + "</td><td class=\"n\">" + esc(w["tasks_done"]) +
           "</td><td class=\"bar\"><div style=\"width:" + width + "%\"></div></td><td class=\"n\">" +
           esc(w["chunks_queued"]) + "</td></tr>";
  }
  out += "</tbody></table><h2>Errors logged</h2>";
  if (v["errors"].empty()) out += "<p id=\"errors\" class=\"note\">None.</p>";
  else {
    out += "<ol id=\"errors\" start=\"" + std::to_string(v["errors_offset"].get<std::size_t>() + 1) + "\">";
    for (const Json& e : v["errors"])
      out += "<li><pre class=\"text\">" + (e.contains("text") ? esc(e["text"]) : esc(e["kind"]) + " value") + "</pre></li>";
    out += "</ol>";
  }
  return out;
}

std::string server_html(const Json& v) {
  std::string out = "<h1>Server</h1><table id=\"server\"><tbody>";
  auto row = [&](const char* k, const std::string& value) { out += "<tr><th>" + std::string(k) + "</th><td>" + value + "</td></tr>"; };
  row("Version", esc(v["version"]));
  row("NWS address", esc(v["nws_address"]) + ":" + esc(v["nws_port"]));
  row("Web address", esc(v["web_address"]) + ":" + esc(v["web_port"]));
  row("Workspaces", esc(v["workspaces"]));
  row("Connections", esc(v["connections"]));
  row("Blocked requests", esc(v["blocked_requests"]));
  row("Values held", esc(v["values"]) + " (" + bytes_text(v["value_bytes"]) + ")");
  row("Memory in use", bytes_text(v["memory_bytes"]) + (v["max_memory"].get<std::uint64_t>() ? " of " + bytes_text(v["max_memory"]) : ""));
  row("Spooled", bytes_text(v["spool_bytes"]) + (v["max_spool"].get<std::uint64_t>() ? " of " + bytes_text(v["max_spool"]) : ""));
  row("Spool directory", esc(v["spool_directory"]));
  row("Spool threshold", bytes_text(v["spool_threshold"]));
  row("Largest value", bytes_text(v["max_value_size"]));
  out += "</tbody></table>";
  return out;
}

std::string confirm_delete_html(std::string_view ws, const std::string* var) {
  const std::string w(ws);
  std::string what = var ? "variable <span class=\"name\">" + html_escape(*var) + "</span> of workspace <span class=\"name\">" +
                               html_escape(w) + "</span>"
                         : "workspace <span class=\"name\">" + html_escape(w) + "</span> and every variable in it";
  std::string action = delete_action(w, var);
  return "<h1>Delete?</h1><p>Delete " + what + "? Clients blocked on it get an error.</p><form method=\"post\" action=\"" +
         html_escape(action) + "\"><button type=\"submit\">Delete</button> <a href=\"" +
         html_escape(var ? var_link(w, *var) : ws_link(w)) + "\">Cancel</a></form>";
}

std::string message_html(std::string_view text, std::string_view link, std::string_view link_text) {
  return "<p class=\"message\">" + html_escape(text) + "</p><p><a id=\"go-on\" href=\"" + html_escape(link) + "\">" +
         html_escape(link_text) + "</a></p>";
}

}  // namespace nws::server::web
