// Property and contract tests of balance/partition.hpp and balance/precheck.hpp.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stop_token>
#include <string>
#include <vector>

#include <territory/balance/partition.hpp>
#include <territory/balance/precheck.hpp>
#include <territory/core/random.hpp>
#include <territory/graph/components.hpp>
#include <territory/detail/balance/construct.hpp>
#include <territory/detail/balance/flow.hpp>
#include <territory/detail/balance/problem.hpp>
#include <territory/detail/balance/search.hpp>
#include <territory/detail/balance/territory_state.hpp>

#include "support/grid.hpp"
#include "support/instances.hpp"

using namespace territory;

namespace {

/// Independent feasibility check: balance within tau and every territory one piece.
bool independently_feasible(const test::instance& in, const plan& pl, territory_index p, double tau) {
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(p, in.acts.cols());
  for (account_index a = 0; a < pl.size(); ++a) sums.row(pl[a]) += in.acts.row(a);
  const Eigen::RowVectorXd mean = in.acts.colwise().sum() / static_cast<double>(p);
  for (territory_index t = 0; t < p; ++t) {
    for (Eigen::Index j = 0; j < in.acts.cols(); ++j) {
      if (std::abs(sums(t, j) / mean(j) - 1.0) > tau + 1e-9) return false;
    }
    if (test::territory_pieces(in.graph, pl, t) != 1) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("balance/partition: random instances give complete, connected plans with exact sums") {
  for (std::uint64_t seed : {1U, 2U, 3U, 4U}) {
    CAPTURE(seed);
    const auto in = test::jittered_grid(14, 15, seed);
    const territory_index p = 3 + static_cast<territory_index>(seed);
    const auto r = partition(in.acts, in.xy, in.graph,
                             {.territories = p, .seed = seed, .iteration_limit = 3000});
    REQUIRE(r.assignment.size() == 210);
    REQUIRE(r.assignment.complete());
    CHECK(r.assignment.territory_count() == p);
    // every account once, every territory non-empty and connected
    const auto sizes = r.assignment.sizes();
    std::size_t total = 0;
    for (auto s : sizes) {
      CHECK(s > 0);
      total += s;
    }
    CHECK(total == 210);
    for (territory_index t = 0; t < p; ++t) {
      CHECK(test::territory_pieces(in.graph, r.assignment, t) == 1);
      CHECK(r.contiguous[t] == 1);
    }
    // reported sums equal recomputed sums
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(p, 3);
    for (account_index a = 0; a < 210; ++a) sums.row(r.assignment[a]) += in.acts.row(a);
    CHECK((sums - r.sums).cwiseAbs().maxCoeff() < 1e-9);
    // feasible() agrees with an independent check, and these easy instances are feasible
    CHECK(r.feasible() == independently_feasible(in, r.assignment, p, 0.05));
    CHECK(r.feasible());
    CHECK(r.graph_components == 1);
    CHECK(r.max_diameter == doctest::Approx(*std::max_element(r.diameters.begin(), r.diameters.end())));
  }
}

TEST_CASE("balance/partition: the same seed and threads give the same plan") {
  const auto in = test::jittered_grid(12, 12, 9);
  partition_options o{.territories = 5, .seed = 42, .iteration_limit = 2000};
  const auto a = partition(in.acts, in.xy, in.graph, o);
  const auto b = partition(in.acts, in.xy, in.graph, o);
  CHECK(a.assignment == b.assignment);
  CHECK(a.stats.iterations == b.stats.iterations);
  o.threads = 2;
  o.starts = 3;
  const auto c = partition(in.acts, in.xy, in.graph, o);
  const auto d = partition(in.acts, in.xy, in.graph, o);
  CHECK(c.assignment == d.assignment);
  CHECK(c.stats.threads == 2);
}

TEST_CASE("balance/partition: reported deviations and violations describe the plan") {
  const auto in = test::jittered_grid(10, 10, 5);
  // zero tolerance cannot be met: the violations must say by how much each territory is off
  const auto r = partition(in.acts, in.xy, in.graph,
                           {.territories = 4, .tolerance = {0.0}, .iteration_limit = 500,
                            .activity_names = {"customers", "demand", "workload"}});
  CHECK_FALSE(r.feasible());
  const Eigen::RowVectorXd mean = in.acts.colwise().sum() / 4.0;
  for (const auto& v : r.violations) {
    REQUIRE(v.kind == constraint_kind::balance);
    REQUIRE(v.territory < 4);
    const Eigen::Index j = v.subject == "customers" ? 0 : v.subject == "demand" ? 1 : 2;
    CHECK(v.amount == doctest::Approx(std::abs(r.sums(v.territory, j) / mean(j) - 1.0)));
    CHECK(v.reason.find("territory " + std::to_string(v.territory) + ": " + v.subject) == 0);
    CHECK(v.amount <= r.max_deviation(v.territory) + 1e-12);
  }
}

TEST_CASE("balance/partition: a stop request returns status::cancelled with a complete plan") {
  const auto in = test::jittered_grid(12, 12, 3);
  std::stop_source src;
  src.request_stop();
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 4, .stop = src.get_token()});
  CHECK(r.why_stopped == status::cancelled);
  CHECK(r.assignment.complete());
  int calls = 0;
  const auto q = partition(in.acts, in.xy, in.graph,
                           {.territories = 4, .on_progress = [&](const progress&) { return ++calls >= 1; }});
  CHECK(calls >= 1);
  CHECK(q.why_stopped == status::cancelled);
  CHECK(q.assignment.complete());
}

TEST_CASE("balance/partition: the iteration limit is reported") {
  const auto in = test::jittered_grid(12, 12, 3);
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 6, .iteration_limit = 10});
  CHECK(r.why_stopped == status::iteration_limit);
  CHECK(r.stats.iterations <= 10 + 144 * 100);  // diffusion sweeps count their moves too
  CHECK(r.assignment.complete());
}

