// The client's wire behaviour against a scripted fake peer (fake_peer.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "fake_peer.hpp"
#include "nws/client.hpp"
#include "protocol/fields.hpp"

namespace {
using namespace std::chrono_literals;
using fake::dict;
using fake::long_reply;
using fake::PeerConn;
using fake::request;
using fake::short_reply;

// What our server advertises, and what a client without metadata asks of it.
const std::string kOurAdvert =
    dict({{"MetadataToServer", ""}, {"MetadataFromServer", ""}, {"KillServerOnClose", ""}, {"NwsCancel", ""}});
const std::string kOriginalAdvert =
    dict({{"MetadataToServer", ""}, {"MetadataFromServer", ""}, {"KillServerOnClose", ""}});
const std::string kCancelOnly = dict({{"NwsCancel", "1"}});
const std::string kSpaces20(20, ' ');

nws::ConnectOptions options(std::uint16_t port, bool metadata = false) {
  nws::ConnectOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.metadata = metadata;
  o.owner_label = "4242";
  o.connect_timeout = 3s;
  return o;
}

// Our server's handshake and a `use ws w`.
void greet_and_use(PeerConn& p) {
  p.handshake(kOurAdvert, kCancelOnly);
  p.expect(request({"use ws", "w", "", "no"}));
  p.send(short_reply(0));
}

template <class F>
nws::Errc code_of(F&& f) {
  try {
    f();
  } catch (const nws::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no nws::Error was raised";
  return nws::Errc::invalid_argument;
}

TEST(Wire, RequestsAndRepliesMatchTheProtocolExamples) {
  fake::FakePeer peer([](PeerConn& p) {
    p.handshake(kOurAdvert, kCancelOnly);
    // PROTOCOL.md §17.1, §17.2, §17.3, byte for byte.
    p.expect(
        "0004"
        "00000000000000000007open ws"
        "00000000000000000002ws"
        "000000000000000000044242"
        "00000000000000000002no");
    p.send("0000");
    p.expect(
        "0005"
        "00000000000000000005store"
        "00000000000000000002ws"
        "00000000000000000001x"
        "0000000000000000002000000000000016777217"
        "00000000000000000005hello");
    p.send("0000");
    p.expect(
        "0003"
        "00000000000000000005fetch"
        "00000000000000000002ws"
        "00000000000000000001x");
    p.send(
        "0000"
        "00000000000016777217"
        "00000000000482913367"
        "00000000000000000000"
        "00000000000000000005hello");
  });
  nws::Server s(options(peer.port()));
  EXPECT_TRUE(s.supports_cancel());
  EXPECT_TRUE(s.cookie_format());
  EXPECT_EQ(s.owner_label(), "4242");
  auto ws = s.open_ws("ws");
  ws.store("x", 16777217, "hello");
  auto f = ws.retrieve(nws::Retrieve::fetch, "x");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->value.bytes, "hello");
  EXPECT_EQ(f->value.descriptor, 16777217u);
  EXPECT_EQ(f->var_id, "00000000000482913367");
  EXPECT_EQ(f->index, 0);
}

TEST(Wire, OpenAndUseArguments) {
  fake::FakePeer peer([](PeerConn& p) {
    p.handshake(kOurAdvert, kCancelOnly);
    p.expect(request({"open ws", "w", "4242", "yes", "no"}));
    p.send(short_reply(100));
    p.expect(request({"use ws", "w", "", "no"}));
    p.send(short_reply(0));
    p.expect(request({"use ws", "w", "", "no", "no"}));
    p.send(short_reply(0));
    p.expect(request({"mktemp ws", "t_%d"}));
    p.send(long_reply(0, 1, "", 0, "t_7__nwsabc"));
    p.expect(request({"delete ws", "t_7__nwsabc"}));
    p.send(short_reply(1));
  });
  nws::Server s(options(peer.port()));
  EXPECT_EQ(code_of([&] { s.open_ws("w", true, false); }), nws::Errc::no_such_workspace);
  EXPECT_EQ(s.use_ws("w").name(), "w");
  s.use_ws("w", false);
  EXPECT_EQ(s.mktemp_ws("t_%d"), "t_7__nwsabc");
  EXPECT_EQ(code_of([&] { s.delete_ws("t_7__nwsabc"); }), nws::Errc::operation_failed);
}

TEST(Wire, MetadataBothWays) {
  fake::FakePeer peer([](PeerConn& p) {
    p.handshake(kOurAdvert, dict({{"MetadataToServer", "1"}, {"MetadataFromServer", "1"}, {"NwsCancel", "1"}}));
    p.expect("0000" + request({"use ws", "w", "", "no"}));
    p.send("0000" + short_reply(0));
    p.expect("0000" + request({"fetchTry", "w", "x"}));
    p.send(dict({{"nwsReason", "no value available"}}) + long_reply(1, 0, "", 0, ""));
    p.expect("0000" + request({"findTry", "w", "x"}));
    p.send(dict({{"nwsReason", "Workspace w has not been opened."}}) + long_reply(2001, 0, "", 0, ""));
    p.expect(dict({{"batchId", "3"}}) + request({"store", "w", "x", nws::proto::n20(16777217), "v"}));
    p.send("0000" + short_reply(0));
    p.expect("0000" + request({"find", "w", "x"}));
    p.send(dict({{"batchId", "3"}}) + long_reply(0, 16777217, "7", 0, "v"));
    p.expect("0000" + request({"declare var", "w", "x", "lifo"}));
    p.send(dict({{"nwsReason", "Cannot change variable mode to lifo."}}) + short_reply(1));
  });
  auto ws = nws::Server(options(peer.port(), true)).use_ws("w");
  EXPECT_EQ(ws.fetch_try("x"), std::nullopt);
  try {
    ws.find_try("x");
    ADD_FAILURE();
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::not_opened);
    EXPECT_EQ(e.status(), 2001);
    EXPECT_EQ(e.reason(), "Workspace w has not been opened.");
  }
  nws::Metadata md{{"batchId", "3"}};
  ws.store("x", 16777217, "v", &md);
  auto f = ws.retrieve(nws::Retrieve::find, "x");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->metadata, md);
  EXPECT_EQ(f->var_id, "7");
  try {
    ws.declare("x", nws::Mode::lifo);
    ADD_FAILURE();
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::declaration_failed);
    EXPECT_NE(std::string(e.what()).find("Cannot change variable mode to lifo."), std::string::npos) << e.what();
  }
}

