// The packed value store: order, positions, chunk boundaries, and that every
// blob reference and metadata it holds is released exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "engine/value_queue.hpp"

namespace nws::engine {
namespace {

IncomingValue text(const std::string& s, std::uint64_t descriptor = 0x01000001) {
  IncomingValue v;
  v.descriptor = descriptor;
  v.bytes = s;
  return v;
}

TEST(ValueQueue, KeepsOrderAcrossManyChunks) {
  ValueQueue q;
  std::vector<std::string> values;
  for (int i = 0; i < 5000; ++i) values.push_back("value-" + std::to_string(i));
  for (auto& s : values) q.push_back(text(s, static_cast<std::uint64_t>(s.size())));
  ASSERT_EQ(q.size(), values.size());
  EXPECT_EQ(q.at(1234).bytes, "value-1234");
  EXPECT_EQ(q.back().bytes, "value-4999");
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(q.front().bytes, values[i]);
    ASSERT_EQ(q.front().descriptor, values[i].size());
    q.pop_front();
  }
  EXPECT_TRUE(q.empty());
}

TEST(ValueQueue, PopBackIsLifoAcrossChunks) {
  ValueQueue q;
  for (int i = 0; i < 3000; ++i) q.push_back(text(std::to_string(i)));
  for (int i = 2999; i >= 0; --i) {
    ASSERT_EQ(q.back().bytes, std::to_string(i));
    q.pop_back();
  }
  EXPECT_TRUE(q.empty());
  q.push_back(text("again"));
  EXPECT_EQ(q.front().bytes, "again");
}

TEST(ValueQueue, MixedFrontAndBackKeepPositions) {
  ValueQueue q;
  for (int i = 0; i < 10; ++i) q.push_back(text(std::to_string(i)));
  q.pop_front();
  q.pop_back();
  EXPECT_EQ(q.size(), 8u);
  EXPECT_EQ(q.front().bytes, "1");
  EXPECT_EQ(q.at(7).bytes, "8");
  EXPECT_EQ(q.back().bytes, "8");
}

TEST(ValueQueue, EmptyAndPackedBoundaryValues) {
  ValueQueue q;
  std::string at_limit(ValueQueue::kPackedMax, 'a');
  std::string over_limit(ValueQueue::kPackedMax + 1, 'b');
  q.push_back(text(""));
  q.push_back(text(at_limit));
  q.push_back(text(over_limit));
  EXPECT_EQ(q.at(0).bytes, "");
  EXPECT_EQ(q.at(1).bytes, at_limit);
  EXPECT_EQ(q.at(1).blob, nullptr) << "values up to the limit are packed";
  EXPECT_EQ(q.at(2).bytes, over_limit);
  EXPECT_NE(q.at(2).blob, nullptr) << "larger values are kept as blobs";
}

TEST(ValueQueue, BlobIsSharedNotCopiedAndReleasedOnPop) {
  proto::BlobRef blob = proto::Blob::copy_of(std::string(5000, 'z'));
  ValueQueue q;
  IncomingValue v;
  v.blob = blob;
  v.bytes = blob.view();
  q.push_back(std::move(v));
  EXPECT_EQ(blob.use_count(), 2u);
  EXPECT_EQ(q.front().bytes.data(), blob->data()) << "the queue holds the same bytes";
  q.pop_front();
  EXPECT_EQ(blob.use_count(), 1u);
}

TEST(ValueQueue, ClearAndDestructionReleaseEverything) {
  proto::BlobRef blob = proto::Blob::copy_of(std::string(4000, 'y'));
  auto meta = std::make_shared<const proto::Dict>(proto::Dict{{"batchId", "3"}});
  {
    ValueQueue q;
    for (int i = 0; i < 100; ++i) {
      IncomingValue v;
      v.blob = blob;
      v.bytes = blob.view();
      v.metadata = meta;
      q.push_back(std::move(v));
      q.push_back(text("small"));
    }
    EXPECT_EQ(blob.use_count(), 101u);
    EXPECT_EQ(meta.use_count(), 101);
    ASSERT_NE(q.front().metadata, nullptr);
    EXPECT_EQ(q.front().metadata->get("batchId"), std::optional<std::string_view>("3"));
    EXPECT_EQ(q.at(1).metadata, nullptr);
    q.clear();
    EXPECT_EQ(blob.use_count(), 1u);
    EXPECT_EQ(meta.use_count(), 1);
    for (int i = 0; i < 10; ++i) {
      IncomingValue v;
      v.blob = blob;
      v.bytes = blob.view();
      v.metadata = meta;
      q.push_back(std::move(v));
    }
  }
  EXPECT_EQ(blob.use_count(), 1u);
  EXPECT_EQ(meta.use_count(), 1);
}

}  // namespace
}  // namespace nws::engine

