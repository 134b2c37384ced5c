// The portable codec on its own: every kind round-trips exactly, random
// value trees round-trip, every truncation and random corruption of an
// encoding is an Error (never a crash), and a writer used wrongly says how.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "nws/error.hpp"
#include "nws/portable.hpp"

namespace p = nws::portable;
using p::Element;
using p::Kind;

namespace {

std::uint64_t bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// A value tree of our own, to generate, write and compare with what decode gives.
struct Tree {
  Kind kind = Kind::null;
  bool flag = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
  Element element{};
  std::string packed;                   // numeric vector data
  std::vector<std::uint8_t> missing;    // bitmap, empty if none
  std::vector<Tree> items;
  std::vector<std::string> keys;
  std::size_t rows = 0;
};

void write(p::Writer& w, const Tree& t) {
  switch (t.kind) {
    case Kind::null: w.null(); break;
    case Kind::boolean: w.boolean(t.flag); break;
    case Kind::integer: w.integer(t.integer); break;
    case Kind::real: w.real(t.real); break;
    case Kind::string: w.string(t.text); break;
    case Kind::bytes: w.bytes(t.text); break;
    case Kind::timestamp: w.timestamp(t.integer); break;
    case Kind::list:
      w.list(t.items.size());
      for (const auto& i : t.items) write(w, i);
      break;
    case Kind::map:
      w.map(t.items.size());
      for (std::size_t i = 0; i < t.items.size(); ++i) {
        w.key(t.keys[i]);
        write(w, t.items[i]);
      }
      break;
    case Kind::vector:
      if (t.element == Element::string) {
        w.string_vector(t.items.size());
        for (const auto& i : t.items) i.kind == Kind::null ? w.null() : w.string(i.text);
      } else {
        const std::size_t n = t.packed.size() / p::element_width(t.element);
        w.vector(t.element, n, t.packed.data(), t.missing.empty() ? nullptr : t.missing.data());
      }
      break;
    case Kind::table:
      w.table(t.items.size(), t.rows);
      for (std::size_t i = 0; i < t.items.size(); ++i) {
        w.key(t.keys[i]);
        write(w, t.items[i]);
      }
      break;
  }
}

void expect_same(const Tree& t, const p::Node& n, const std::string& where) {
  ASSERT_EQ(static_cast<int>(t.kind), static_cast<int>(n.kind)) << where;
  switch (t.kind) {
    case Kind::boolean: EXPECT_EQ(t.flag, n.flag) << where; break;
    case Kind::integer:
    case Kind::timestamp: EXPECT_EQ(t.integer, n.integer) << where; break;
    case Kind::real: EXPECT_EQ(bits(t.real), bits(n.real)) << where; break;
    case Kind::string:
    case Kind::bytes: EXPECT_EQ(t.text, n.text) << where; break;
    case Kind::list:
    case Kind::map:
    case Kind::table:
      ASSERT_EQ(t.items.size(), n.items.size()) << where;
      for (std::size_t i = 0; i < t.keys.size(); ++i) EXPECT_EQ(t.keys[i], n.keys[i]) << where;
      if (t.kind == Kind::table) EXPECT_EQ(t.rows, n.count) << where;
      for (std::size_t i = 0; i < t.items.size(); ++i) expect_same(t.items[i], n.items[i], where + "/" + std::to_string(i));
      break;
    case Kind::vector:
      ASSERT_EQ(static_cast<int>(t.element), static_cast<int>(n.element)) << where;
      if (t.element == Element::string) {
        ASSERT_EQ(t.items.size(), n.count) << where;
        for (std::size_t i = 0; i < t.items.size(); ++i) expect_same(t.items[i], n.items[i], where + "[" + std::to_string(i) + "]");
      } else {
        EXPECT_EQ(t.packed, n.text) << where;
        EXPECT_EQ(std::string(t.missing.begin(), t.missing.end()), n.missing) << where;
      }
      break;
    case Kind::null: break;
  }
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  Tree any(int depth) {
    const int choice = pick(depth > 3 ? 7 : 11);
    Tree t;
    switch (choice) {
      case 0: break;
      case 1: t.kind = Kind::boolean; t.flag = pick(2); break;
      case 2: t.kind = Kind::integer; t.integer = integer(); break;
      case 3: t.kind = Kind::real; t.real = real(); break;
      case 4: t.kind = Kind::string; t.text = utf8(); break;
      case 5: t.kind = Kind::bytes; t.text = raw(); break;
      case 6: t.kind = Kind::timestamp; t.integer = integer(); break;
      case 7: {
        t.kind = Kind::list;
        for (int i = pick(5); i > 0; --i) t.items.push_back(any(depth + 1));
        break;
      }
      case 8: {
        t.kind = Kind::map;
        for (int i = pick(5); i > 0; --i) {
          t.keys.push_back("k" + std::to_string(i) + utf8());
          t.items.push_back(any(depth + 1));
        }
        break;
      }
      case 9: t = vector(static_cast<std::size_t>(pick(40))); break;
      case 10: {
        t.kind = Kind::table;
        t.rows = static_cast<std::size_t>(pick(10));
        for (int i = pick(4); i > 0; --i) {
          t.keys.push_back("c" + std::to_string(i));
          t.items.push_back(vector(t.rows));
        }
        break;
      }
    }
    return t;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::int64_t integer() {
    switch (pick(4)) {
      case 0: return pick(256) - 128;
      case 1: return std::numeric_limits<std::int64_t>::min();
      case 2: return std::numeric_limits<std::int64_t>::max();
      default: return static_cast<std::int64_t>(rng_());
    }
  }
  double real() {
    static const double specials[] = {std::nan(""), std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(), -0.0, 5e-324, 1e308};
    if (pick(3) == 0) return specials[pick(6)];
    std::uint64_t b = rng_();
    double d;
    std::memcpy(&d, &b, 8);  // any bit pattern, NaN payloads included
    return d;
  }
  std::string utf8() {
    static const char* pieces[] = {"a", "é", "✓", "你", "😀", "", " ", "\t"};
    std::string s;
    for (int i = pick(6); i > 0; --i) s += pieces[pick(8)];
    return s;
  }
  std::string raw() {
    std::string s;
    for (int i = pick(20); i > 0; --i) s += static_cast<char>(pick(256));
    return s;
  }
  Tree vector(std::size_t n) {
    Tree t;
    t.kind = Kind::vector;
    t.element = static_cast<Element>(1 + pick(6));
    if (t.element == Element::string) {
      for (std::size_t i = 0; i < n; ++i) {
        Tree e;
        if (pick(5)) {
          e.kind = Kind::string;
          e.text = utf8();
        }
        t.items.push_back(e);
      }
      return t;
    }
    const std::size_t width = p::element_width(t.element);
    for (std::size_t i = 0; i < n; ++i) {
      if (t.element == Element::boolean) {
        t.packed += static_cast<char>(pick(2));
      } else {
        std::uint64_t b = rng_();
        t.packed.append(reinterpret_cast<const char*>(&b), width);
      }
    }
    if (pick(2)) {
      t.missing.assign((n + 7) / 8, 0);
      for (std::size_t i = 0; i < n; ++i)
        if (pick(4) == 0) t.missing[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    }
    return t;
  }
  std::mt19937_64 rng_;
};

std::string encode(const Tree& t) {
  p::Writer w;
  write(w, t);
  return w.finish();
}

void expect_serialisation_error(std::string_view bytes, const std::string& where) {
  try {
    (void)p::decode(bytes);
    ADD_FAILURE() << where << ": decoded";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::serialisation) << where;
  }
}

}  // namespace

TEST(Portable, ScalarsRoundTripExactly) {
  const double specials[] = {std::nan(""), -std::nan(""), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), -0.0, 0.0, 5e-324, 3.25};
  for (double d : specials) {
    p::Writer w;
    w.real(d);
    const std::string bytes = w.finish();
    const auto n = p::decode(bytes);
    EXPECT_EQ(n.kind, Kind::real);
    EXPECT_EQ(bits(d), bits(n.real));
  }
  for (std::int64_t i : {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1}, std::int64_t{0}, std::int64_t{127},
                         std::int64_t{1} << 40, std::numeric_limits<std::int64_t>::max()}) {
    p::Writer w;
    w.integer(i);
    const std::string bytes = w.finish();
    EXPECT_EQ(p::decode(bytes).integer, i);
  }
  for (std::int64_t ts : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1796572474123456789}, std::int64_t{-1'500'000'000}}) {
    p::Writer w;
    w.timestamp(ts);
    const std::string bytes = w.finish();
    const auto n = p::decode(bytes);
    EXPECT_EQ(n.kind, Kind::timestamp);
    EXPECT_EQ(n.integer, ts);
  }
}

