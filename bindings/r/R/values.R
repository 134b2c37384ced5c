# How R values travel (PROTOCOL.md section 8 descriptors; the bits and R's
# language id are the core's table, R/tables.R):
#  * a length-1 character vector (not NA): a direct string, UTF-8;
#  * a raw vector: a direct binary string;
#  * anything else: serialize()d, descriptor of language R, not direct.
# Direct strings come back as character (marked UTF-8) or raw, whoever wrote
# them; a serialised value is only readable if R wrote it.
#
# Portable values (docs/values.md), when asked for (nwsStore(portable =
# TRUE), or a workspace's default): every language reads them.  The
# native side encodes them (src/portable_write.cpp) and decodes them as they
# arrive (src/portable_read.cpp), so reading one needs nothing here but its
# error.  A single string and a raw vector stay plain even then: every
# reader, the original clients too, reads those already.

# A descriptor written by R.
.descriptorR <- function(direct, binary) {
  .nwsLanguage[["r"]] * 2^.nwsDescriptor$language_shift +
    direct * .nwsDescriptor$direct_string + binary * .nwsDescriptor$binary
}

# Whether `x` travels as a direct (plain) string, portable or not.
.isPlain <- function(x) {
  is.null(attributes(x)) && (is.raw(x) || (is.character(x) && length(x) == 1L && !is.na(x)))
}

.encodeValue <- function(x) {
  if (is.character(x) && length(x) == 1L && !is.na(x) && is.null(attributes(x))) {
    list(descriptor = .descriptorR(TRUE, FALSE), bytes = charToRaw(enc2utf8(x)))
  } else if (is.raw(x) && is.null(attributes(x))) {
    list(descriptor = .descriptorR(TRUE, TRUE), bytes = x)
  } else {
    list(descriptor = .descriptorR(FALSE, FALSE), bytes = serialize(x, NULL))
  }
}

# `v`: a value as the native side returns it (descriptor, direct, binary,
# language, bytes) from the variable `var` of the workspace `ws` (names for
# the message of a value R cannot read: the core's, the same in every
# language).
.decodeValue <- function(v, ws, var, call = sys.call(-1)) {
  if (v$direct && v$binary) return(v$bytes)
  if (v$direct) {
    s <- rawToChar(v$bytes)
    Encoding(s) <- "UTF-8"
    return(s)
  }
  unreadable <- function(why)
    stop(nwsCondition("serialisation", .nws_unreadable(enc2utf8(ws), enc2utf8(var), v$descriptor, why), call = call))
  if (isTRUE(v$portable)) {
    # Decoded on arrival (`error`: why R cannot hold it), or, if it came as
    # bytes, decoded now.
    if (!isTRUE(v$decoded)) {
      got <- .nws_portable_decode(v$bytes)
      if (inherits(got, "nws_failure_info")) unreadable(got$message)
      return(got)
    }
    if (!is.null(v$error)) unreadable(v$error)
    return(v$value)
  }
  if (v$language != .nwsLanguage[["r"]]) unreadable("")
  tryCatch(unserialize(v$bytes), error = function(e) unreadable(conditionMessage(e)))
}

# A decoder of values from `var` in the workspace object `ws`, for .nws()'s
# `arrived` and the retrieving functions.
.decoderFor <- function(ws, var, call) function(v) .decodeValue(v, ws$name, var, call = call)
