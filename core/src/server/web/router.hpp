// What the web interface answers: the original's pages by `op=` (PROTOCOL.md
// §15: listWss, listVars, showVar, confirmDelete*/delete*, listClients,
// showServerInfo, listMonitors/showMonitor), the JSON API under /api/
// (docs/web.md), and /metrics.
#pragma once

#include "server/web/http_types.hpp"
#include "server/web/views.hpp"

namespace nws::server::web {

// `web` is the web server's own description (port, requests answered).
HttpResponse route(Server& server, const WebInfo& web, const HttpRequest& request);

}  // namespace nws::server::web
