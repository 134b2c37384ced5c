// Encoding of requests and replies (PROTOCOL.md §5, §6).  Value bytes are
// never copied here: callers write them from the shared blob after the header.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "protocol/dict.hpp"

namespace nws::proto {

struct ReplyFormat {
  bool cookie = true;    // long replies carry variable id and index
  bool metadata = false; // every reply is preceded by a dict
};

// N4(status), preceded by the metadata dict when the format wants one.
void append_short_reply(std::string& out, ReplyFormat fmt, int status, const Dict* metadata);

// Everything of a long reply up to (not including) the value bytes.
void append_long_reply_head(std::string& out, ReplyFormat fmt, int status, std::uint64_t descriptor,
                            std::string_view var_id, std::int64_t index, std::uint64_t length,
                            const Dict* metadata);

// A whole request; `metadata` is written only when non-null (connections
// that negotiated MetadataToServer must always pass one, possibly empty).
void append_request(std::string& out, const Dict* metadata, std::initializer_list<std::string_view> args);

// The same, the verb apart from its arguments.
void append_request(std::string& out, const Dict* metadata, std::string_view verb,
                    std::initializer_list<std::string_view> args);

// A request whose last argument (of `last_len` bytes) the caller streams.
void append_request_head(std::string& out, const Dict* metadata,
                         std::initializer_list<std::string_view> args_before_last, std::uint64_t last_len);
void append_request_head(std::string& out, const Dict* metadata, std::string_view verb,
                         std::initializer_list<std::string_view> args_before_last, std::uint64_t last_len);

}  // namespace nws::proto
