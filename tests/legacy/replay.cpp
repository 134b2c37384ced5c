#include "replay.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "normalise.hpp"
#include "raw_client.hpp"

namespace nws::legacy {

const char* split_name(Split s) {
  switch (s) {
    case Split::recorded_chunks: return "RecordedChunks";
    case Split::byte_at_a_time: return "ByteAtATime";
    case Split::all_at_once: return "AllAtOnce";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kReplyTimeoutMs = 10000;
constexpr auto kPollDeadline = std::chrono::seconds(10);
const std::string kOnlyDefault = " __default\t[system]\tTrue\t0\t\n";

bool is_iterated(std::string_view verb) {
  return verb == "ifetch" || verb == "ifetchTry" || verb == "ifind" || verb == "ifindTry";
}
bool can_block(std::string_view verb) {
  return verb == "fetch" || verb == "find" || verb == "ifetch" || verb == "ifind";
}

// A piece of the server stream, read and checked as a whole.
struct ServerUnit {
  enum Kind { advertisement, verdict, old_style_answer, reply } kind;
  std::size_t end = 0;
  std::size_t reply_index = 0;
};

// A piece of the client stream: a handshake part, or one request.
struct ClientUnit {
  std::size_t begin = 0, end = 0;
  std::optional<std::size_t> request;
};

std::vector<ServerUnit> server_units(const Transcript& t) {
  std::vector<ServerUnit> u;
  if (t.client_handshake.new_style()) {
    u.push_back({ServerUnit::advertisement, t.server_handshake.advertisement_length()});
    u.push_back({ServerUnit::verdict, u.back().end + 4});
  } else {
    u.push_back({ServerUnit::old_style_answer, 4});
  }
  for (std::size_t i = 0; i < t.replies.size(); ++i)
    u.push_back({ServerUnit::reply, t.replies[i].offset + t.replies[i].length, i});
  return u;
}

std::vector<ClientUnit> client_units(const Transcript& t) {
  std::vector<ClientUnit> u{{0, 4, std::nullopt}};
  if (t.client_handshake.new_style()) u.push_back({4, t.client_handshake_length(), std::nullopt});
  for (std::size_t i = 0; i < t.requests.size(); ++i)
    u.push_back({t.requests[i].offset, t.requests[i].offset + t.requests[i].length, i});
  return u;
}

// Wall clock of the recorded chunk that carried byte `pos` of one direction.
std::string time_of_byte(const Transcript& t, bool c2s, std::size_t pos) {
  for (const Chunk& c : t.chunks.rows)
    if (c.client_to_server == c2s && c.offset <= pos && pos < c.offset + c.length) return c.wallclock;
  throw ParseError(t.name + ": no chunk holds " + (c2s ? "client" : "server") + " byte " + std::to_string(pos));
}

// Values our server picks differently and later requests echo back: variable
// ids of value replies, names returned by `mktemp ws`.  Token -> first reply.
std::map<std::string, std::size_t> echoed_tokens(const Transcript& t) {
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < t.replies.size(); ++i) {
    const Reply& r = t.replies[i];
    if (r.var_id && looks_like_var_id(*r.var_id)) out.emplace(*r.var_id, i);
    if (t.requests[i].verb() == "mktemp ws" && r.status == "0000") out.emplace(r.value, i);
  }
  return out;
}

// Where a request can echo such a token: the workspace name (argument 1) and
// the variable id of an iterated request (argument 3).
std::vector<std::size_t> echo_positions(const Request& q) {
  std::vector<std::size_t> p;
  if (q.args.size() > 1) p.push_back(1);
  if (is_iterated(q.verb()) && q.args.size() > 3) p.push_back(3);
  return p;
}

struct Event {
  std::size_t conn = 0;
  std::string time;
  bool send = false;
  std::size_t begin = 0, end = 0;  // send: client-stream range; read: server-stream end
};

// One recorded connection being replayed.
struct Live {
  explicit Live(const Transcript& tr)
      : t(tr), units(server_units(tr)), cunits(client_units(tr)), tokens(echoed_tokens(tr)) {}

  const Transcript& t;
  std::vector<ServerUnit> units;
  std::vector<ClientUnit> cunits;
  std::map<std::string, std::size_t> tokens;
  std::optional<nws::test::RawClient> client;  // connected at its first send, as recorded
  std::uint16_t local_port = 0;
  std::size_t next_unit = 0;  // next server unit to read
  std::size_t sent = 0;       // client-stream bytes sent (recorded offsets)
  std::map<std::size_t, std::string> outgoing;         // request -> the bytes we send
  std::map<std::string, std::string> substitutions;    // recorded token -> ours
  Normaliser recorded_side, our_side;
};

// Single-connection order within each direction is kept by stable sorting.
template <typename T>
void sort_by_time(std::vector<T>& v) {
  std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.time < b.time; });
}