namespace nws::engine {
namespace {

// The server's memory and spool quotas read these counters: they must come
// back to zero whatever order the values leave in.
TEST(ValueQueueHoldings, CountChunksAndBlobsAndGiveThemBack) {
  Holdings h;
  {
    ValueQueue q(&h);
    q.push_back(text("small"));
    EXPECT_EQ(h.memory, 4096u);  // one chunk holds the packed value
    const std::string big_bytes(5000, 'b');  // over kPackedMax: a heap blob of its own
    IncomingValue big;
    big.bytes = big_bytes;
    q.push_back(std::move(big));
    EXPECT_EQ(h.memory, 4096u + 5000u);
    EXPECT_EQ(h.spool, 0u);
    q.pop_front();
    EXPECT_EQ(h.memory, 4096u + 5000u);  // the chunk still holds the blob's entry
    q.pop_back();
    EXPECT_EQ(h.memory, 0u);
    for (int i = 0; i < 3000; ++i) q.push_back(text("value " + std::to_string(i)));
    EXPECT_GT(h.memory, 4096u);
  }
  EXPECT_EQ(h.memory, 0u);  // clear() on destruction
}

}  // namespace
}  // namespace nws::engine

namespace nws::engine {
namespace {

// Positions (at, visit) against a plain deque through random pushes of
// every size at both ends (values back from leases go to the front) and
// pops at both ends: the chunks' numbering stays exact.
TEST(ValueQueuePositions, AtAndVisitMatchAPlainDequeThroughRandomChanges) {
  std::mt19937 rng(20261206);
  ValueQueue q;
  std::deque<std::string> model;
  for (int step = 0; step < 40000; ++step) {
    const unsigned op = rng() % 11;
    if (op < 6 || model.empty() || op == 10) {
      std::string v(rng() % 3 == 0 ? rng() % 2000 : rng() % 40, static_cast<char>('a' + step % 26));
      v += std::to_string(step);
      IncomingValue in;
      in.descriptor = 1;
      in.bytes = v;
      if (op == 10) {
        q.push_front(std::move(in));
        model.push_front(v);
      } else {
        q.push_back(std::move(in));
        model.push_back(v);
      }
    } else if (op < 8) {
      q.pop_front();
      model.pop_front();
    } else {
      q.pop_back();
      model.pop_back();
    }
    if (step % 997 == 0 || model.size() < 3) {
      ASSERT_EQ(q.size(), model.size());
      for (std::size_t i = 0; i < model.size(); i += 1 + model.size() / 50)
        ASSERT_EQ(q.at(i).bytes, model[i]) << "position " << i << " at step " << step;
      if (!model.empty()) {
        const std::size_t from = rng() % model.size();
        std::size_t seen = 0;
        q.visit(from, 120, [&](std::size_t pos, const ValueView& v) {
          ASSERT_EQ(pos, from + seen);
          ASSERT_EQ(v.bytes, model[pos]);
          ++seen;
        });
        EXPECT_EQ(seen, std::min<std::size_t>(120, model.size() - from));
      }
    }
  }
}

TEST(ValueQueuePositions, VisitPastTheEndOrEmptyCallsNothing) {
  ValueQueue q;
  int calls = 0;
  q.visit(0, 10, [&](std::size_t, const ValueView&) { ++calls; });
  IncomingValue in;
  in.bytes = "x";
  q.push_back(std::move(in));
  q.visit(1, 10, [&](std::size_t, const ValueView&) { ++calls; });
  q.visit(0, 0, [&](std::size_t, const ValueView&) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(q.at(1).bytes.empty());
  EXPECT_EQ(q.at(0).bytes, "x");
}

}  // namespace
}  // namespace nws::engine