TEST_CASE("balance/precheck: a single account above (1+tau) mean is unavoidable") {
  auto in = test::jittered_grid(8, 8, 11);
  in.acts(17, 1) = 1e5;  // one account holds most of the demand
  const partition_options o{.territories = 4, .activity_names = {"customers", "demand", "workload"},
                            .account_ids = std::vector<std::string>(64, "x")};
  const auto v = precheck(in.acts, &in.graph, o);
  REQUIRE(v.size() == 1);
  CHECK(v[0].kind == constraint_kind::balance);
  CHECK(v[0].subject == "demand");
  CHECK(v[0].territory == no_territory);
  const double mean = in.acts.col(1).sum() / 4.0;
  CHECK(v[0].amount == doctest::Approx(1e5 / mean - 1.05));
  CHECK(v[0].reason.find("account 'x' alone holds") == 0);
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 4, .iteration_limit = 200});
  CHECK(r.why_stopped == status::proven_infeasible);
  CHECK_FALSE(r.feasible());
  CHECK(r.assignment.complete());
}

TEST_CASE("balance/precheck: disconnected graphs") {
  // two 6x6 grids side by side, not joined: two components of equal activity
  const auto left = test::jittered_grid(6, 6, 21);
  test::instance in;
  in.acts.resize(72, 3);
  in.xy.resize(72, 2);
  std::vector<edge> edges;
  for (int k = 0; k < 36; ++k) {
    in.acts.row(k) = left.acts.row(k);
    in.acts.row(k + 36) = left.acts.row(k);
    in.xy.row(k) = left.xy.row(k);
    in.xy(k + 36, 0) = left.xy(k, 0) + 10;
    in.xy(k + 36, 1) = left.xy(k, 1);
  }
  for (account_index a = 0; a < 36; ++a) {
    for (auto b : left.graph.neighbors(a)) {
      if (a < b) {
        edges.push_back({a, b});
        edges.push_back({a + 36, b + 36});
      }
    }
  }
  in.graph = adjacency::from_edges(72, edges);
  SUBCASE("fewer territories than components") {
    const auto v = precheck(in.acts, &in.graph, {.territories = 1});
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == constraint_kind::contiguity);
    CHECK(v[0].amount == 1.0);
    CHECK(v[0].reason.find("2 connected components") != std::string::npos);
    const auto r = partition(in.acts, in.xy, in.graph, {.territories = 1, .iteration_limit = 100});
    CHECK(r.graph_components == 2);
    CHECK(r.why_stopped == status::proven_infeasible);
    CHECK(r.contiguous[0] == 0);
  }
  SUBCASE("territories spread over components in proportion") {
    CHECK(precheck(in.acts, &in.graph, {.territories = 4}).empty());
    const auto r = partition(in.acts, in.xy, in.graph, {.territories = 4, .iteration_limit = 3000});
    CHECK(r.graph_components == 2);
    CHECK(r.feasible());
    for (territory_index t = 0; t < 4; ++t) CHECK(test::territory_pieces(in.graph, r.assignment, t) == 1);
  }
  SUBCASE("an odd number of territories cannot split two equal halves") {
    const auto v = precheck(in.acts, &in.graph, {.territories = 3});
    REQUIRE_FALSE(v.empty());
    CHECK(v[0].kind == constraint_kind::balance);
    CHECK(v[0].reason.find("no whole number of territories") != std::string::npos);
  }
}

