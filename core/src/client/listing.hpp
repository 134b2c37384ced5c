// Parsers of the `list wss` and `list vars` texts (PROTOCOL.md §7.5, §7.6).
// Pure, so they are unit-tested without a server.
#pragma once

#include <string_view>
#include <vector>

#include "nws/client.hpp"

namespace nws::detail {

// Each line "mark name TAB owner TAB persistent TAB count TAB names" ends with
// LF; a lone LF means no workspace.  Throws nws::Error(Errc::protocol) on a
// line without the five fields.
std::vector<WsInfo> parse_ws_listing(std::string_view text);

// Lines "name TAB values TAB fetchers TAB finders TAB mode" joined by LF, no
// trailing LF; the empty text means no variable.  Throws Errc::protocol on a
// malformed line.
std::vector<VarInfo> parse_var_listing(std::string_view text);

}  // namespace nws::detail
