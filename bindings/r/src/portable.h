// R values as portable values (docs/values.md), over the core's
// nws/portable.hpp: R's side of the type table, in both directions.  The
// format's rules live in the core; these two files only map R's types.
//
// Both directions report what R cannot map as nws::Error(serialisation),
// which the glue returns to R as an nwsSerialisation condition.
#pragma once

#include <Rcpp.h>

#include <string>
#include <string_view>

namespace glue {

// R value -> the bytes of a portable value (portable_write.cpp).  Refuses
// what has no portable type (a matrix, a function, a data.frame with row
// names, ...), naming it, where it is inside `x`, and what to convert it to.
std::string portable_bytes(SEXP x);

// The bytes of a portable value -> an R value (portable_read.cpp).  Refuses
// what R cannot hold (an int64 beyond 2^53, a string with a NUL byte).
// Not protected: the caller protects or stores the result.
SEXP portable_value(std::string_view bytes);

}  // namespace glue
