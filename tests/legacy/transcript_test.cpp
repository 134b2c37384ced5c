// Checks of the transcript parser against the recordings themselves: every
// byte is accounted for, every field re-encodes to what was on the wire, and
// what the parser finds agrees with what the recorded clients printed.  The
// replay tests rely on all of this.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "legacy_sessions.hpp"
#include "normalise.hpp"

namespace nws::legacy {
namespace {

std::vector<std::string> all_names() {
  std::vector<std::string> names;
  for (const auto& g : recorded_groups()) names.insert(names.end(), g.members.begin(), g.members.end());
  return names;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The reply to the first request with this verb (and variable, if given).
const Reply& reply_to(const Transcript& t, std::string_view verb, std::string_view var = {}) {
  for (std::size_t i = 0; i < t.requests.size(); ++i)
    if (t.requests[i].verb() == verb && (var.empty() || t.requests[i].args.at(2) == var)) return t.replies[i];
  throw std::runtime_error(t.name + " has no " + std::string(verb) + " request");
}

TEST(LegacyVectors, FolderIsPresent) {
  struct stat st {};
  ASSERT_EQ(::stat(kVectorsDir.c_str(), &st), 0) << "legacy vectors folder missing: " << kVectorsDir;
  ASSERT_TRUE(S_ISDIR(st.st_mode)) << kVectorsDir;
  EXPECT_FALSE(read_file(kVectorsDir + "/README.md").empty());
}

TEST(LegacyTranscripts, EveryByteIsAccountedForAndReencodesExactly) {
  for (const std::string& name : all_names()) {
    SCOPED_TRACE(name);
    const Transcript& t = transcript(name);  // throws if a stream has leftovers
    ASSERT_EQ(t.requests.size(), t.replies.size());
    ASSERT_FALSE(t.requests.empty());
    std::size_t pos = t.client_handshake_length();
    for (const Request& q : t.requests) {
      EXPECT_EQ(q.offset, pos);
      EXPECT_EQ(encode_request(q), t.c2s.substr(q.offset, q.length));
      pos += q.length;
    }
    EXPECT_EQ(pos, t.c2s.size());
    for (const Reply& r : t.replies) EXPECT_EQ(encode_reply(r), t.s2c.substr(r.offset, r.length));
    if (t.client_handshake.requested) {
      EXPECT_EQ("R000" + encode_dict(*t.client_handshake.requested), t.c2s.substr(4, t.client_handshake_length() - 4));
    }
    if (t.server_handshake.advertised) {
      EXPECT_EQ(encode_dict(*t.server_handshake.advertised), t.s2c.substr(4, t.server_handshake.advertisement_length() - 4));
    }
  }
}

TEST(LegacyTranscripts, ChunkRowsTileBothStreams) {
  for (const std::string& name : all_names()) {
    SCOPED_TRACE(name);
    const Transcript& t = transcript(name);
    std::size_t c2s = 0, s2c = 0;
    for (const Chunk& c : t.chunks.rows) {
      std::size_t& next = c.client_to_server ? c2s : s2c;
      EXPECT_EQ(c.offset, next) << "row " << c.seq;
      next = c.offset + c.length;
    }
    EXPECT_EQ(c2s, t.c2s.size());
    EXPECT_EQ(s2c, t.s2c.size());
  }
}

TEST(LegacyTranscripts, HandshakesSelectTheFramingTheReadmeDescribes) {
  const Transcript& r = transcript("r-session");
  EXPECT_EQ(r.client_handshake.greeting, "1112");
  EXPECT_EQ(r.server_handshake.tag, "2223");
  EXPECT_TRUE(r.framing().cookie);
  EXPECT_FALSE(r.framing().metadata_in);
  for (const char* name : {"py3-metadata", "py2orig-metadata"}) {
    const Transcript& m = transcript(name);
    EXPECT_TRUE(m.framing().metadata_in) << name;
    EXPECT_TRUE(m.framing().metadata_out) << name;
    EXPECT_EQ(m.server_handshake.verdict, "A000");
  }
  const Transcript& p = transcript("py3-session");
  EXPECT_EQ(p.client_handshake.greeting, "X000");
  EXPECT_FALSE(p.framing().metadata_in);
  EXPECT_EQ(p.server_handshake.advertised->get("NwsWebPort"), std::optional<std::string>("8766"));
}

TEST(LegacyTranscripts, KnownRequestCounts) {
  EXPECT_EQ(transcript("py3-session").requests.size(), 26u);
  EXPECT_EQ(transcript("py2orig-session").requests.size(), 26u);
  EXPECT_EQ(transcript("r-session").requests.size(), 25u);
  EXPECT_EQ(transcript("py3-blocking-1").requests.size(), 3u);
  EXPECT_EQ(transcript("py3-blocking-2").requests.size(), 4u);
  EXPECT_EQ(transcript("py3-errors").requests.size(), 29u);
  EXPECT_EQ(transcript("py3-metadata").requests.size(), 7u);
  EXPECT_EQ(transcript("py2orig-metadata").requests.size(), 7u);
}

// The replay order (recorded_groups) must be the recording order, and only
// sessions that overlap in time may share a group.
TEST(LegacyTranscripts, GroupsFollowTheRecordedStartTimes) {
  std::vector<std::string> names = all_names();
  std::vector<std::string> by_start = names;
  std::stable_sort(by_start.begin(), by_start.end(), [](const std::string& a, const std::string& b) {
    return transcript(a).chunks.session_start < transcript(b).chunks.session_start;
  });
  EXPECT_EQ(by_start, names);
  std::string previous_end;
  for (const auto& g : recorded_groups()) {
    SCOPED_TRACE(g.id);
    std::string start = transcript(g.members.front()).chunks.session_start, end;
    for (const auto& m : g.members) {
      EXPECT_LT(transcript(m).chunks.session_start, end.empty() ? "~" : end) << m << " does not overlap its group";
      end = std::max(end, transcript(m).chunks.session_end);
    }
    EXPECT_LT(previous_end, start) << "overlaps the previous group";
    previous_end = end;
  }
}

// py3-errors.client-output.txt prints every request tuple and reply.
TEST(LegacyClientOutput, ErrorsSessionAgreesWithTheParse) {
  const Transcript& t = transcript("py3-errors");
  std::vector<std::string> lines = lines_of(read_file(kVectorsDir + "/py3-errors.client-output.txt"));
  ASSERT_EQ(lines.size(), t.requests.size() + 1);
  EXPECT_EQ(lines.back(), "done");
  for (std::size_t i = 0; i < t.requests.size(); ++i) {
    const Request& q = t.requests[i];
    const Reply& r = t.replies[i];
    std::string tuple = "(";
    for (std::size_t a = 0; a < q.args.size(); ++a) tuple += (a ? ", " : "") + python_repr(q.args[a]);
    tuple += q.args.size() == 1 ? ",)" : ")";
    std::string reply = r.kind == ReplyKind::short_reply
                            ? "short b" + python_repr(r.status)
                            : "long status=b" + python_repr(r.status) + " desc=b" + python_repr(r.descriptor) +
                                  " varId=b" + python_repr(*r.var_id) + " idx=b" + python_repr(*r.index) +
                                  " value=b" + python_repr(r.value);
    EXPECT_NE(lines[i].find(tuple), std::string::npos) << lines[i] << "\nexpected " << tuple;
    EXPECT_TRUE(lines[i].ends_with("-> " + reply)) << lines[i] << "\nexpected -> " << reply;
  }
}

TEST(LegacyClientOutput, PythonSessionsAgreeWithTheParse) {
  for (const char* name : {"py3-session", "py2orig-session"}) {
    SCOPED_TRACE(name);
    const Transcript& t = transcript(name);
    std::string out = read_file(kVectorsDir + "/" + name + ".client-output.txt");
    for (const auto& [label, verb, var] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"fetch greeting -> ", "fetch", "greeting"},
             {"find findme -> ", "find", "findme"},
             {"listVars -> ", "list vars", ""},
             {"listWss -> ", "list wss", ""}}) {
      std::string line = label + python_repr(reply_to(t, verb, var).value) + "\n";
      EXPECT_NE(out.find(line), std::string::npos) << line;
    }
  }
}

TEST(LegacyClientOutput, RSessionAgreesWithTheParse) {
  // R's print() of a string: double quotes, \t \n \" \\ escaped.
  auto r_repr = [](std::string_view s) {
    std::string o = "\"";
    for (char c : s) {
      if (c == '\t') o += "\\t";
      else if (c == '\n') o += "\\n";
      else if (c == '"' || c == '\\') (o += '\\') += c;
      else o += c;
    }
    return o + "\"";
  };
  const Transcript& t = transcript("r-session");
  std::string out = read_file(kVectorsDir + "/r-session.client-output.txt");
  for (const auto& [label, verb, var] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"fetch greeting -> ", "fetch", "greeting"},
           {"find findme -> ", "find", "findme"},
           {"listVars -> ", "list vars", ""},
           {"listWss -> ", "list wss", ""}}) {
    std::string line = label + r_repr(reply_to(t, verb, var).value) + " \n";
    EXPECT_NE(out.find(line), std::string::npos) << line;
  }
}

