// Drives a RequestDecoder the way the server's connection does: each piece
// of input is offered until the decoder wants more, every finished request
// is taken before the rest of the piece is offered.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "protocol/request_decoder.hpp"

namespace nws::test {

struct Decoded {
  std::vector<proto::Request> requests;
  proto::RequestDecoder::State state = proto::RequestDecoder::State::reading;
  std::string error;
  bool mid_request = false;
};

// Feeds `stream` cut at the given ascending offsets.
inline Decoded decode_with_cuts(proto::RequestDecoder& dec, std::string_view stream,
                                const std::vector<std::size_t>& cuts) {
  Decoded out;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(stream.size());
  for (std::size_t to : ends) {
    std::string_view piece = stream.substr(from, to - from);
    from = to;
    for (;;) {
      std::size_t used = dec.feed(piece);
      EXPECT_LE(used, piece.size());
      piece.remove_prefix(used);
      if (dec.state() == proto::RequestDecoder::State::ready) {
        out.requests.push_back(dec.take());
        continue;
      }
      if (dec.state() == proto::RequestDecoder::State::failed) {
        out.state = dec.state();
        out.error = dec.error();
        return out;
      }
      // Still reading: a decoder that wants more must have used everything.
      EXPECT_TRUE(piece.empty()) << piece.size() << " bytes left unconsumed while reading";
      break;
    }
  }
  out.state = dec.state();
  out.mid_request = dec.mid_request();
  return out;
}

inline Decoded decode_whole(proto::RequestDecoder& dec, std::string_view stream) {
  return decode_with_cuts(dec, stream, {});
}

inline Decoded decode_bytewise(proto::RequestDecoder& dec, std::string_view stream) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  return decode_with_cuts(dec, stream, cuts);
}

inline std::vector<std::string> args_of(const proto::Request& r) {
  std::vector<std::string> out;
  for (const auto& a : r.args) out.emplace_back(a.view());
  return out;
}

}  // namespace nws::test
