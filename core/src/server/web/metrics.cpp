#include "server/web/metrics.hpp"

#include <fmt/format.h>

#include "engine/engine.hpp"
#include "server/server.hpp"

namespace nws::server::web {
namespace {

void header(std::string& out, const char* name, const char* type, const char* help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

template <typename T>
void single(std::string& out, const char* name, const char* type, const char* help, T value) {
  header(out, name, type, help);
  fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
}

}  // namespace

std::string metrics_text(const Server& server, const WebInfo& web) {
  const ServerStats& st = server.stats();
  const engine::Engine& e = server.engine();
  const engine::Holdings& h = e.holdings();
  std::string out;
  out.reserve(4096);

  header(out, "nws_requests_total", "counter", "Requests carried out, by verb.");
  for (std::size_t v = 0; v < ServerStats::kVerbs; ++v)
    fmt::format_to(std::back_inserter(out), "nws_requests_total{{verb=\"{}\"}} {}\n",
                   proto::verb_name(static_cast<proto::Verb>(v)), st.requests[v]);
  fmt::format_to(std::back_inserter(out), "nws_requests_total{{verb=\"unknown\"}} {}\n", st.requests[ServerStats::kVerbs]);

  header(out, "nws_request_duration_seconds", "histogram",
         "Time the server took to carry out a request (a blocking one: until it blocked).");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < ServerStats::kLatencyBoundsUs.size(); ++b) {
    cumulative += st.latency[b];
    fmt::format_to(std::back_inserter(out), "nws_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                   ServerStats::kLatencyBoundsUs[b] / 1e6, cumulative);
  }
  cumulative += st.latency.back();
  fmt::format_to(std::back_inserter(out), "nws_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  fmt::format_to(std::back_inserter(out), "nws_request_duration_seconds_sum {}\n", static_cast<double>(st.latency_sum_ns) / 1e9);
  fmt::format_to(std::back_inserter(out), "nws_request_duration_seconds_count {}\n", cumulative);

  header(out, "nws_blocked_requests", "gauge", "Requests waiting for a value, by kind.");
  fmt::format_to(std::back_inserter(out), "nws_blocked_requests{{kind=\"fetch\"}} {}\n", h.fetchers);
  fmt::format_to(std::back_inserter(out), "nws_blocked_requests{{kind=\"find\"}} {}\n", h.finders);

  single(out, "nws_values", "gauge", "Values held in every variable.", h.values);
  single(out, "nws_value_bytes", "gauge", "Bytes of the values held.", h.value_bytes);
  single(out, "nws_memory_bytes", "gauge", "Memory the values, variables and workspaces take (the --max-memory quota).",
         h.memory);
  single(out, "nws_spooled_bytes", "gauge", "Bytes of values spooled to disk (the --max-spool quota).", h.spool);
  single(out, "nws_workspaces", "gauge", "Workspaces.", e.workspaces().size());
  single(out, "nws_connections", "gauge", "NWS connections past their handshake.", e.session_count());
  single(out, "nws_connections_accepted_total", "counter", "NWS connections accepted.", st.connections_accepted);
  single(out, "nws_connections_refused_total", "counter", "NWS connections refused (--max-connections).",
         st.connections_refused);
  single(out, "nws_web_requests_total", "counter", "HTTP requests the web interface answered.", web.requests);
  return out;
}

}  // namespace nws::server::web
