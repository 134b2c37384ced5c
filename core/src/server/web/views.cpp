#include "server/web/views.hpp"

#include <algorithm>
#include <vector>

#include "engine/engine.hpp"
#include "nws/portable.hpp"
#include "nws/sleigh.hpp"
#include "nws/value.hpp"
#include "nws/version.hpp"
#include "server/server.hpp"

namespace nws::server::web {
namespace {


double seconds_since(const engine::Engine& e, std::int64_t then_ms) {
  return static_cast<double>(e.now_ms() - then_ms) / 1000.0;
}

const engine::Workspace* find_ws(const engine::Engine& e, std::string_view name) {
  auto it = e.workspaces().find(name);
  return it == e.workspaces().end() ? nullptr : it->second.get();
}

// Who a waiter is, and since when.
Json waiter_json(const engine::Engine& e, const engine::Waiter& w) {
  const engine::Session& s = *w.session;
  Json j{{"connection", s.id}, {"peer", s.peer}, {"label", valid_utf8(s.label)}};
  j["blocked_seconds"] = s.blocked ? seconds_since(e, s.blocked->since_ms) : 0.0;
  return j;
}

// The first kMaxWaiters of them, longest waiting first: enough to say who
// holds things up; the counts say how many there are.
Json waiters_json(const engine::Engine& e, const std::list<engine::Waiter>& list) {
  Json out = Json::array();
  for (const engine::Waiter& w : list) {
    if (out.size() >= kMaxWaiters) break;
    out.push_back(waiter_json(e, w));
  }
  return out;
}

// A portable value is described ("vector of 3 float64") when it is small
// enough to decode within a page's budget; bigger ones by size alone.
constexpr std::size_t kDescribeBytes = 64 * 1024;

// A stored value described: its kind, writer, size, and its text when it is
// a direct string (at most kPreviewBytes of it).
Json value_json(std::size_t position, const engine::ValueView& v) {
  const std::uint8_t lang = descriptor::language_of(v.descriptor);
  const bool text = (v.descriptor & descriptor::direct_string) && !(v.descriptor & descriptor::binary);
  const bool binary = (v.descriptor & descriptor::direct_string) && (v.descriptor & descriptor::binary);
  const bool is_portable = portable::is_portable(v.descriptor);
  Json j{{"position", position},
         {"size", v.bytes.size()},
         {"kind", text ? "text" : binary ? "binary" : is_portable ? "portable" : "serialized"},
         {"language", lang ? language_name(lang) : ""},
         {"descriptor", v.descriptor},
         {"spooled", v.blob && v.blob->spooled()}};
  if (text) {
    j["text"] = valid_utf8(v.bytes.substr(0, kPreviewBytes));
    j["truncated"] = v.bytes.size() > kPreviewBytes;
  }
  if (is_portable && !(v.blob && v.blob->spooled()) && v.bytes.size() <= kDescribeBytes)
    j["portable"] = valid_utf8(portable::describe(v.bytes));
  return j;
}

// The one value of a single-mode variable as text ("" if none or not text).
std::string single_text(const engine::Workspace& ws, std::string_view name) {
  const engine::Variable* v = ws.find(name);
  if (!v || v->values().empty()) return {};
  engine::ValueView last = v->values().back();
  if (!(last.descriptor & descriptor::direct_string)) return {};
  return valid_utf8(last.bytes.substr(0, kPreviewBytes));
}

std::optional<std::int64_t> as_count(std::string_view text) {
  std::int64_t n = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

Json optional_count(const std::string& text) {
  auto n = as_count(text);
  return n ? Json(*n) : Json(nullptr);
}

}  // namespace

std::string valid_utf8(std::string_view b) {
  std::string out;
  out.reserve(b.size());
  std::size_t i = 0;
  while (i < b.size()) {
    const auto c = static_cast<unsigned char>(b[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= b.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(b[i + k]) >> 6) == 0x2;
    if (ok && len > 1) {
      // Overlong forms, surrogates and values past U+10FFFF are not text.
      std::uint32_t cp = c & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(b[i + k]) & 0x3F);
      static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.append(b.data() + i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// Whether a workspace has a sleigh's variables (nodeList, totalTasks, rankCount,
// workerCount): the monitor is offered for it.
static bool has_sleigh(const engine::Workspace& ws) {
  for (const char* v : {sleigh::var::node_list, sleigh::var::total_tasks, sleigh::var::rank_count,
                        sleigh::var::worker_count})
    if (!ws.find(v)) return false;
  return true;
}

Json server_view(const Server& server, const WebInfo& web) {
  const engine::Engine& e = server.engine();
  const engine::Holdings& h = e.holdings();
  return Json{{"version", std::string(version())},
              {"nws_address", server.config().bind},
              {"nws_port", server.port()},
              {"web_address", web.bind},
              {"web_port", web.port},
              {"spool_directory", server.spool().path()},
              {"spool_threshold", server.config().spool_threshold},
              {"max_value_size", server.config().max_value_size},
              {"workspaces", e.workspaces().size()},
              {"connections", e.session_count()},
              {"blocked_requests", h.fetchers + h.finders},
              {"values", h.values},
              {"value_bytes", h.value_bytes},
              {"memory_bytes", h.memory},
              {"spool_bytes", h.spool},
              {"max_memory", server.max_memory()},
              {"max_spool", server.max_spool()},
              {"web_requests", web.requests}};
}

Json workspaces_view(const Server& server, std::string_view after, std::size_t limit) {
  const engine::Engine& e = server.engine();
  const auto& spaces = e.workspaces();
  limit = std::clamp<std::size_t>(limit, 1, kMaxPage);
  auto it = after.empty() ? spaces.begin() : spaces.upper_bound(after);
  Json rows = Json::array();
  for (; it != spaces.end() && rows.size() < limit; ++it) {
    const engine::Workspace& ws = *it->second;
    rows.push_back(Json{{"name", valid_utf8(ws.name)},
                        {"owner", valid_utf8(ws.owner)},
                        {"persistent", ws.persistent},
                        {"variables", ws.vars.size()},
                        {"clients", ws.sessions},
                        {"sleigh", has_sleigh(ws)}});
  }
  Json doc{{"total", spaces.size()}, {"workspaces", std::move(rows)}};
  doc["next"] = it != spaces.end() ? Json(valid_utf8(std::prev(it)->first)) : Json(nullptr);
  return doc;
}

View variables_view(const Server& server, std::string_view name, std::string_view after, std::size_t limit) {
  const engine::Engine& e = server.engine();
  const engine::Workspace* ws = find_ws(e, name);
  if (!ws) return {{}, "No workspace named '" + valid_utf8(name) + "'."};
  limit = std::clamp<std::size_t>(limit, 1, kMaxPage);
  std::vector<const engine::Variable*> page;
  auto it = after.empty() ? ws->ordered.begin() : ws->ordered.upper_bound(after);
  for (; it != ws->ordered.end() && page.size() < limit; ++it) page.push_back(it->second);
  const bool more = it != ws->ordered.end();
  Json rows = Json::array();
  for (const engine::Variable* v : page)
    rows.push_back(Json{{"name", valid_utf8(v->name())},
                        {"mode", std::string(mode_name(v->mode()))},
                        {"values", v->value_count()},
                        {"fetcher_count", v->fetcher_count()},
                        {"finder_count", v->finder_count()},
                        {"fetchers", waiters_json(e, v->fetchers())},
                        {"finders", waiters_json(e, v->finders())}});
  Json doc{{"workspace", valid_utf8(ws->name)},
           {"owner", valid_utf8(ws->owner)},
           {"persistent", ws->persistent},
           {"clients", ws->sessions},
           {"sleigh", has_sleigh(*ws)},
           {"total", ws->vars.size()},
           {"variables", std::move(rows)}};
  doc["next"] = more ? Json(valid_utf8(page.back()->name())) : Json(nullptr);
  return {std::move(doc), std::nullopt};
}

View values_view(const Server& server, std::string_view ws_name, std::string_view var_name, std::size_t offset,
                 std::size_t limit) {
  const engine::Engine& e = server.engine();
  const engine::Workspace* ws = find_ws(e, ws_name);
  if (!ws) return {{}, "No workspace named '" + valid_utf8(ws_name) + "'."};
  const engine::Variable* var = ws->find(var_name);
  if (!var) return {{}, "No variable named '" + valid_utf8(var_name) + "' in workspace '" + valid_utf8(ws_name) + "'."};
  limit = std::clamp<std::size_t>(limit, 1, kMaxPage);
  Json rows = Json::array();
  var->values().visit(offset, limit, [&](std::size_t pos, const engine::ValueView& v) {
    rows.push_back(value_json(pos, v));
  });
  const std::size_t total = var->values().size();
  Json doc{{"workspace", valid_utf8(ws->name)},
           {"variable", valid_utf8(var->name())},
           {"mode", std::string(mode_name(var->mode()))},
           {"total", total},
           {"offset", offset},
           {"preview_bytes", kPreviewBytes},
           // Which end the next fetch takes: fifo and single the oldest,
           // lifo the newest, multi any.
           {"next_fetched", var->mode() == Mode::lifo ? "newest" : "oldest"},
           {"values", std::move(rows)},
           {"fetcher_count", var->fetcher_count()},
           {"finder_count", var->finder_count()},
           {"fetchers", waiters_json(e, var->fetchers())},
           {"finders", waiters_json(e, var->finders())}};
  doc["next_offset"] = offset + limit < total ? Json(offset + limit) : Json(nullptr);
  return {std::move(doc), std::nullopt};
}

Json connections_view(const Server& server, std::uint64_t after, std::size_t limit) {
  const engine::Engine& e = server.engine();
  const auto& sessions = e.sessions();
  limit = std::clamp<std::size_t>(limit, 1, kMaxPage);
  Json rows = Json::array();
  auto it = sessions.upper_bound(after);
  for (; it != sessions.end() && rows.size() < limit; ++it) {
    const engine::Session& s = *it->second;
    Json row{{"id", s.id},
             {"peer", s.peer},
             {"label", valid_utf8(s.label)},
             {"age_seconds", seconds_since(e, s.opened_ms)},
             {"requests", s.operations},
             {"last_request", valid_utf8(s.last_operation)},
             {"workspaces_owned", s.owned.size()}};
    if (s.blocked && s.blocked->ws && s.blocked->var) {
      row["blocked"] = Json{{"workspace", valid_utf8(s.blocked->ws->name)},
                            {"variable", valid_utf8(s.blocked->var->name())},
                            {"kind", s.blocked->remove ? "fetch" : "find"},
                            {"seconds", seconds_since(e, s.blocked->since_ms)}};
    } else {
      row["blocked"] = nullptr;
    }
    rows.push_back(std::move(row));
  }
  Json doc{{"total", sessions.size()}, {"connections", std::move(rows)}};
  doc["next"] = it != sessions.end() ? Json(std::prev(it)->first) : Json(nullptr);
  return doc;
}

View sleigh_view(const Server& server, std::string_view name, std::size_t errors_offset, std::size_t errors_limit) {
  const engine::Engine& e = server.engine();
  const engine::Workspace* ws = find_ws(e, name);
  if (!ws) return {{}, "No workspace named '" + valid_utf8(name) + "'."};
  if (!has_sleigh(*ws))
    return {{}, "Workspace '" + valid_utf8(name) + "' is not a sleigh's: it lacks nodeList, totalTasks, rankCount "
                "or workerCount."};
  // nodeList: "name@rank ..." of the workers that joined; each has a
  // variable of that name counting the task elements it completed.
  Json workers = Json::array();
  std::int64_t done = 0;
  const std::string nodes = single_text(*ws, sleigh::var::node_list);
  std::size_t from = 0;
  while (from < nodes.size() && workers.size() < kMaxPage) {
    std::size_t to = nodes.find(' ', from);
    if (to == std::string::npos) to = nodes.size();
    if (to > from) {
      std::string worker = nodes.substr(from, to - from);
      auto n = as_count(single_text(*ws, worker));
      if (n) done += *n;
      Json row{{"name", worker}, {"tasks_done", n ? Json(*n) : Json(nullptr)}, {"chunks_queued", nullptr}};
      // Its inbox (our sleigh's per-worker task queue), when it has one.
      auto rank = as_count(std::string_view(worker).substr(worker.rfind('@') + 1));
      if (worker.find('@') != std::string::npos && rank && *rank < (1 << 30))
        if (const engine::Variable* inbox = ws->find(sleigh::var::inbox(static_cast<int>(*rank))))
          row["chunks_queued"] = inbox->values().size();
      workers.push_back(std::move(row));
    }
    from = to + 1;
  }
  auto count_of = [&](const char* v) {
    const engine::Variable* var = ws->find(v);
    return var ? var->values().size() : std::size_t{0};
  };
  Json errors = Json::array();
  const engine::Variable* log = ws->find(sleigh::var::log_error);
  errors_limit = std::clamp<std::size_t>(errors_limit, 1, kMaxPage);
  if (log)
    log->values().visit(errors_offset, errors_limit, [&](std::size_t pos, const engine::ValueView& v) {
      errors.push_back(value_json(pos, v));
    });
  Json doc{{"workspace", valid_utf8(ws->name)},
           {"title", single_text(*ws, "MainTitle")},
           {"subtitle", single_text(*ws, "SubTitle")},
           {"workers", std::move(workers)},
           {"worker_count", optional_count(single_text(*ws, sleigh::var::worker_count))},
           {"total_tasks", optional_count(single_text(*ws, sleigh::var::total_tasks))},
           {"tasks_done", done},
           {"classic_tasks_queued", count_of("task")},
           {"results_waiting", count_of(sleigh::var::result)},
           {"errors_total", log ? log->values().size() : 0},
           {"errors_offset", errors_offset},
           {"errors", std::move(errors)}};
  return {std::move(doc), std::nullopt};
}

}  // namespace nws::server::web