std::vector<Event> chunk_schedule(const std::vector<std::unique_ptr<Live>>& conns) {
  std::vector<Event> out;
  for (std::size_t i = 0; i < conns.size(); ++i)
    for (const Chunk& c : conns[i]->t.chunks.rows)
      out.push_back({i, c.wallclock, c.client_to_server, c.offset, c.offset + c.length});
  sort_by_time(out);
  return out;
}

// Whole units in recorded order, then consecutive client units of one
// connection merged into one write; its own replies that arrived in between
// are read after that write, unless a merged request echoes a token from one
// of them.  Another connection's send ends the write (the server must see the
// two connections interleaved as recorded); another connection's read does
// not (it only observes what the server already did).
std::vector<Event> coalesced_schedule(const std::vector<std::unique_ptr<Live>>& conns) {
  struct Unit {
    std::size_t conn;
    std::string time;
    bool client;
    std::size_t begin, end;
    std::optional<std::size_t> request, reply;
  };
  std::vector<Unit> units;
  for (std::size_t i = 0; i < conns.size(); ++i) {
    const Live& c = *conns[i];
    for (const ClientUnit& u : c.cunits)
      units.push_back({i, time_of_byte(c.t, true, u.begin), true, u.begin, u.end, u.request, std::nullopt});
    for (const ServerUnit& u : c.units)
      units.push_back({i, time_of_byte(c.t, false, u.end - 1), false, 0, u.end, std::nullopt,
                       u.kind == ServerUnit::reply ? std::optional<std::size_t>(u.reply_index) : std::nullopt});
  }
  sort_by_time(units);

  std::vector<Event> out;
  std::optional<std::size_t> open;  // index in `out` of the write still growing
  std::vector<Event> postponed;     // its connection's reads, due after it
  std::set<std::size_t> postponed_replies;
  auto close_write = [&] {
    out.insert(out.end(), postponed.begin(), postponed.end());
    postponed.clear();
    postponed_replies.clear();
    open.reset();
  };
  for (const Unit& u : units) {
    bool same_conn = open && out[*open].conn == u.conn;
    if (!u.client) {
      Event e{u.conn, u.time, false, 0, u.end};
      if (same_conn) {
        postponed.push_back(e);
        if (u.reply) postponed_replies.insert(*u.reply);
      } else {
        out.push_back(e);
      }
      continue;
    }
    bool echoes_unread = false;
    if (u.request) {
      const Live& c = *conns[u.conn];
      const Request& q = c.t.requests[*u.request];
      for (std::size_t p : echo_positions(q))
        if (auto it = c.tokens.find(q.args[p]); it != c.tokens.end() && postponed_replies.count(it->second))
          echoes_unread = true;
    }
    if (same_conn && !echoes_unread) {
      out[*open].end = u.end;
      continue;
    }
    if (open) close_write();
    out.push_back({u.conn, u.time, true, u.begin, u.end});
    open = out.size() - 1;
  }
  close_write();
  return out;
}

class GroupReplay {
 public:
  GroupReplay(std::uint16_t port, const std::vector<const Transcript*>& group, Split split)
      : port_(port), split_(split) {
    for (const Transcript* t : group) conns_.push_back(std::make_unique<Live>(*t));
  }

  void run() {
    auto schedule = split_ == Split::all_at_once ? coalesced_schedule(conns_) : chunk_schedule(conns_);
    for (const Event& e : schedule) {
      if (e.send) send(e);
      else read_upto(*conns_[e.conn], e.end);
    }
    for (auto& c : conns_) {
      EXPECT_EQ(c->sent, c->t.c2s.size()) << c->t.name << ": client bytes left unsent";
      EXPECT_EQ(c->next_unit, c->units.size()) << c->t.name << ": recorded replies left unread";
    }
    close_in_recorded_order();
  }

 private:
  // ---- sending ----