TEST_CASE("balance/precheck: more territories than accounts") {
  const auto in = test::jittered_grid(2, 2, 1);
  const auto v = precheck(in.acts, &in.graph, {.territories = 6});
  REQUIRE(v.size() == 1);
  CHECK(v[0].kind == constraint_kind::empty);
  CHECK(v[0].amount == 2.0);
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 6});
  CHECK(r.why_stopped == status::proven_infeasible);
  CHECK(r.assignment.complete());
}

TEST_CASE("balance/partition: an all-zero activity column is noted and treated as balanced") {
  auto in = test::jittered_grid(8, 8, 2);
  in.acts.col(2).setZero();
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 3, .iteration_limit = 2000});
  CHECK(r.feasible());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("activity 2") != std::string::npos);
}

TEST_CASE("balance/partition: without a graph, compactness keeps territories together") {
  const auto in = test::jittered_grid(10, 10, 8);
  const auto r = partition(in.acts, in.xy, {.territories = 4, .iteration_limit = 3000});
  CHECK(r.assignment.complete());
  CHECK(r.feasible());
  CHECK(std::all_of(r.contiguous.begin(), r.contiguous.end(), [](auto c) { return c == 1; }));
  CHECK(r.max_diameter < 10.0);  // the map is 10 x 10; no territory spans it diagonally (14.1)
}

TEST_CASE("balance/partition: bad input throws invalid_input before any work") {
  const auto in = test::jittered_grid(4, 4, 1);
  Eigen::MatrixX2d short_xy = in.xy.topRows(15);
  CHECK_THROWS_AS((void)partition(in.acts, short_xy, in.graph, {.territories = 2}), invalid_input);
  try {
    (void)partition(in.acts, short_xy, in.graph, {.territories = 2});
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "coordinates");
  }
  auto neg = in.acts;
  neg(5, 1) = -1.0;
  try {
    (void)partition(neg, in.xy, in.graph, {.territories = 2});
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::negative_value);
    CHECK(e.field() == "activities");
    CHECK(e.index() == 5U);
  }
  try {
    (void)partition(in.acts, in.xy, in.graph, {.territories = 0});
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.field() == "territories");
  }
  try {
    (void)partition(in.acts, in.xy, in.graph, {.territories = 2, .tolerance = {0.05, 0.1}});
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "tolerance");
  }
  try {
    (void)precheck(in.acts, &in.graph, {.territories = 2, .tolerance = {1.5}});
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::invalid_parameter);
    CHECK(e.field() == "tolerance");
  }
  const auto small = adjacency::from_edges(3, std::vector<edge>{{0, 1}});
  try {
    (void)partition(in.acts, in.xy, small, {.territories = 2});
    FAIL("expected invalid_input");
  } catch (const invalid_input& e) {
    CHECK(e.code() == errc::size_mismatch);
    CHECK(e.field() == "graph");
  }
}

#include <territory/detail/balance/diameter.hpp>

TEST_CASE("balance/diameter: a hull whose lower chain is one edge keeps its upper chain") {
  // bottom row (0,0)..(4,0), rows above end at x = 3: after sorting by (x, y) the lower chain is the
  // single edge (0,0)-(4,0); the diameter is (0,2)-(4,0), not 4
  std::vector<detail::balance::hull_point> pts;
  account_index a = 0;
  for (int y = 0; y <= 2; ++y) {
    for (int x = 0; x <= (y == 0 ? 4 : 3); ++x) pts.push_back({double(x), double(y), a++});
  }
  std::sort(pts.begin(), pts.end());
  std::vector<detail::balance::hull_point> hull;
  detail::balance::convex_hull_sorted(pts, std::numeric_limits<account_index>::max(), hull);
  double best = 0;
  for (const auto& p : hull) {
    for (const auto& q : hull) best = std::max(best, std::hypot(p.x - q.x, p.y - q.y));
  }
  CHECK(hull.size() == 4);
  CHECK(best == doctest::Approx(std::hypot(4.0, 2.0)));
  // collinear points: the two ends
  std::vector<detail::balance::hull_point> line{{0, 0, 0}, {1, 1, 1}, {2, 2, 2}};
  detail::balance::convex_hull_sorted(line, std::numeric_limits<account_index>::max(), hull);
  CHECK(hull.size() == 2);
}

