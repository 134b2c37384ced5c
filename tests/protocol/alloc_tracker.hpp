// Records the largest single operator-new request made by this test program,
// so tests can prove that an announced (untrusted) length was not allocated.
#pragma once

#include <cstddef>

namespace nws::test {

// Forgets what was recorded so far.
void reset_largest_allocation();
// Largest size passed to operator new since the last reset.
std::size_t largest_allocation();

}  // namespace nws::test