  // The bytes we send for request q: the recorded ones, or, if it echoes an
  // id or mktemp name, re-encoded with the value our server returned.
  const std::string& request_bytes(Live& c, std::size_t q) {
    if (auto it = c.outgoing.find(q); it != c.outgoing.end()) return it->second;
    const Request& r = c.t.requests[q];
    Request mine = r;
    bool changed = false;
    for (std::size_t p : echo_positions(r)) {
      auto tok = c.tokens.find(r.args[p]);
      if (tok == c.tokens.end()) continue;
      auto sub = c.substitutions.find(r.args[p]);
      if (sub == c.substitutions.end())
        throw std::runtime_error(c.t.name + " request #" + std::to_string(q + 1) + " echoes '" + r.args[p] +
                                 "' from reply #" + std::to_string(tok->second + 1) + ", which was not read yet");
      mine.args[p] = sub->second;
      changed = true;
    }
    std::string bytes = changed ? encode_request(mine) : c.t.c2s.substr(r.offset, r.length);
    return c.outgoing.emplace(q, std::move(bytes)).first->second;
  }

  // Client-stream range [a, b) as we send it.  A rewritten request keeps the
  // recorded cut points; if its length changed, the piece that completes it
  // carries the rest.
  std::string client_bytes(Live& c, std::size_t a, std::size_t b) {
    std::string out;
    for (const ClientUnit& u : c.cunits) {
      if (u.end <= a || u.begin >= b) continue;
      std::size_t from = std::max(a, u.begin) - u.begin, to = std::min(b, u.end) - u.begin;
      if (!u.request) {
        out += c.t.c2s.substr(u.begin + from, to - from);
        continue;
      }
      const std::string& mine = request_bytes(c, *u.request);
      std::size_t f = std::min(from, mine.size());
      std::size_t e = to == u.end - u.begin ? mine.size() : std::min(to, mine.size());
      out += mine.substr(f, e - f);
    }
    return out;
  }

  void send(const Event& e) {
    Live& c = *conns_[e.conn];
    if (e.begin != c.sent) throw std::runtime_error(c.t.name + ": schedule out of step");
    wait_for_recorded_blocking(e);
    if (!c.client) {
      c.client.emplace(port_);
      sockaddr_in addr{};
      socklen_t len = sizeof addr;
      ::getsockname(c.client->fd(), reinterpret_cast<sockaddr*>(&addr), &len);
      c.local_port = ntohs(addr.sin_port);
    }
    std::string bytes = client_bytes(c, e.begin, e.end);
    if (split_ == Split::byte_at_a_time) {
      for (char ch : bytes) c.client->send(std::string_view(&ch, 1));
    } else {
      c.client->send(bytes);
    }
    c.sent = e.end;
  }

