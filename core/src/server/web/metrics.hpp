// /metrics: the server's counters and gauges in the Prometheus text
// exposition format (version 0.0.4).
#pragma once

#include <string>

#include "server/web/views.hpp"

namespace nws::server::web {

std::string metrics_text(const Server& server, const WebInfo& web);

}  // namespace nws::server::web
