// The rules for arguments every binding passes through: names, modes,
// ports and timeouts are checked here, once, so a bad argument gets the same
// Errc::invalid_argument and the same message in every language, before
// anything is sent.  A binding maps its own null (None, NULL, null, undef,
// nil) to std::nullopt and its own "wait for ever" to std::nullopt.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "nws/mode.hpp"

namespace nws {

struct Wait;

namespace args {

// What a name argument names, for messages: "workspace name", "variable name".
enum class NameOf { workspace, variable, name_template };

// The name itself; a missing one (null) is refused, and so is one the
// server would refuse: holding a TAB, LF, CR or NUL, or over 4096 bytes
// (the `list wss` / `list vars` replies are tab-separated lines).  Any other
// byte string is a name, the empty string included, as in the original.
std::string name(std::optional<std::string_view> value, NameOf what);

// A mode a program may declare, by its wire name ("fifo", ...).  A missing
// or unknown name is refused with the list of modes.
Mode mode(std::optional<std::string_view> name);

// Where a port is used: a client connects to 1..65535; a server listens on
// 0..65535, 0 picking a free port.
enum class PortUse { connect, listen };
// The port, from any number a language holds (integers, R's doubles).
std::uint16_t port(std::optional<double> value, PortUse use);

// A blocking call's Wait from a timeout in seconds: std::nullopt or +inf
// waits for ever; NaN and negative numbers are refused.  `cancel` is polled
// every Wait::kSlice (see nws::Wait).
Wait wait(std::optional<double> timeout_seconds, std::function<bool()> cancel = {});

// A connect timeout in seconds: a finite number > 0 (std::nullopt: the default).
std::chrono::milliseconds connect_timeout(std::optional<double> seconds);

}  // namespace args
}  // namespace nws