  // Where the recording shows another connection blocked while this event
  // happens (its reply arrived later), make sure our server has it blocked
  // too before going on, or the replay would test a different interleaving.
  void wait_for_recorded_blocking(const Event& e) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      Live& other = *conns_[i];
      if (i == e.conn || other.next_unit >= other.units.size()) continue;
      const ServerUnit& u = other.units[other.next_unit];
      if (u.kind != ServerUnit::reply) continue;
      const Request& q = other.t.requests[u.reply_index];
      if (other.sent < q.offset + q.length) continue;  // not sent yet
      if (time_of_byte(other.t, false, u.end - 1) <= e.time) continue;  // answered before this event
      if (!can_block(q.verb()))
        throw std::runtime_error(other.t.name + ": recorded as blocked in '" + q.verb() + "', which cannot block");
      wait_blocked(other, q);
    }
  }

  void wait_blocked(Live& c, const Request& q) {
    std::string ws = q.args.at(1);
    if (auto it = c.substitutions.find(ws); it != c.substitutions.end()) ws = it->second;
    const std::string& var = q.args.at(2);
    if (!probe_) {
      probe_.emplace(port_);
      probe_->handshake();
    }
    if (!probe_uses_.count(ws)) {
      // use ws, create = no: never creates a workspace (so the instance
      // counter is left alone) and never claims ownership.
      int st = probe_->call_short({"use ws", ws, "", "no", "no"});
      if (st != 0) throw std::runtime_error("probe cannot use workspace '" + ws + "': status " + std::to_string(st));
      probe_uses_.insert(ws);
    }
    // list vars columns: name, values, blocked fetchers, blocked finders, mode.
    std::size_t column = q.verb() == "fetch" || q.verb() == "ifetch" ? 2 : 3;
    auto deadline = Clock::now() + kPollDeadline;
    std::string listing;
    while (Clock::now() < deadline) {
      listing = probe_->call_long({"list vars", ws}).value;
      std::istringstream lines(listing);
      std::string line;
      while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::istringstream cols(line);
        std::string col;
        while (std::getline(cols, col, '\t')) f.push_back(col);
        if (f.size() == 5 && f[0] == var && f[column] != "0") return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // poll interval, not a wait for luck
    }
    throw std::runtime_error(c.t.name + ": the server never showed '" + q.verb() + " " + var +
                             "' blocked; last listing: " + python_repr(listing));
  }

  // ---- reading and comparing ----

  void read_upto(Live& c, std::size_t end) {
    while (c.next_unit < c.units.size() && c.units[c.next_unit].end <= end) read_unit(c, c.units[c.next_unit++]);
  }

  void read_unit(Live& c, const ServerUnit& u) {
    if (!c.client) throw std::runtime_error(c.t.name + ": reply expected before anything was sent");
    std::string raw;
    ByteSource in = [&](std::size_t n) {
      std::string s = c.client->read_exact(n, kReplyTimeoutMs);
      raw += s;
      return s;
    };
    switch (u.kind) {
      case ServerUnit::advertisement: check_advertisement(c, in, raw); break;
      case ServerUnit::verdict:
        EXPECT_EQ(in(4), c.t.server_handshake.verdict) << c.t.name << ": negotiation verdict";
        break;
      case ServerUnit::old_style_answer:
        EXPECT_EQ(in(4), c.t.server_handshake.tag) << c.t.name << ": answer to greeting " << c.t.client_handshake.greeting;
        break;
      case ServerUnit::reply: check_reply(c, u.reply_index, in, raw); break;
    }
  }

  void check_advertisement(Live& c, const ByteSource& in, const std::string& raw) {
    SCOPED_TRACE(c.t.name + ": option advertisement");
    std::string tag = in(4);
    if (tag != "P000") throw std::runtime_error(c.t.name + ": expected P000, got " + python_repr(tag));
    WireDict ours = read_dict(in, "advertised options");
    EXPECT_EQ(python_repr(encode_dict(ours)), python_repr(raw.substr(4))) << "advertisement not canonically encoded";
    const WireDict& recorded = *c.t.server_handshake.advertised;
    // Both run a web interface and advertise its port (the original's was
    // 8766; ours is on a free port in tests).  NwsCancel and NwsMaxValueSize
    // are our extensions (docs/protocol-extensions.md).
    EXPECT_EQ(recorded.get("NwsWebPort"), std::optional<std::string>("8766"));
    EXPECT_FALSE(recorded.get("NwsCancel"));
    EXPECT_FALSE(recorded.get("NwsMaxValueSize"));
    auto web = ours.get("NwsWebPort");
    ASSERT_TRUE(web);
    EXPECT_TRUE(!web->empty() && web->find_first_not_of("0123456789") == std::string::npos && std::stoi(*web) > 0)
        << "NwsWebPort " << *web;
    EXPECT_EQ(ours.get("NwsCancel"), std::optional<std::string>(""));
    EXPECT_TRUE(ours.get("NwsMaxValueSize"));
    for (const char* key : {"MetadataToServer", "MetadataFromServer", "KillServerOnClose"})
      EXPECT_EQ(ours.get(key), std::optional<std::string>("")) << key << " must be advertised with the empty value";
    EXPECT_EQ(python_repr(encode_dict(sorted(without(ours, {"NwsWebPort", "NwsCancel", "NwsMaxValueSize", "NwsLease"})))),
              python_repr(encode_dict(sorted(without(recorded, {"NwsWebPort", "NwsCancel", "NwsMaxValueSize", "NwsLease"})))));
  }

  void check_reply(Live& c, std::size_t i, const ByteSource& in, const std::string& raw) {
    const Request& q = c.t.requests[i];
    const Reply& recorded = c.t.replies[i];
    SCOPED_TRACE(c.t.name + " reply #" + std::to_string(i + 1) + " to '" + q.verb() + "'");
    Reply ours = read_reply(in, recorded.kind, c.t.framing());
    // Every length field must equal the length of what follows it.
    EXPECT_EQ(python_repr(encode_reply(ours)), python_repr(raw)) << "our reply is not canonically encoded";
    EXPECT_EQ(python_repr(encode_reply(recorded)), python_repr(c.t.s2c.substr(recorded.offset, recorded.length)));
    learn(c, q, recorded, ours);
    std::string want = encode_reply(c.recorded_side.normalise(recorded, q.verb()));
    std::string got = encode_reply(c.our_side.normalise(ours, q.verb()));
    EXPECT_EQ(python_repr(got), python_repr(want)) << "normalised reply differs from the recording";
    if (q.verb() == "list wss" && ours.status == "0000") check_owner_ports(ours.value);
  }

  // Pairs what the recording and our server returned where later requests
  // echo it, so those requests can be rewritten with our value.
  void learn(Live& c, const Request& q, const Reply& recorded, const Reply& ours) {
    if (recorded.var_id && ours.var_id && looks_like_var_id(*recorded.var_id) && looks_like_var_id(*ours.var_id)) {
      auto [it, fresh] = c.substitutions.emplace(*recorded.var_id, *ours.var_id);
      if (!fresh) {
        EXPECT_EQ(it->second, *ours.var_id) << "one recorded variable id maps to two of ours";
      }
    }
    if (q.verb() == "mktemp ws" && recorded.status == "0000" && ours.status == "0000")
      c.substitutions[recorded.value] = ours.value;
  }

  // Our owner strings name the client's real address: the port must be that
  // of one of this group's connections.
  void check_owner_ports(const std::string& listing) {
    std::istringstream lines(listing);
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<std::string> f;
      std::istringstream cols(line);
      std::string col;
      while (std::getline(cols, col, '\t')) f.push_back(col);
      if (f.size() < 2) continue;
      auto port = our_owner_port(f[1]);
      if (!port) continue;
      bool known = std::any_of(conns_.begin(), conns_.end(), [&](const auto& c) { return c->local_port == *port; });
      EXPECT_TRUE(known) << "owner " << f[1] << " does not name a client port of this replay";
    }
  }

  // ---- closing ----

  void close_in_recorded_order() {
    std::vector<Live*> order;
    for (auto& c : conns_) order.push_back(c.get());
    std::stable_sort(order.begin(), order.end(),
                     [](const Live* a, const Live* b) { return a->t.chunks.session_end < b->t.chunks.session_end; });
    for (Live* c : order) {
      if (!c->client) continue;
      // Half-close like the recorded client's EOF; our server must then close
      // too, having sent nothing beyond the recorded replies.
      ::shutdown(c->client->fd(), SHUT_WR);
      std::string tail;
      EXPECT_TRUE(c->client->wait_closed(kReplyTimeoutMs, &tail)) << c->t.name << ": server did not close after EOF";
      EXPECT_EQ(python_repr(tail), "''") << c->t.name << ": bytes after the last recorded reply";
      c->client->close();
    }
    probe_.reset();
  }

  std::uint16_t port_;
  Split split_;
  std::vector<std::unique_ptr<Live>> conns_;
  std::optional<nws::test::RawClient> probe_;
  std::set<std::string> probe_uses_;
};

}  // namespace

bool replay_group(std::uint16_t port, const std::vector<const Transcript*>& group, Split split) {
  try {
    GroupReplay(port, group, split).run();
    return true;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "replay stopped: " << e.what();
    return false;
  }
}

std::vector<PlannedWrite> planned_writes(const std::vector<const Transcript*>& group, Split split) {
  std::vector<std::unique_ptr<Live>> conns;
  for (const Transcript* t : group) conns.push_back(std::make_unique<Live>(*t));
  std::vector<PlannedWrite> out;
  for (const Event& e : split == Split::all_at_once ? coalesced_schedule(conns) : chunk_schedule(conns))
    if (e.send) out.push_back({e.conn, e.begin, e.end});
  return out;
}

bool wait_until_only_default(std::uint16_t port, std::string* last_listing) {
  nws::test::RawClient probe(port);
  probe.handshake();
  auto deadline = Clock::now() + kPollDeadline;
  std::string listing;
  while (Clock::now() < deadline) {
    listing = probe.call_long({"list wss"}).value;
    if (listing == kOnlyDefault) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // poll interval
  }
  if (last_listing) *last_listing = listing;
  return false;
}

}  // namespace nws::legacy
