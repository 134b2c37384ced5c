// nws/args.hpp: the argument rules every binding shares.
#include "nws/args.hpp"

#include <cmath>
#include <sstream>
#include <vector>

#include "nws/client.hpp"
#include "protocol/names.hpp"

namespace nws::args {
namespace {

[[noreturn]] void refuse(std::string message) { throw Error(Errc::invalid_argument, std::move(message)); }

std::string_view what_of(NameOf what) {
  switch (what) {
    case NameOf::workspace: return "workspace name";
    case NameOf::variable: return "variable name";
    case NameOf::name_template: return "workspace name template";
  }
  return "name";
}

// A number as a person wrote it: 8765, not 8765.000000.
std::string number_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

// "fifo, lifo, multi or single".
std::string standard_modes() {
  std::vector<std::string_view> names;
  for (Mode m : all_modes())
    if (standard(m)) names.push_back(mode_name(m));
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() ? " or " : ", ";
    list += names[i];
  }
  return list;
}

}  // namespace

std::string name(std::optional<std::string_view> value, NameOf what) {
  if (!value) refuse("the " + std::string(what_of(what)) + " is missing (null): pass a string");
  if (auto problem = proto::name_problem(*value)) {
    std::string shown(value->substr(0, 40));
    if (value->size() > shown.size()) shown += "...";
    refuse("the " + std::string(what_of(what)) + " '" + shown + "' " + *problem +
           ": names may not hold TAB, LF, CR or NUL, or exceed " + std::to_string(proto::kMaxNameBytes) + " bytes");
  }
  return std::string(*value);
}

Mode mode(std::optional<std::string_view> name) {
  if (!name) refuse("the mode is missing (null): use " + standard_modes());
  std::optional<Mode> m = parse_mode(*name);
  if (!m || !declarable(*m)) refuse("unknown mode '" + std::string(*name) + "': use " + standard_modes());
  return *m;
}

std::uint16_t port(std::optional<double> value, PortUse use) {
  const double lowest = use == PortUse::connect ? 1 : 0;
  const std::string range = use == PortUse::connect ? "from 1 to 65535" : "from 0 to 65535 (0: any free port)";
  if (!value) refuse("the port is missing (null): use a whole number " + range);
  const double v = *value;
  if (!(v >= lowest && v <= 65535) || v != std::floor(v))
    refuse("port must be a whole number " + range + ", not " + number_text(v));
  return static_cast<std::uint16_t>(v);
}

Wait wait(std::optional<double> timeout_seconds, std::function<bool()> cancel) {
  Wait w;
  w.should_cancel = std::move(cancel);
  if (!timeout_seconds) return w;
  const double s = *timeout_seconds;
  if (!(s >= 0))  // NaN too
    refuse("timeout must be a number of seconds >= 0 (or none, to wait for ever), not " + number_text(s));
  if (std::isinf(s)) return w;
  // Beyond a century is for ever for any program: no clock overflow.
  if (s < 3.2e9)
    w.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  return w;
}

std::chrono::milliseconds connect_timeout(std::optional<double> seconds) {
  if (!seconds) return ConnectOptions{}.connect_timeout;
  const double s = *seconds;
  if (!(s > 0) || std::isinf(s) || s > 3.2e9)
    refuse("connect timeout must be a number of seconds > 0, not " + number_text(s));
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(s * 1000)));
}

}  // namespace nws::args

