#include "conformance_support.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <sstream>
#include <thread>

namespace nws::conformance {

std::string n20(std::uint64_t n) {
  std::string s = std::to_string(n);
  return std::string(20 - s.size(), '0') + s;
}

std::string spaces20() { return std::string(20, ' '); }

std::string long_error_bytes(int status) {
  std::string s = std::to_string(status);
  return std::string(4 - s.size(), '0') + s + n20(0) + spaces20() + n20(0) + n20(0);
}

std::optional<VarLine> find_var(std::string_view listing, std::string_view name) {
  std::istringstream lines{std::string(listing)};
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    while (true) {
      std::size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (f.size() == 5 && f[0] == name) return VarLine{f[0], std::stol(f[1]), std::stol(f[2]), std::stol(f[3]), f[4]};
  }
  return std::nullopt;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::uint16_t local_port(const RawClient& c) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(c.fd(), reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

LongReply Iterator::step(RawClient& c, std::string_view verb, const std::string& ws, const std::string& var) {
  LongReply r = c.call_long({verb, ws, var, id, n20(static_cast<std::uint64_t>(index))});
  if (r.status() == 0) {
    id = r.head.var_id;
    index = r.head.index;
  }
  return r;
}

RawClient ConformanceTest::connect(const proto::Dict& options) {
  RawClient c(server_.port());
  c.handshake(options);
  return c;
}

RawClient ConformanceTest::connect_and_open(const std::string& ws, const proto::Dict& options) {
  RawClient c = connect(options);
  c.open(ws);
  return c;
}

std::string ConformanceTest::list_vars(RawClient& c, const std::string& ws) {
  LongReply r = c.call_long({"list vars", ws});
  EXPECT_EQ(r.status(), 0) << "list vars " << ws;
  return r.value;
}

std::string ConformanceTest::list_wss(RawClient& c) {
  LongReply r = c.call_long({"list wss"});
  EXPECT_EQ(r.status(), 0);
  return r.value;
}

bool ConformanceTest::wait_for_waiters(RawClient& observer, const std::string& ws, const std::string& var,
                                       long fetchers, long finders) {
  return eventually([&] {
    auto line = find_var(list_vars(observer, ws), var);
    return line && line->fetchers == fetchers && line->finders == finders;
  });
}

bool ConformanceTest::lists_workspace(const std::string& listing, const std::string& ws) {
  std::istringstream lines(listing);
  std::string line;
  while (std::getline(lines, line))
    if (line.size() > 1 && line.compare(1, ws.size() + 1, ws + "\t") == 0) return true;
  return false;
}

bool ConformanceTest::wait_for_workspace(RawClient& observer, const std::string& ws, bool present) {
  return eventually([&] { return lists_workspace(list_wss(observer), ws) == present; });
}

std::size_t ConformanceTest::spool_parent_entries() const {
  std::size_t n = 0;
  if (DIR* d = ::opendir(server_.spool_parent().c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    ::closedir(d);
  }
  return n;
}

}  // namespace nws::conformance
