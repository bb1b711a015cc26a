// Tests of score/score_accounts.hpp, score/scoring_policy.hpp, score/normalizer.hpp and score/tier.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <territory/core/account_table.hpp>
#include <territory/score/score_accounts.hpp>
#include <territory/score/tier.hpp>

using namespace territory;

namespace {

scoring_policy single(normalizer how) { return {.criteria = {{"x", 1.0, how}}}; }

Eigen::MatrixXd column(std::vector<double> v) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(v.size()), 1);
  for (std::size_t i = 0; i < v.size(); ++i) m(static_cast<Eigen::Index>(i), 0) = v[i];
  return m;
}

}  // namespace

TEST_CASE("score/score_accounts: the default sales-ops policy, computed by hand") {
  const scoring_policy def{};
  REQUIRE(def.criteria.size() == 4);
  CHECK(def.criteria[0].name == "revenue_potential");
  CHECK(def.criteria[0].weight == 0.40);
  CHECK(def.criteria[1].weight == 0.25);
  CHECK(def.criteria[2].weight == 0.20);
  CHECK(def.criteria[3].weight == 0.15);
  Eigen::MatrixXd m(3, 4);
  m << 0, 10, 5, 1,  //
      50, 20, 5, 3,  //
      100, 30, 5, 2;
  const auto r = score_accounts(m);
  CHECK(r.score(0) == doctest::Approx(10.0));  // 0.2·50 (constant complexity → 50)
  CHECK(r.score(1) == doctest::Approx(57.5));  // 0.4·50 + 0.25·50 + 0.2·50 + 0.15·100
  CHECK(r.score(2) == doctest::Approx(82.5));  // 0.4·100 + 0.25·100 + 0.2·50 + 0.15·50
  CHECK(r.normalized(1, 3) == doctest::Approx(100.0));
  CHECK(r.missing_values == 0);
  CHECK(r.filled.empty());
}

TEST_CASE("score/normalizer: percentile rank, clipped z-score, identity") {
  const auto pr = score_accounts(column({10, 20, 20, 40}), single(normalizer::percentile_rank));
  CHECK(pr.score(0) == doctest::Approx(0.0));
  CHECK(pr.score(1) == doctest::Approx(50.0));
  CHECK(pr.score(2) == doctest::Approx(50.0));
  CHECK(pr.score(3) == doctest::Approx(100.0));
  const auto z = score_accounts(column({1, 2, 3}), single(normalizer::z_score));
  const double z1 = 1.0 / std::sqrt(2.0 / 3.0);
  CHECK(z.score(0) == doctest::Approx(50 - 50 * z1 / 3));
  CHECK(z.score(1) == doctest::Approx(50.0));
  CHECK(z.score(2) == doctest::Approx(50 + 50 * z1 / 3));
  // an outlier is clipped at +/- z_clip
  std::vector<double> v(100, 0.0);
  v[0] = 1000;
  auto pol = single(normalizer::z_score);
  pol.z_clip = 2.0;
  const auto zc = score_accounts(column(v), pol);
  CHECK(zc.score(0) == doctest::Approx(100.0));
  CHECK(zc.score(1) > 45.0);
  const auto id = score_accounts(column({0, 55.5, 100}), single(normalizer::identity));
  CHECK(id.score(1) == 55.5);
  try {
    (void)score_accounts(column({0, 101}), single(normalizer::identity));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "criteria.x");
    CHECK(e.index() == 1);
  }
  const auto constant = score_accounts(column({7, 7}), single(normalizer::min_max));
  CHECK(constant.score(0) == 50.0);
}

TEST_CASE("score/score_accounts: weights are checked, naming the field") {
  scoring_policy p{};
  p.criteria[0].weight = 0.39;  // sums to 0.99
  try {
    (void)score_accounts(Eigen::MatrixXd::Zero(2, 4), p);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::invalid_parameter);
    CHECK(e.field() == "weights");
    CHECK(std::string(e.what()) ==
          "[territory.invalid_parameter] score_accounts(): weights sum to 0.990000, expected 1 (within 1e-9)");
  }
  p.criteria[0].weight = 0.40 + 1e-12;  // within 1e-9
  CHECK_NOTHROW((void)score_accounts(Eigen::MatrixXd::Zero(2, 4), p));
  scoring_policy neg{.criteria = {{"a", 1.5, normalizer::min_max}, {"b", -0.5, normalizer::min_max}}};
  try {
    (void)score_accounts(Eigen::MatrixXd::Zero(2, 2), neg);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.field() == "weights");
    CHECK(e.index() == 1);
    CHECK(e.id() == "b");
  }
  try {
    (void)score_accounts(Eigen::MatrixXd::Zero(2, 3));
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "criteria");
  }
}

TEST_CASE("score/score_accounts: missing values - reject names the account") {
  std::vector<std::string> ids{"acme", "globex", "initech"};
  account_table t(ids, Eigen::MatrixX2d::Zero(3, 2));
  t.add_activity("revenue_potential", Eigen::Vector3d(1, 2, 3));
  t.add_activity("strategic_value", Eigen::Vector3d(1, std::nan(""), 3));
  t.add_activity("complexity", Eigen::Vector3d(1, 2, 3));
  t.add_activity("growth", Eigen::Vector3d(1, 2, 3));
  try {
    (void)score_accounts(t);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.field() == "criteria.strategic_value");
    CHECK(e.index() == 1);
    CHECK(e.id() == "globex");
    CHECK(std::string(e.what()) ==
          "[territory.non_finite] score_accounts(): account 'globex' has no value for strategic_value "
          "(missing_policy::reject)");
  }
  scoring_policy bad{};
  bad.criteria[3].name = "churn";
  try {
    (void)score_accounts(t, bad);
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::missing_column);
    CHECK(e.id() == "churn");
  }
}