TEST(Wire, MetadataNeedsTheOption) {
  fake::FakePeer peer([](PeerConn& p) { greet_and_use(p); });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  nws::Metadata md{{"k", "v"}};
  EXPECT_EQ(code_of([&] { ws.store("x", nws::Value::text("v"), &md); }), nws::Errc::unsupported);
}

TEST(Wire, RefusedOptionsAreAConnectionError) {
  fake::FakePeer peer([](PeerConn& p) { p.handshake(kOurAdvert, kCancelOnly, "F000"); });
  EXPECT_EQ(code_of([&] { nws::Server s(options(peer.port())); }), nws::Errc::connection);
}

TEST(Wire, APeerThatHangsUpInTheHandshakeIsAConnectionError) {
  std::uint16_t port;
  {
    fake::FakePeer peer([](PeerConn& p) { p.expect("X000"); });
    port = peer.port();
    EXPECT_EQ(code_of([&] { nws::Server s(options(port)); }), nws::Errc::connection);
  }
  // Nobody listens on that port any more.
  EXPECT_EQ(code_of([&] { nws::Server s(options(port)); }), nws::Errc::connection);
}

TEST(Wire, Listings) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"list wss"}));
    p.send(long_reply(0, 1, "", 0, " __default\t[system]\tTrue\t0\t\n>w\th (4242)\tFalse\t1\tx\n"));
    p.expect(request({"list wss", "none"}));
    p.send(long_reply(0, 1, "", 0, "\n"));
    p.expect(request({"list vars", "w"}));
    p.send(long_reply(0, 1, "", 0, "x\t1\t0\t0\tfifo"));
    p.expect(request({"list vars", "elsewhere"}));
    p.send(long_reply(2001, 0, "", 0, ""));
  });
  nws::Server s(options(peer.port()));
  auto ws = s.use_ws("w");
  auto all = s.list_wss();
  EXPECT_EQ(all.text, " __default\t[system]\tTrue\t0\t\n>w\th (4242)\tFalse\t1\tx\n");
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_TRUE(all.rows[1].mine);
  EXPECT_TRUE(s.list_wss("none").rows.empty());
  auto vars = ws.list_vars();
  EXPECT_EQ(vars.text, "x\t1\t0\t0\tfifo");
  ASSERT_EQ(vars.rows.size(), 1u);
  EXPECT_EQ(vars.rows[0].values, 1);
  // Any workspace by name, through the server handle: one round trip.
  EXPECT_EQ(code_of([&] { s.list_vars("elsewhere"); }), nws::Errc::not_opened);
}