TEST_CASE("balance/partition: very unequal accounts (Pareto weights) reach a feasible plan") {
  // Region growing alone leaves such maps far from balance (the last territories take what is
  // left); the bisection construction and the balancing flows must bring every territory into the band.
  for (std::uint64_t seed : {3U, 4U}) {
    const auto in = test::heavy_tailed_grid(60, 60, seed, 60);
    partition_options o{.territories = 60, .tolerance = {0.05}, .seed = seed, .time_limit_seconds = 60};
    o.starts = 1;
    o.stop_when_feasible = true;
    o.iteration_limit = 2000;  // deterministic; the search alone (from region growing) needs far more
    const auto r = partition(in.acts, in.xy, in.graph, o);
    CAPTURE(seed);
    CHECK(r.feasible());
    CHECK(independently_feasible(in, r.assignment, 60, 0.05));
  }
}

TEST_CASE("balance/flow: the quotient Laplacian solve gives flows that even out the loads") {
  using detail::balance::quotient_edge;
  // a ring of 6 territories with a chord, plus an isolated pair (a second component)
  const std::vector<quotient_edge> e{{0, 1, 2.0}, {1, 2, 1.0}, {2, 3, 3.0}, {3, 4, 1.0}, {4, 5, 1.0},
                                     {0, 5, 1.0}, {1, 4, 2.0}, {6, 7, 1.0}};
  const std::vector<double> b{0.5, -0.2, 0.1, -0.3, 0.4, -0.5, 0.3, 0.1};
  const auto x = detail::balance::solve_quotient_laplacian(8, e, b);
  // net outflow of each territory = its load minus its component's mean load
  std::vector<double> out(8, 0.0);
  for (const auto& q : e) {
    const double f = q.w * (x[q.s] - x[q.t]);
    out[q.s] += f;
    out[q.t] -= f;
  }
  for (std::size_t t = 0; t < 6; ++t) CHECK(out[t] == doctest::Approx(b[t] - 0.0).epsilon(1e-6));
  CHECK(out[6] == doctest::Approx(0.1).epsilon(1e-6));  // component {6, 7}: mean 0.2
  CHECK(out[7] == doctest::Approx(-0.1).epsilon(1e-6));
}

TEST_CASE("balance/construct: recursive bisection gives connected, nearly balanced territories") {
  for (std::uint64_t seed : {1U, 2U}) {
    for (int kind = 0; kind < 2; ++kind) {
      const auto in = kind == 0 ? test::jittered_grid(30, 40, seed) : test::heavy_tailed_grid(40, 40, seed, 20);
      const territory_index p = 20;
      auto pr = detail::balance::make_problem(in.acts, in.xy, std::vector<double>(static_cast<std::size_t>(in.acts.cols()), 0.05), p);
      pr.graph = &in.graph;
      pr.comp_territories = {p};
      pr.comp_label.assign(pr.n, 0);
      rng gen(seed);
      const auto a = detail::balance::bisect_regions(pr, gen);
      CAPTURE(seed);
      CAPTURE(kind);
      for (territory_index t = 0; t < p; ++t) CHECK(test::territory_pieces(in.graph, a, t) == 1);
      // region growing from k-means++ seeds on the same instance, for scale
      const detail::balance::fast_distance<euclidean> fd{};
      const auto grown = detail::balance::grow_regions(pr, detail::balance::choose_seeds(pr, gen, fd), fd);
      CHECK(detail::balance::plan_excess(pr, a) < detail::balance::plan_excess(pr, grown));
    }
  }
}

namespace {

/// Boundary sets recomputed from scratch, each sorted.
std::vector<std::vector<account_index>> boundary_sets(const adjacency& g, const std::vector<territory_index>& a,
                                                      std::size_t p) {
  std::vector<std::vector<account_index>> b(p);
  for (account_index v = 0; v < a.size(); ++v) {
    for (auto u : g.neighbors(v)) {
      if (a[u] != a[v]) {
        b[a[v]].push_back(v);
        break;
      }
    }
  }
  return b;
}

}  // namespace