TEST_CASE("score/score_accounts: missing values - segment median and zero") {
  const std::vector<std::string> seg{"smb", "smb", "smb", "ent", "ent", "ent"};
  const auto m = column({10, std::nan(""), 30, 80, 90, std::nan("")});
  scoring_policy p = single(normalizer::identity);
  p.missing = missing_policy::impute_segment_median;
  const auto r = score_accounts(m, p, {.segments = seg});
  CHECK(r.score(1) == 20.0);  // median of smb {10, 30}
  CHECK(r.score(5) == 85.0);  // median of ent {80, 90}
  CHECK(r.missing_values == 2);
  CHECK(r.filled == std::vector<account_index>{1, 5});
  // without segments: one segment, median of {10, 30, 80, 90} = 55
  const auto g = score_accounts(m, p);
  CHECK(g.score(1) == 55.0);
  // a segment with nothing to impute from is an error
  const std::vector<std::string> lonely{"smb", "x", "smb", "ent", "ent", "ent"};
  try {
    (void)score_accounts(m, p, {.segments = lonely});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.index() == 1);
  }
  p.missing = missing_policy::zero;
  p.criteria[0].norm = normalizer::min_max;
  const auto z = score_accounts(m, p);
  CHECK(z.score(1) == 0.0);
  CHECK(z.score(5) == 0.0);
  CHECK(z.score(0) == 0.0);  // min of the present values
  CHECK(z.score(4) == 100.0);
  CHECK(z.filled == std::vector<account_index>{1, 5});
  // infinity is never "missing"
  CHECK_THROWS_AS((void)score_accounts(column({1, INFINITY}), p), invalid_input);
}

TEST_CASE("score/score_accounts: named accounts get 90+ strategic value") {
  Eigen::MatrixXd m(3, 4);
  m << 0, 0, 0, 0,    //
      10, 5, 10, 10,  //
      20, 10, 20, 20;
  const std::vector<account_index> named{0};
  const auto r = score_accounts(m, {}, {.named = named});
  CHECK(r.normalized(0, 1) == 90.0);
  CHECK(r.score(0) == doctest::Approx(0.25 * 90));
  CHECK(r.normalized(2, 1) == 100.0);  // a floor, not a cap
  const auto ids = std::vector<std::string>{"a", "b", "c"};
  const std::vector<account_index> bad{3};
  CHECK_THROWS_AS((void)score_accounts(m, {}, {.named = bad}), invalid_input);
  scoring_policy nostrat = single(normalizer::min_max);
  try {
    (void)score_accounts(column({1, 2}), nostrat, {.named = named});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::missing_column);
    CHECK(e.field() == "strategic_criterion");
  }
}

TEST_CASE("score/tier: thresholds, quantiles with ties, named override") {
  Eigen::VectorXd s(6);
  s << 95, 80, 79.9, 60, 45, 10;
  const auto t = assign_tiers(s, tier_thresholds{});
  CHECK(t == std::vector<tier>{tier::a, tier::a, tier::b, tier::b, tier::c, tier::d});
  const std::vector<account_index> named{5};
  CHECK(assign_tiers(s, tier_thresholds{}, named)[5] == tier::a);
  CHECK(to_string(tier::c) == "C");

  Eigen::VectorXd q(10);
  q << 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
  const auto qt = assign_tiers(q, tier_quantiles{});  // top 10 % A, next 20 % B, next 30 % C
  CHECK(qt[9] == tier::a);
  CHECK(qt[8] == tier::b);
  CHECK(qt[7] == tier::b);
  CHECK(qt[6] == tier::c);
  CHECK(qt[4] == tier::c);
  CHECK(qt[3] == tier::d);
  CHECK(qt[0] == tier::d);
  // ties at the A boundary all go to A
  Eigen::VectorXd tie(10);
  tie << 9, 9, 9, 1, 1, 1, 1, 1, 1, 1;
  const auto tt = assign_tiers(tie, tier_quantiles{});
  CHECK(tt[0] == tier::a);
  CHECK(tt[1] == tier::a);
  CHECK(tt[2] == tier::a);
  // B would start at rank 3, which the tie already filled: B is empty; the seven equal 1s
  // straddle the C boundary (rank 6) and all join C
  for (int i = 3; i < 10; ++i) CHECK(tt[static_cast<std::size_t>(i)] == tier::c);
  CHECK_THROWS_AS((void)assign_tiers(q, tier_thresholds{.a = 50, .b = 60, .c = 10}), invalid_input);
  CHECK_THROWS_AS((void)assign_tiers(q, tier_quantiles{.a = 0.5, .b = 0.3}), invalid_input);
  Eigen::VectorXd nan(2);
  nan << 1, std::nan("");
  try {
    (void)assign_tiers(nan, tier_thresholds{});
    FAIL("expected a throw");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::non_finite);
    CHECK(e.field() == "scores");
    CHECK(e.index() == 1);
  }
}
