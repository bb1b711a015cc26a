// Tests of score/duplicates.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/score/duplicates.hpp>

using namespace territory;

TEST_CASE("score/duplicates: name and domain normalisation") {
  CHECK(normalize_name("The ACME, Inc.") == "acme");
  CHECK(normalize_name("Acme Inc") == "acme");
  CHECK(normalize_name("ACME L.L.C.") == "acme");
  CHECK(normalize_name("Müller GmbH & Co. KG") == "m\xc3\xbcller");
  CHECK(normalize_name("Johnson & Johnson") == "johnson and johnson");
  CHECK(normalize_name("O'Reilly Media, Ltd") == "oreilly media");
  CHECK(normalize_name("  Globex   Corporation ") == "globex");
  CHECK(normalize_name("Inc") == "inc");  // a name that is only a suffix is kept
  CHECK(normalize_domain("https://WWW.Acme.com/about?x=1") == "acme.com");
  CHECK(normalize_domain("sales@acme.com") == "acme.com");
  CHECK(normalize_domain("acme.com.") == "acme.com");
  CHECK(normalize_domain("http://shop.acme.com:8080/") == "shop.acme.com");
  CHECK(detail::bounded_levenshtein("kitten", "sitting", 3) == 3);
  CHECK(detail::bounded_levenshtein("kitten", "sitting", 2) == 3);
  CHECK(detail::bounded_levenshtein("abc", "abc", 1) == 0);
  CHECK(detail::bounded_levenshtein("abcdef", "abc", 1) == 2);
}

TEST_CASE("score/duplicates: groups with reasons; free-mail domains ignored") {
  const std::vector<std::string> names{"Acme Inc", "ACME, Inc.",   "Globex Corporation", "Globexx Corp",
                                       "Initech",  "Umbrella LLC", "Soylent Green",      "Hooli"};
  const std::vector<std::string> domains{"acme.com",    "",          "globex.com",       "", "www.initech.com",
                                         "initech.com", "gmail.com", "https://gmail.com"};
  const auto r = find_duplicates(names, domains);
  REQUIRE(r.groups.size() == 3);
  CHECK(r.groups[0].members == std::vector<account_index>{0, 1});
  CHECK(has_reason(r.groups[0].reasons, duplicate_reason::same_name));
  CHECK_FALSE(has_reason(r.groups[0].reasons, duplicate_reason::same_domain));
  CHECK(r.groups[1].members == std::vector<account_index>{2, 3});
  CHECK(has_reason(r.groups[1].reasons, duplicate_reason::similar_name));
  CHECK(r.groups[2].members == std::vector<account_index>{4, 5});
  CHECK(r.groups[2].reasons == static_cast<std::uint8_t>(duplicate_reason::same_domain));
  REQUIRE(r.pairs.size() == 3);
  CHECK(r.pairs[1] == duplicate_pair{2, 3, static_cast<std::uint8_t>(duplicate_reason::similar_name), 1});
  // 6 and 7 share gmail.com: not a reason
  for (const auto& g : r.groups) CHECK(g.members.back() < 6);
  // exact names only
  const auto exact = find_duplicates(names, domains, {.max_edit_distance = 0});
  CHECK(exact.groups.size() == 2);
}

TEST_CASE("score/duplicates: blocking finds typos at either end; proximity filter") {
  const std::vector<std::string> names{"northwind traders", "morthwind traders", "northwind tradery", "contoso"};
  const auto r = find_duplicates(names, {});
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].members == std::vector<account_index>{0, 1, 2});
  Eigen::MatrixX2d where(4, 2);
  where << 41.6, -93.6, 41.6, -93.61, 34.0, -118.2, 0, 0;
  const auto near = find_duplicates(names, {}, {.coordinates = &where, .max_km = 25});
  REQUIRE(near.groups.size() == 1);
  CHECK(near.groups[0].members == std::vector<account_index>{0, 1});
  const std::vector<std::string> dom{"a.com"};
  try {
    (void)find_duplicates(names, dom);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "domains");
  }
}

TEST_CASE("score/duplicates: agrees with all-pairs comparison on random names") {
  rng r(3);
  std::vector<std::string> names;
  const std::string alphabet = "abcde";
  for (int i = 0; i < 300; ++i) {
    std::string s;
    for (int c = 0; c < 6; ++c) s += alphabet[r.below(alphabet.size())];
    names.push_back(s);
  }
  const auto got = find_duplicates(names, {}, {.max_edit_distance = 1, .min_name_length = 5});
  const auto got2 = find_duplicates(names, {}, {.max_edit_distance = 2, .min_name_length = 5});
  // all pairs at distance exactly 1 (deletion-variant blocking is complete for one edit)
  // counted between first occurrences of distinct names (repeats are chained as same_name)
  auto first = [&](std::size_t i) {
    return std::find(names.begin(), names.end(), names[i]) - names.begin() == static_cast<std::ptrdiff_t>(i);
  };
  std::size_t expected = 0;
  for (std::size_t a = 0; a < names.size(); ++a) {
    for (std::size_t b = a + 1; b < names.size(); ++b) {
      if (names[a] == names[b] || !first(a) || !first(b)) continue;
      if (detail::bounded_levenshtein(names[a], names[b], 1) == 1) {
        ++expected;
        // with 6 characters and one edit, the first or the last three agree: blocking loses nothing
        CHECK((names[a].substr(0, 3) == names[b].substr(0, 3) || names[a].substr(3) == names[b].substr(3)));
      }
    }
  }
  std::size_t similar = 0;
  for (const auto& p : got.pairs) similar += has_reason(p.reasons, duplicate_reason::similar_name) ? 1 : 0;
  CHECK(similar == expected);
  // prefix/suffix blocking for distance 2 (all accounts, not representatives) finds every
  // distance-1 pair between distinct names here too
  std::size_t within1 = 0;
  for (const auto& p : got2.pairs) within1 += (p.name_distance == 1 && first(p.a) && first(p.b)) ? 1 : 0;
  CHECK(within1 == expected);
}

TEST_CASE("score/duplicates: one-edit matching is complete, including edits at both ends of short names") {
  const std::vector<std::string> names{"abcde", "xbcde", "abcdx", "abcd", "bcde", "abcdef", "zzzzz"};
  const auto r = find_duplicates(names, {}, {.min_name_length = 4});
  // every pair among the first six within one edit, found without comparing all pairs
  std::size_t expected = 0;
  for (std::size_t a = 0; a < names.size(); ++a) {
    for (std::size_t b = a + 1; b < names.size(); ++b) {
      if (detail::bounded_levenshtein(names[a], names[b], 1) == 1) ++expected;
    }
  }
  CHECK(r.pairs.size() == expected);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].members.size() == 6);
}