TEST(LegacyClientOutput, MetadataSessionsAgreeWithTheParse) {
  auto dict_repr = [](const WireDict& d) {
    std::string o = "{";
    for (std::size_t i = 0; i < d.entries.size(); ++i)
      o += (i ? ", " : "") + python_repr(d.entries[i].first) + ": " + python_repr(d.entries[i].second);
    return o + "}";
  };
  for (const char* name : {"py3-metadata", "py2orig-metadata"}) {
    SCOPED_TRACE(name);
    const Transcript& t = transcript(name);
    std::vector<std::string> lines = lines_of(read_file(kVectorsDir + "/" + name + ".client-output.txt"));
    ASSERT_EQ(lines.size(), 4u);
    const Reply& fetched = reply_to(t, "fetch");
    EXPECT_EQ(lines[0], "fetch -> " + python_repr(fetched.value) + " reply metadata: " + dict_repr(*fetched.metadata));
    EXPECT_TRUE(lines[1].ends_with(" reply metadata: " + dict_repr(*reply_to(t, "fetchTry").metadata)));
    EXPECT_TRUE(lines[2].ends_with(" reply metadata: " + dict_repr(*t.replies.at(5).metadata)));
    EXPECT_EQ(lines[3], "deleteWs reply metadata: " + dict_repr(*t.replies.back().metadata));
  }
}