TEST(Wire, StoreStreamPadsWithZerosWhenTheSourceRunsDry) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"store", "w", "v", nws::proto::n20(1), std::string("abc\0\0\0\0\0\0\0", 10)}));
    p.send(short_reply(0));
    std::string big(200000, 'z');
    p.expect(request({"store", "w", "big", nws::proto::n20(1), big}));
    p.send(short_reply(0));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  bool given = false;
  nws::ByteSource once = [&](char* buf, std::size_t n) -> std::size_t {
    if (given || n < 3) return 0;
    given = true;
    std::memcpy(buf, "abc", 3);
    return 3;
  };
  ws.store_stream("v", 1, 10, once);
  std::size_t left = 200000;
  nws::ByteSource drip = [&](char* buf, std::size_t n) -> std::size_t {
    std::size_t k = std::min({n, left, std::size_t{777}});
    std::memset(buf, 'z', k);
    left -= k;
    return k;
  };
  ws.store_stream("big", 1, 200000, drip);
}

TEST(Wire, IteratorCarriesIdAndIndex) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    auto id20 = [](std::string id) { return id + std::string(20 - id.size(), ' '); };
    p.expect(request({"ifindTry", "w", "x", kSpaces20, nws::proto::n20(0)}));
    p.send(long_reply(0, 1, "42", 0, "a"));
    p.expect(request({"ifindTry", "w", "x", id20("42"), nws::proto::n20(0)}));
    p.send(long_reply(0, 1, "42", 1, "b"));
    p.expect(request({"ifindTry", "w", "x", id20("42"), nws::proto::n20(1)}));
    p.send(long_reply(1, 0, "", 0, ""));
    // The end is not sticky: the next step asks again from the same place.
    p.expect(request({"ifindTry", "w", "x", id20("42"), nws::proto::n20(1)}));
    p.send(long_reply(1, 0, "", 0, ""));
    p.expect(request({"ifindTry", "w", "x", id20("42"), nws::proto::n20(1)}));
    p.send(long_reply(0, 1, "42", 2, "c"));
    // reset(): from the beginning again.
    p.expect(request({"ifetchTry", "w", "x", kSpaces20, nws::proto::n20(0)}));
    p.send(long_reply(100, 0, "", 0, ""));
    p.expect(request({"ifind", "w", "x", kSpaces20, nws::proto::n20(0)}));
    p.send(long_reply(1, 0, "", 0, ""));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  auto it = ws.ifind("x");
  EXPECT_EQ(it.try_next()->value.bytes, "a");
  auto b = it.try_next();
  EXPECT_EQ(b->value.bytes, "b");
  EXPECT_EQ(b->var_id, "42");
  EXPECT_EQ(b->index, 1);
  EXPECT_EQ(it.try_next(), std::nullopt);
  EXPECT_TRUE(it.ended());
  EXPECT_EQ(it.try_next(), std::nullopt);
  EXPECT_EQ(it.try_next()->value.bytes, "c");
  EXPECT_FALSE(it.ended());
  auto consuming = ws.ifetch("x");
  EXPECT_TRUE(consuming.consuming());
  EXPECT_EQ(code_of([&] { consuming.try_next(); }), nws::Errc::no_such_workspace);
  it.reset();
  EXPECT_EQ(code_of([&] { it.next(); }), nws::Errc::operation_failed);
}