TEST_CASE("balance/territory_state: boundary sets follow random moves; rollback restores the exact state") {
  const auto in = test::jittered_grid(20, 25, 11);
  const std::size_t p = 8;
  auto pr = detail::balance::make_problem(in.acts, in.xy, {0.05, 0.05, 0.05}, p);
  pr.graph = &in.graph;
  std::vector<territory_index> a(pr.n);
  for (std::size_t v = 0; v < pr.n; ++v) a[v] = static_cast<territory_index>((v % 25) * p / 25);  // vertical strips
  detail::balance::territory_state st(pr);
  st.init_state(a);
  rng gen(5);
  auto random_move = [&] {  // a boundary account to a neighbouring territory (contiguity not needed here)
    for (;;) {
      const auto t = static_cast<territory_index>(gen.below(p));
      const auto& b = st.boundary(t);
      if (b.empty() || st.members(t).size() <= 1) continue;
      const auto v = b[gen.below(b.size())];
      for (auto u : in.graph.neighbors(v)) {
        if (st.assignment()[u] != t) {
          st.move(v, st.assignment()[u]);
          return;
        }
      }
    }
  };
  auto sorted_sets = [&] {
    std::vector<std::vector<account_index>> s(p);
    for (territory_index t = 0; t < p; ++t) {
      s[t] = st.boundary(t);
      std::sort(s[t].begin(), s[t].end());
    }
    return s;
  };
  for (int i = 0; i < 300; ++i) random_move();
  CHECK(sorted_sets() == boundary_sets(in.graph, st.assignment(), p));
  // snapshot of the whole state, then 500 logged moves, then roll back to the snapshot
  const auto assign0 = st.assignment();
  std::vector<std::vector<account_index>> mem0(p);
  std::vector<double> sums0, cx0, cy0;
  for (territory_index t = 0; t < p; ++t) {
    mem0[t] = st.members(t);
    sums0.insert(sums0.end(), st.sums(t), st.sums(t) + pr.m);
    cx0.push_back(st.centroid_x_sum(t));
    cy0.push_back(st.centroid_y_sum(t));
  }
  const auto bnd0 = sorted_sets();
  st.set_logging(true);
  for (int i = 0; i < 100; ++i) random_move();
  const auto mid = st.mark();
  const auto assign_mid = st.assignment();
  for (int i = 0; i < 400; ++i) random_move();
  CHECK(sorted_sets() == boundary_sets(in.graph, st.assignment(), p));
  st.rollback(mid);
  CHECK(st.assignment() == assign_mid);
  CHECK(sorted_sets() == boundary_sets(in.graph, st.assignment(), p));
  st.rollback(0);
  CHECK(st.assignment() == assign0);
  CHECK(sorted_sets() == bnd0);
  for (territory_index t = 0; t < p; ++t) {
    CHECK(st.members(t) == mem0[t]);  // same members in the same order
    for (std::size_t j = 0; j < pr.m; ++j) CHECK(st.sums(t)[j] == sums0[t * pr.m + j]);  // bit-identical
    CHECK(st.centroid_x_sum(t) == cx0[t]);
    CHECK(st.centroid_y_sum(t) == cy0[t]);
  }
}

TEST_CASE("balance/diameter: rotating calipers give the brute-force diameter") {
  rng gen(17);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t k = 1 + gen.below(trial < 100 ? 8 : 200);
    std::vector<detail::balance::hull_point> pts, hull;
    for (std::size_t i = 0; i < k; ++i) {
      // half the trials on a coarse lattice: duplicates and collinear points
      const double x = trial % 2 == 0 ? static_cast<double>(gen.below(6)) : gen.uniform_real(-10, 10);
      const double y = trial % 2 == 0 ? static_cast<double>(gen.below(6)) : gen.uniform_real(-10, 10);
      pts.push_back({x, y, static_cast<account_index>(i)});
    }
    double brute = 0.0;
    for (const auto& a : pts) {
      for (const auto& b : pts) brute = std::max(brute, (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y));
    }
    auto sorted = pts;
    std::sort(sorted.begin(), sorted.end());
    detail::balance::convex_hull_sorted(sorted, std::numeric_limits<account_index>::max(), hull);
    std::size_t i = 0, j = 0;
    const double cal = detail::balance::hull_diameter2_calipers(hull, &i, &j);
    CAPTURE(trial);
    CHECK(cal == brute);
    if (!hull.empty()) CHECK((hull[i].x - hull[j].x) * (hull[i].x - hull[j].x) + (hull[i].y - hull[j].y) * (hull[i].y - hull[j].y) == cal);
  }
}
