// The byte-level examples of PROTOCOL.md §17, written out literally (not with
// our encoder) so the codec is checked against the document.
#pragma once

#include <string>
#include <vector>

namespace nws::test::examples {

inline const std::string kSp20(20, ' ');

// §17.1 open ws (99 bytes)
inline const std::string kOpenWs =
    "0004"
    "00000000000000000007" "open ws"
    "00000000000000000002" "ws"
    "00000000000000000004" "4242"
    "00000000000000000002" "no";

// §17.2 store "hello" into x (137 bytes)
inline const std::string kStoreHello =
    "0005"
    "00000000000000000005" "store"
    "00000000000000000002" "ws"
    "00000000000000000001" "x"
    "00000000000000000020" "00000000000016777217"
    "00000000000000000005" "hello";

// §17.3 fetch x (72 bytes)
inline const std::string kFetchX =
    "0003"
    "00000000000000000005" "fetch"
    "00000000000000000002" "ws"
    "00000000000000000001" "x";

// §17.5 the store of §17.2 preceded by request metadata
inline const std::string kStoreWithMetadata = "0001" "0007" "batchId" "0001" "3" + kStoreHello;

// §17.6 first step of an ifind iterator
inline const std::string kIfindFirst =
    "0005"
    "00000000000000000005" "ifind"
    "00000000000000000002" "ws"
    "00000000000000000001" "x"
    "00000000000000000020" + kSp20 +
    "00000000000000000020" "00000000000000000000";

// §17.7, §17.8, §17.9, §17.10 requests
inline const std::string kListVars = "0002" "00000000000000000009" "list vars" "00000000000000000002" "ws";
inline const std::string kListWss = "0001" "00000000000000000008" "list wss";
inline const std::string kMktemp =
    "0002" "00000000000000000009" "mktemp ws" "00000000000000000016" "sleigh_ride_%04d";
inline const std::string kDeclare =
    "0004"
    "00000000000000000011" "declare var"
    "00000000000000000002" "ws"
    "00000000000000000001" "y"
    "00000000000000000006" "single";

struct ExampleRequest {
  const char* name;
  const std::string* bytes;
  std::vector<std::string> args;
};

inline const std::vector<ExampleRequest>& all_requests() {
  static const std::vector<ExampleRequest> all = {
      {"open_ws", &kOpenWs, {"open ws", "ws", "4242", "no"}},
      {"store", &kStoreHello, {"store", "ws", "x", "00000000000016777217", "hello"}},
      {"fetch", &kFetchX, {"fetch", "ws", "x"}},
      {"ifind", &kIfindFirst, {"ifind", "ws", "x", kSp20, "00000000000000000000"}},
      {"list_vars", &kListVars, {"list vars", "ws"}},
      {"list_wss", &kListWss, {"list wss"}},
      {"mktemp", &kMktemp, {"mktemp ws", "sleigh_ride_%04d"}},
      {"declare", &kDeclare, {"declare var", "ws", "y", "single"}},
  };
  return all;
}

// §17.3 replies: cookie format (89 bytes) and no-cookie format (49 bytes).
inline const std::string kFetchReplyCookie =
    "0000"
    "00000000000016777217"
    "00000000000482913367"
    "00000000000000000000"
    "00000000000000000005"
    "hello";
inline const std::string kFetchReplyNoCookie =
    "0000" "00000000000016777217" "00000000000000000005" "hello";

// §17.4 fetchTry on an empty variable (84 bytes), and with MetadataFromServer.
inline const std::string kFetchTryFailure =
    "0001" "00000000000000000000" + kSp20 + "00000000000000000000" "00000000000000000000";
inline const std::string kFetchTryFailureWithMetadata =
    "0001" "0009" "nwsReason" "0018" "no value available" + kFetchTryFailure;

// §17.7 list vars reply.
inline const std::string kListVarsReply =
    "0000" "00000000000000000001" + kSp20 + "00000000000000000000"
    "00000000000000000012" "x\t1\t0\t0\tfifo";

}  // namespace nws::test::examples
