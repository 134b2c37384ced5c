// nws/error.hpp: the names and rows of errors.def.
#include <array>

#include "nws/error.hpp"

namespace nws {
namespace {

constexpr ErrorKind kKinds[] = {
#define NWS_ERROR_GROUP(id, parent, Kind, name, description) {#id, -1, #parent, #Kind, name, description},
#define NWS_ERROR(id, code, parent, Kind, name, description) {#id, code, #parent, #Kind, name, description},
#include "nws/errors.def"
};

}  // namespace

std::string_view errc_name(Errc code) noexcept {
  for (const ErrorKind& k : kKinds)
    if (k.code == static_cast<int>(code)) return k.name;
  return "unknown error";
}

std::span<const ErrorKind> error_kinds() noexcept { return kKinds; }

}  // namespace nws
