// The native iterator object: the core's nws::Iterator and the timeout
// each blocking step waits (given once, when ifetch/ifind made it).
#pragma once

#include <optional>

#include "call.hpp"

namespace nws_py {

struct IteratorState {
  nws::Iterator it;
  std::optional<double> timeout;  // seconds; none: for ever
};

}  // namespace nws_py
