// An HTTP request and response as the web interface's pages see them: the
// few fields they use, nothing of the HTTP library's types.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace nws::server::web {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path and query, as sent
  std::string host;          // the Host header
  std::string origin;        // the Origin header, if any
  std::string content_type;
  std::string authorization;  // the Authorization header, if any
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace nws::server::web
