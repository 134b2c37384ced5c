// SCRAM-SHA-256 against RFC 7677's example exchange, and the secret layout.
#include <gtest/gtest.h>

#include "security/scram.hpp"

namespace nws::security {
namespace {

// RFC 7677 §3: user "user", password "pencil".
constexpr const char* kClientNonce = "rOprNGfwEbeRWgbNEkqO";
constexpr const char* kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

TEST(Scram, ClientMatchesRfc7677) {
  ScramClient c("user", "pencil", kClientNonce);
  EXPECT_EQ(c.first(), std::string("n,,n=user,r=") + kClientNonce);
  EXPECT_EQ(c.final(kServerFirst), kClientFinal);
  EXPECT_TRUE(c.server_verified(kServerFinal));
  EXPECT_FALSE(c.server_verified("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
}

TEST(Scram, ServerAcceptsTheRightPasswordOnly) {
  ScramSecret secret = make_scram_secret("pencil");
  auto lookup = [&](std::string_view u) -> std::optional<ScramSecret> {
    if (u == "user") return secret;
    return std::nullopt;
  };
  for (const char* password : {"pencil", "pencil2", ""}) {
    ScramServer server(lookup, "fake-key");
    ScramClient client("user", password);
    auto challenge = server.first(client.first());
    ASSERT_TRUE(challenge);
    auto verdict = server.final(client.final(*challenge));
    EXPECT_EQ(verdict.has_value(), std::string(password) == "pencil") << password;
    if (verdict) {
      EXPECT_TRUE(client.server_verified(*verdict));
      EXPECT_EQ(server.user(), "user");
    }
  }
}

TEST(Scram, UnknownUserLooksLikeAKnownOneUntilTheEnd) {
  auto lookup = [](std::string_view) -> std::optional<ScramSecret> { return std::nullopt; };
  ScramServer a(lookup, "k"), b(lookup, "k");
  ScramClient ca("ghost", "x"), cb("ghost", "y");
  auto first_a = a.first(ca.first()), first_b = b.first(cb.first());
  ASSERT_TRUE(first_a && first_b);
  // The same salt and count on every try, as for a real user.
  EXPECT_EQ(first_a->substr(first_a->find(",s=")), first_b->substr(first_b->find(",s=")));
  EXPECT_FALSE(a.final(ca.final(*first_a)));
}

TEST(Scram, MalformedMessagesAreRefused) {
  auto lookup = [](std::string_view) -> std::optional<ScramSecret> { return make_scram_secret("p"); };
  for (const char* bad : {"", "n,,", "p=tls-unique,,n=u,r=x", "n,,r=x,n=u", "n,,n=,r=abc", "n,,n=u=ZZ,r=abc",
                          "n,,n=u,r=a b"}) {
    ScramServer s(lookup, "k");
    EXPECT_FALSE(s.first(bad)) << bad;
  }
  ScramServer s(lookup, "k");
  auto challenge = s.first("n,,n=u,r=abc");
  ASSERT_TRUE(challenge);
  EXPECT_FALSE(s.final("c=biws,r=wrongnonce,p=AAAA"));
  EXPECT_FALSE(s.final("c=biws,r=abc,p=AAAA"));  // one final per exchange
  ScramClient c("u", "p");
  EXPECT_THROW(c.final("garbage"), std::runtime_error);
}

TEST(Scram, SecretLayoutRoundTrips) {
  ScramSecret s = make_scram_secret("correct horse");
  std::string text = format_scram_secret(s);
  EXPECT_EQ(text.rfind("SCRAM-SHA-256$4096:", 0), 0u) << text;
  auto back = parse_scram_secret(text);
  ASSERT_TRUE(back);
  EXPECT_TRUE(verify_password(*back, "correct horse"));
  EXPECT_FALSE(verify_password(*back, "correct horsf"));
  for (const char* bad : {"", "SCRAM-SHA-256$", "SCRAM-SHA-1$4096:c2FsdA==$AAAA:AAAA", "SCRAM-SHA-256$x:c2FsdA==$a:b",
                          "SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:c2hvcnQ="})
    EXPECT_FALSE(parse_scram_secret(bad)) << bad;
}

}  // namespace
}  // namespace nws::security
