#include "protocol/encoder.hpp"

#include "protocol/fields.hpp"

namespace nws::proto {
namespace {
void append_metadata(std::string& out, ReplyFormat fmt, const Dict* metadata) {
  if (!fmt.metadata) return;
  if (!metadata || !metadata->encode(out)) out += "0000";
}
}  // namespace

void append_short_reply(std::string& out, ReplyFormat fmt, int status, const Dict* metadata) {
  append_metadata(out, fmt, metadata);
  append_n4(out, status);
}

void append_long_reply_head(std::string& out, ReplyFormat fmt, int status, std::uint64_t descriptor,
                            std::string_view var_id, std::int64_t index, std::uint64_t length,
                            const Dict* metadata) {
  append_metadata(out, fmt, metadata);
  append_n4(out, status);
  append_n20u(out, descriptor);
  if (fmt.cookie) {
    append_id20(out, var_id);
    append_n20(out, index);
  }
  append_n20u(out, length);
}

namespace {
void append_fields(std::string& out, std::initializer_list<std::string_view> fields) {
  for (auto a : fields) {
    append_n20u(out, a.size());
    out += a;
  }
}
}  // namespace

void append_request(std::string& out, const Dict* metadata, std::initializer_list<std::string_view> args) {
  if (metadata) metadata->encode(out);
  append_n4(out, static_cast<std::int64_t>(args.size()));
  append_fields(out, args);
}

void append_request(std::string& out, const Dict* metadata, std::string_view verb,
                    std::initializer_list<std::string_view> args) {
  if (metadata) metadata->encode(out);
  append_n4(out, static_cast<std::int64_t>(args.size() + 1));
  append_fields(out, {verb});
  append_fields(out, args);
}

void append_request_head(std::string& out, const Dict* metadata,
                         std::initializer_list<std::string_view> args_before_last, std::uint64_t last_len) {
  if (metadata) metadata->encode(out);
  append_n4(out, static_cast<std::int64_t>(args_before_last.size() + 1));
  append_fields(out, args_before_last);
  append_n20u(out, last_len);
}

void append_request_head(std::string& out, const Dict* metadata, std::string_view verb,
                         std::initializer_list<std::string_view> args_before_last, std::uint64_t last_len) {
  if (metadata) metadata->encode(out);
  append_n4(out, static_cast<std::int64_t>(args_before_last.size() + 2));
  append_fields(out, {verb});
  append_fields(out, args_before_last);
  append_n20u(out, last_len);
}

}  // namespace nws::proto
