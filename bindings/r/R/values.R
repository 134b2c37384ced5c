# How R values travel (PROTOCOL.md section 8 descriptors; R's language id 3):
#  * a length-1 character vector (not NA): a direct string, UTF-8;
#  * a raw vector: a direct binary string;
#  * anything else: serialize()d, descriptor of language R, not direct.
# Direct strings come back as character (marked UTF-8) or raw, whoever wrote
# them; a serialised value is only readable if R wrote it.

.descString <- 50331649  # R, direct string
.descRaw <- 50331651     # R, direct binary string
.descSerialized <- 50331648

.encodeValue <- function(x) {
  if (is.character(x) && length(x) == 1L && !is.na(x) && is.null(attributes(x))) {
    list(descriptor = .descString, bytes = charToRaw(enc2utf8(x)))
  } else if (is.raw(x) && is.null(attributes(x))) {
    list(descriptor = .descRaw, bytes = x)
  } else {
    list(descriptor = .descSerialized, bytes = serialize(x, NULL))
  }
}

# `v`: what the native side returned (descriptor, language, bytes).
.decodeValue <- function(v, call = sys.call(-1)) {
  d <- v$descriptor
  direct <- (d %% 2) == 1
  binary <- (d %/% 2) %% 2 == 1
  if (direct && binary) return(v$bytes)
  if (direct) {
    s <- rawToChar(v$bytes)
    Encoding(s) <- "UTF-8"
    return(s)
  }
  lang <- (d %/% 2^24) %% 256
  if (lang != 3) {
    what <- if (nzchar(v$language)) v$language else "no language"
    stop(nwsCondition("serialisation", call = call, message = sprintf(
      "the value was serialised by %s (descriptor %.0f); R can only read values serialised by R, or plain strings",
      what, d)))
  }
  tryCatch(unserialize(v$bytes), error = function(e)
    stop(nwsCondition("serialisation", call = call,
                      message = paste("cannot unserialize the value:", conditionMessage(e)))))
}

# NULL: wait for ever; else a number of seconds >= 0.
.timeoutArg <- function(timeout) {
  if (is.null(timeout)) return(-1)
  if (!is.numeric(timeout) || length(timeout) != 1L || is.na(timeout) || timeout < 0)
    .nwsStop("invalid argument", "timeout must be NULL or one number >= 0")
  as.numeric(timeout)
}
