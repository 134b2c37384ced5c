// Blob: the one shared copy of a value; spool blobs own their file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "protocol/blob.hpp"
#include "protocol/request_decoder.hpp"

namespace {

using nws::proto::Blob;
using nws::proto::BlobRef;

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// A fresh file in a private temporary directory, removed with the fixture.
class SpoolFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "nws_blob_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/value";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  void write(const std::string& content) {
    std::ofstream f(path_, std::ios::binary);
    f << content;
  }
  std::string dir_, path_;
};

TEST(BlobCopy, HoldsACopyOfTheBytes) {
  std::string source("bytes\0with nul", 14);
  BlobRef b = Blob::copy_of(source);
  source[0] = 'X';
  ASSERT_TRUE(b);
  EXPECT_EQ(b.view(), std::string_view("bytes\0with nul", 14));
  EXPECT_EQ(b.size(), 14u);
  EXPECT_FALSE(b->spooled());
  EXPECT_EQ(b.use_count(), 1u);
}

TEST(BlobCopy, EmptyBlobIsAValidRef) {
  BlobRef b = Blob::copy_of("");
  ASSERT_TRUE(b);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(b.view().empty());
}

TEST(BlobWithSize, IsFilledThroughWritableData) {
  BlobRef b = Blob::with_size(5);
  std::memcpy(b.get()->writable_data(), "hello", 5);
  EXPECT_EQ(b.view(), "hello");
  // Inline bytes are suitably aligned for any type.
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b->data()) % alignof(std::max_align_t), 0u);
}

TEST(BlobRefCounting, CopiesShareMovesTransfer) {
  BlobRef a = Blob::copy_of("shared");
  {
    BlobRef b = a;
    EXPECT_EQ(a.use_count(), 2u);
    EXPECT_EQ(b.get(), a.get());
    BlobRef c = std::move(b);
    EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move): moved-from is documented empty
    EXPECT_EQ(a.use_count(), 2u);
    BlobRef d;
    d = c;
    EXPECT_EQ(a.use_count(), 3u);
  }
  EXPECT_EQ(a.use_count(), 1u);
  a = BlobRef{};
  EXPECT_FALSE(a);
  EXPECT_EQ(a.use_count(), 0u);
  EXPECT_TRUE(a.view().empty());
  EXPECT_EQ(a.size(), 0u);
}

TEST(BlobRefCounting, SelfAssignmentKeepsTheBlob) {
  BlobRef a = Blob::copy_of("me");
  BlobRef& alias = a;
  a = alias;
  EXPECT_EQ(a.use_count(), 1u);
  EXPECT_EQ(a.view(), "me");
}

TEST_F(SpoolFile, MapsTheFileContent) {
  const std::string content = "spooled content\n\0\xff";
  write(content);
  BlobRef b = Blob::map_spool_file(path_, content.size());
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->spooled());
  EXPECT_EQ(b.view(), content);
}

TEST_F(SpoolFile, FileIsUnlinkedWhenTheLastRefGoes) {
  write("abc");
  BlobRef a = Blob::map_spool_file(path_, 3);
  ASSERT_TRUE(a);
  BlobRef b = a;
  a = BlobRef{};
  EXPECT_TRUE(exists(path_)) << "a reference is still alive";
  EXPECT_EQ(b.view(), "abc");
  b = BlobRef{};
  EXPECT_FALSE(exists(path_));
}

TEST_F(SpoolFile, EmptyFileMapsToAnEmptyBlobAndIsStillUnlinked) {
  write("");
  {
    BlobRef b = Blob::map_spool_file(path_, 0);
    ASSERT_TRUE(b);
    EXPECT_EQ(b.size(), 0u);
    EXPECT_TRUE(b->spooled());
  }
  EXPECT_FALSE(exists(path_));
}

TEST_F(SpoolFile, MissingFileGivesAnEmptyRef) {
  EXPECT_FALSE(Blob::map_spool_file(dir_ + "/absent", 10));
}

TEST(ArgTakeBlob, InlineArgBufferIsAdoptedSpooledArgIsShared) {
  nws::proto::Arg small;
  small.bytes = std::string(100, 'v');
  const char* buffer = small.bytes.data();
  BlobRef b = small.take_blob();
  EXPECT_EQ(b.view(), std::string(100, 'v'));
  EXPECT_EQ(b->data(), buffer) << "the decoder's buffer is taken over, not copied";
  EXPECT_EQ(b.use_count(), 1u);

  nws::proto::Arg big;
  big.blob = Blob::copy_of("from the spool");
  BlobRef shared = big.take_blob();
  EXPECT_EQ(shared.get(), big.blob.get());
  EXPECT_EQ(big.blob.use_count(), 2u);
  EXPECT_EQ(big.view(), "from the spool");
  EXPECT_EQ(big.size(), 14u);
}

}  // namespace