TEST(Wire, AThrowingSinkKeepsTheConnectionInSync) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetchTry", "w", "x"}));
    p.send(long_reply(0, 1, "1", 0, std::string(100000, 'q')));
    p.expect(request({"fetchTry", "w", "x"}));
    p.send(long_reply(0, 1, "1", 1, "next"));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  nws::ByteSink failing = [](std::string_view) { throw std::runtime_error("disk full"); };
  EXPECT_THROW(ws.retrieve(nws::Retrieve::fetch_try, "x", {}, &failing), std::runtime_error);
  std::string got;
  nws::ByteSink collect = [&](std::string_view chunk) { got += chunk; };
  auto f = ws.retrieve(nws::Retrieve::fetch_try, "x", {}, &collect);
  ASSERT_TRUE(f);
  EXPECT_EQ(got, "next");
  EXPECT_EQ(f->value.bytes, "");
}

// ---- blocking calls, deadlines and cancellation ----

TEST(Blocking, TimeoutWithdrawsTheRequestAndKeepsTheConnection) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    p.expect(request({"cancel"}));
    p.send(long_reply(2, 0, "", 0, "") + short_reply(0));
    p.expect(request({"fetchTry", "w", "x"}));
    p.send(long_reply(0, 1, "1", 0, "v"));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { ws.fetch("x", nws::Wait::for_duration(100ms)); }), nws::Errc::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_EQ(ws.fetch_try("x")->bytes, "v");
}

TEST(Blocking, CancelCheckWithdrawsTheRequest) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"find", "w", "x"}));
    p.expect(request({"cancel"}));
    p.send(long_reply(2, 0, "", 0, "") + short_reply(0));
    p.expect(request({"list vars", "w"}));
    p.send(long_reply(0, 1, "", 0, ""));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  int polls = 0;
  nws::Wait wait;
  wait.slice = 5ms;
  wait.should_cancel = [&] { return ++polls == 3; };
  EXPECT_EQ(code_of([&] { ws.find("x", wait); }), nws::Errc::cancelled);
  EXPECT_EQ(polls, 3);
  EXPECT_TRUE(ws.list_vars().rows.empty());
}

TEST(Blocking, AnInterruptedCallKeepsAValueThatWonTheRace) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    p.expect(request({"cancel"}));
    // The value left the server before the cancel arrived.
    p.send(long_reply(0, 1, "1", 0, "late") + short_reply(1));
    p.expect(request({"list vars", "w"}));
    p.send(long_reply(0, 1, "", 0, ""));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  nws::Wait wait;
  wait.slice = 5ms;
  wait.should_cancel = [] { return true; };
  // Both survive: the interrupt as the error, the value inside it.
  try {
    ws.fetch("x", wait);
    ADD_FAILURE() << "the interrupt was lost";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::cancelled);
    ASSERT_NE(e.arrived(), nullptr);
    EXPECT_EQ(e.arrived()->value.bytes, "late");
    EXPECT_EQ(e.arrived()->var_id, "1");
  }
  EXPECT_TRUE(ws.list_vars().rows.empty());  // and the connection is in sync
}

TEST(Blocking, AValueThatWinsTheRaceWithATimeoutIsReturned) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    p.expect(request({"cancel"}));
    p.send(long_reply(0, 1, "1", 0, "late") + short_reply(1));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  EXPECT_EQ(ws.fetch("x", nws::Wait::for_duration(20ms)).bytes, "late");
}

TEST(Blocking, AnInterruptedIteratorStepKeepsItsValueAndAdvances) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"ifind", "w", "x", kSpaces20, nws::proto::n20(0)}));
    p.expect(request({"cancel"}));
    p.send(long_reply(0, 1, "7", 0, "first") + short_reply(1));
    p.expect(request({"ifindTry", "w", "x", "7" + std::string(19, ' '), nws::proto::n20(0)}));
    p.send(long_reply(0, 1, "7", 1, "second"));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  auto it = ws.ifind("x");
  nws::Wait wait;
  wait.slice = 5ms;
  wait.should_cancel = [] { return true; };
  try {
    it.next(wait);
    ADD_FAILURE() << "the interrupt was lost";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::cancelled);
    ASSERT_NE(e.arrived(), nullptr);
    EXPECT_EQ(e.arrived()->value.bytes, "first");
  }
  EXPECT_EQ(it.try_next()->value.bytes, "second");
}