TEST(Portable, ValuesStartWithTheMarkerAndCarryTheFlag) {
  p::Writer w;
  w.null();
  const std::string bytes = w.finish();
  EXPECT_EQ(bytes, std::string("\xC1NP\x01\xC0", 5));
  const auto d = p::descriptor_for(nws::Language::python);
  EXPECT_TRUE(p::is_portable(d));
  EXPECT_EQ(nws::descriptor::language_of(d), static_cast<std::uint8_t>(nws::Language::python));
  EXPECT_FALSE(p::is_portable(nws::descriptor::make(nws::Language::python, false, false)));
  EXPECT_FALSE(p::is_portable(d | nws::descriptor::direct_string));  // a string is a string
}

TEST(Portable, PackedVectorsPointIntoTheBytes) {
  std::vector<double> xs(1000);
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<double>(i) / 3;
  std::uint8_t missing[125] = {};
  missing[1] = 0x80;  // element 15
  p::Writer w;
  w.vector(Element::float64, xs.size(), xs.data(), missing);
  const std::string bytes = w.finish();
  const auto n = p::decode(bytes);
  ASSERT_EQ(n.kind, Kind::vector);
  EXPECT_EQ(n.element, Element::float64);
  ASSERT_EQ(n.count, xs.size());
  EXPECT_GE(n.text.data(), bytes.data());
  EXPECT_LE(n.text.data() + n.text.size(), bytes.data() + bytes.size());
  for (std::size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(n.element_at<double>(i), xs[i]);
  for (std::size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(n.is_missing(i), i == 15) << i;
}

TEST(Portable, TablesKeepColumnsInOrder) {
  p::Writer w;
  w.table(3, 2);
  w.key("x");
  const double xs[] = {1.5, 2.5};
  w.vector(Element::float64, 2, xs);
  w.key("s");
  w.string_vector(2);
  w.string("a");
  w.null();
  w.key("empty_strings");
  w.string_vector(2);
  w.string("");
  w.string("");
  const std::string bytes = w.finish();
  const auto n = p::decode(bytes);
  ASSERT_EQ(n.kind, Kind::table);
  EXPECT_EQ(n.count, 2u);
  ASSERT_EQ(n.keys.size(), 3u);
  EXPECT_EQ(n.keys[0], "x");
  EXPECT_EQ(n.keys[1], "s");
  EXPECT_EQ(n.items[1].items[0].text, "a");
  EXPECT_EQ(n.items[1].items[1].kind, Kind::null);
  EXPECT_EQ(p::describe(bytes), "table of 3 columns x 2 rows");
}

TEST(Portable, RandomTreesRoundTrip) {
  Generator gen(20261206);
  for (int i = 0; i < 3000; ++i) {
    const Tree t = gen.any(0);
    const std::string bytes = encode(t);
    expect_same(t, p::decode(bytes), "tree " + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST(Portable, EveryTruncationIsAnError) {
  Generator gen(7);
  for (int i = 0; i < 200; ++i) {
    const std::string bytes = encode(gen.any(0));
    for (std::size_t cut = 0; cut < bytes.size(); ++cut)
      expect_serialisation_error(std::string_view(bytes).substr(0, cut), "tree " + std::to_string(i) + " cut at " + std::to_string(cut));
  }
}

TEST(Portable, CorruptedBytesNeverCrash) {
  Generator gen(11);
  std::mt19937 rng(3);
  int decoded = 0, refused = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = encode(gen.any(0));
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k)
      bytes[4 + rng() % (bytes.size() - 4)] = static_cast<char>(rng());
    try {
      const auto n = p::decode(bytes);
      (void)n;
      ++decoded;
    } catch (const nws::Error& e) {
      EXPECT_EQ(e.code(), nws::Errc::serialisation);
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);  // corruption is seen, not only survived
}

TEST(Portable, HostileEncodingsAreRefusedClearly) {
  const auto refuse = [](std::string body, const std::string& says) {
    const std::string bytes = std::string("\xC1NP\x01", 4) + body;
    try {
      (void)p::decode(bytes);
      ADD_FAILURE() << says << ": decoded";
    } catch (const nws::Error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refuse(std::string("\xDD\xFF\xFF\xFF\xFF", 5), "more elements than");                  // array of 2^32-1, no elements
  refuse(std::string("\xA2\xC3\x28", 3), "not UTF-8");                          // invalid str
  refuse(std::string("\x82\xA1" "a\x01\xA1" "a\x02", 7), "duplicate map key");
  refuse(std::string("\x81\x01\x02", 3), "map key that is not a string");
  refuse(std::string("\xD4\x07\x00", 3), "unknown extension type 7");
  refuse(std::string("\xC0\xC0", 2), "after its end");
  refuse(std::string("\xCF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 9), "beyond int64");
  // A vector claiming 2^61 float64s in 16 bytes.
  std::string v("\xC7\x10\x01\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20", 19);
  refuse(v, "vector of");
  refuse(std::string(300, '\x91') + "\xC0", "deeper");
  EXPECT_THROW((void)p::decode("not portable"), nws::Error);
}

TEST(Portable, AWriterUsedWronglySaysHow) {
  const auto says = [](auto&& f, const std::string& what) {
    p::Writer w;
    try {
      f(w);
      (void)w.finish();
      ADD_FAILURE() << what << ": accepted";
    } catch (const nws::Error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  says([](p::Writer& w) { w.list(3); w.null(); }, "still expects 2 more values");
  says([](p::Writer& w) { w.map(1); w.null(); }, "expects a key");
  says([](p::Writer& w) { w.string("\xFF"); }, "not valid UTF-8");
  says([](p::Writer& w) { w.null(); w.null(); }, "after the whole value");
  says([](p::Writer& w) { w.table(1, 2); w.key("c"); w.integer(1); }, "column must be a vector");
  says([](p::Writer& w) { w.table(1, 2); w.key("c"); const double x = 1; w.vector(Element::float64, 1, &x); }, "in a table of 2 rows");
  says([](p::Writer& w) { w.string_vector(1); w.integer(1); }, "in a vector of strings");
  says([](p::Writer&) {}, "no value");
}