TEST(LegacyClientOutput, BlockingSessionsAgreeWithTheParse) {
  const Transcript& one = transcript("py3-blocking-1");
  const Transcript& two = transcript("py3-blocking-2");
  std::vector<std::string> lines = lines_of(read_file(kVectorsDir + "/py3-blocking.client-output.txt"));
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0], "{'fetch': " + python_repr(reply_to(one, "fetch").value) +
                          ", 'find': " + python_repr(reply_to(one, "find").value) + "}");
  std::vector<std::string> listing(lines.begin() + 1, lines.end());
  EXPECT_EQ(listing, lines_of(reply_to(two, "list vars").value));
}

// The normaliser maps both owner formats to the same text, keeps the label,
// and leaves everything else alone.
TEST(LegacyNormaliser, OwnerStringsOfBothServersMeet) {
  EXPECT_EQ(normalise_owner("IPv4Address(TCP, '127.0.0.1', 45146) (5077)"), "<peer 127.0.0.1> (5077)");
  EXPECT_EQ(normalise_owner("127.0.0.1:40001 (5077)"), "<peer 127.0.0.1> (5077)");
  EXPECT_EQ(normalise_owner("127.0.0.1:40001 (me)"), "<peer 127.0.0.1> (me)");
  EXPECT_EQ(normalise_owner("[system]"), "[system]");
  EXPECT_EQ(normalise_owner(""), "");
  EXPECT_NE(normalise_owner("127.0.0.1:40001 (5077)"), normalise_owner("127.0.0.1:40001 (5078)"));
  EXPECT_EQ(our_owner_port("127.0.0.1:40001 (x)"), std::optional<unsigned>(40001));
}

TEST(LegacyNormaliser, OnlyTheMktempSuffixVaries) {
  EXPECT_EQ(normalise_temp_name("tmp_7__nwss3_gz6ign"), normalise_temp_name("tmp_7__nwssAbC_09"));
  EXPECT_NE(normalise_temp_name("tmp_7__nwss3_gz6ign"), normalise_temp_name("tmp_8__nwss3_gz6ign"));
  EXPECT_EQ(normalise_temp_name("tmp_7"), "tmp_7");
}

TEST(LegacyNormaliser, IdsKeepTheirIdentityAndLengthsAreRecomputed) {
  Reply a;
  a.kind = ReplyKind::long_reply;
  a.status = "0000";
  a.descriptor = "00000000000000000001";
  a.var_id = "00000000000726905793";
  a.index = "00000000000000000000";
  a.value = "x";
  Reply b = a;
  b.var_id = "00000000000000000042";
  Normaliser recorded, ours;
  EXPECT_EQ(encode_reply(recorded.normalise(a, "find")), encode_reply(ours.normalise(b, "find")));
  Reply other = b;
  other.var_id = "00000000000000000043";
  // A second, different id must not look like the first one.
  EXPECT_NE(encode_reply(recorded.normalise(a, "find")), encode_reply(ours.normalise(other, "find")));

  Reply listing = a;
  listing.var_id = std::string(20, ' ');
  listing.value = ">w\tIPv4Address(TCP, '127.0.0.1', 5) (1)\tFalse\t0\t\n";
  Reply mine = listing;
  mine.value = ">w\t127.0.0.1:123456 (1)\tFalse\t0\t\n";  // longer owner text
  std::string n1 = encode_reply(Normaliser().normalise(listing, "list wss"));
  std::string n2 = encode_reply(Normaliser().normalise(mine, "list wss"));
  EXPECT_EQ(n1, n2);
  std::string value = ">w\t<peer 127.0.0.1> (1)\tFalse\t0\t\n";
  EXPECT_TRUE(n1.ends_with("000000000000000000" + std::to_string(value.size()) + value)) << n1;
}

TEST(LegacyNormaliser, MetadataOrderDoesNotMatter) {
  WireDict a{{{"note", "x"}, {"batchId", "7"}}};
  WireDict b{{{"batchId", "7"}, {"note", "x"}}};
  EXPECT_EQ(encode_dict(sorted(a)), encode_dict(sorted(b)));
  EXPECT_EQ(without(a, {"note"}).entries.size(), 1u);
}

}  // namespace
}  // namespace nws::legacy