TEST(Blocking, AFailureThatWinsTheRaceGivesWayToTheInterrupt) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    p.expect(request({"cancel"}));
    p.send(long_reply(1, 0, "", 0, "") + short_reply(1));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  nws::Wait wait;
  wait.slice = 5ms;
  wait.should_cancel = [] { return true; };
  EXPECT_EQ(code_of([&] { ws.fetch("x", wait); }), nws::Errc::cancelled);
}

TEST(Blocking, WithoutNwsCancelTheConnectionIsClosed) {
  fake::FakePeer peer([](PeerConn& p) {
    p.handshake(kOriginalAdvert, "0000");
    p.expect(request({"use ws", "w", "", "no"}));
    p.send(short_reply(0));
    p.expect(request({"fetch", "w", "x"}));
    EXPECT_TRUE(p.sees_eof());
  });
  nws::Server s(options(peer.port()));
  EXPECT_FALSE(s.supports_cancel());
  auto ws = s.use_ws("w");
  EXPECT_EQ(code_of([&] { ws.fetch("x", nws::Wait::for_duration(50ms)); }), nws::Errc::timeout);
  EXPECT_EQ(code_of([&] { ws.fetch_try("x"); }), nws::Errc::connection_dropped);
  EXPECT_FALSE(ws.closed());
}

TEST(Blocking, CloseFromAnotherThreadWakesABlockedFetch) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    EXPECT_TRUE(p.sees_eof());
  });
  nws::Server s(options(peer.port()));
  auto ws = s.use_ws("w");
  std::atomic<nws::Errc> code{nws::Errc::invalid_argument};
  std::thread blocked([&] { code = code_of([&] { ws.fetch("x"); }); });
  std::this_thread::sleep_for(100ms);
  s.close();
  blocked.join();
  EXPECT_EQ(code.load(), nws::Errc::closed);
  EXPECT_TRUE(ws.closed());
  s.close();  // idempotent
  EXPECT_EQ(code_of([&] { ws.store("x", nws::Value::text("v")); }), nws::Errc::closed);
  EXPECT_EQ(code_of([&] { s.list_wss(); }), nws::Errc::closed);
}

TEST(Blocking, CloseFromTheCancelCheckItself) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetch", "w", "x"}));
    EXPECT_TRUE(p.sees_eof());
  });
  nws::Server s(options(peer.port()));
  auto ws = s.use_ws("w");
  nws::Wait wait;
  wait.slice = 5ms;
  wait.should_cancel = [&] { s.close(); return false; };
  EXPECT_EQ(code_of([&] { ws.fetch("x", wait); }), nws::Errc::closed);
}

// ---- the server going away ----

TEST(Dropped, ServerVanishingMidReply) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"fetchTry", "w", "x"}));
    p.send(long_reply(0, 1, "1", 0, "abcdef").substr(0, 50));
  });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  EXPECT_EQ(code_of([&] { ws.fetch_try("x"); }), nws::Errc::connection_dropped);
  EXPECT_EQ(code_of([&] { ws.fetch_try("x"); }), nws::Errc::connection_dropped);
}

TEST(Dropped, NoSigpipeWhenWritingToAClosedConnection) {
  fake::FakePeer peer([](PeerConn& p) { greet_and_use(p); });
  auto ws = nws::Server(options(peer.port())).use_ws("w");
  std::this_thread::sleep_for(50ms);  // the peer has closed by now
  std::string big(8 << 20, 'x');
  // Without MSG_NOSIGNAL this would kill the test process with SIGPIPE.
  EXPECT_EQ(code_of([&] { for (int i = 0; i < 4; ++i) ws.store("x", nws::Value::text(big)); }),
            nws::Errc::connection_dropped);
}

TEST(Dropped, MalformedReplyIsAProtocolError) {
  fake::FakePeer peer([](PeerConn& p) {
    greet_and_use(p);
    p.expect(request({"delete var", "w", "x"}));
    p.send("00x0");
    EXPECT_TRUE(p.sees_eof());
  });
  nws::Server s(options(peer.port()));
  auto ws = s.use_ws("w");
  EXPECT_EQ(code_of([&] { ws.delete_var("x"); }), nws::Errc::protocol);
  EXPECT_EQ(code_of([&] { ws.delete_var("x"); }), nws::Errc::connection_dropped);
  s.close();
}

}  // namespace
