// Tests of the multilevel driver of partition(): coarsening invariants (detail/balance/coarsen.hpp)
// and the driver's contract (detail/balance/multilevel.hpp, partition_options::multilevel).

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <new>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <territory/balance/multilevel_mode.hpp>
#include <territory/balance/partition.hpp>
#include <territory/balance/precheck.hpp>
#include <territory/core/random.hpp>
#include <territory/detail/balance/coarsen.hpp>
#include <territory/detail/balance/multilevel.hpp>
#include <territory/detail/balance/renumber.hpp>
#include <territory/detail/huge_pages.hpp>
#include <territory/graph/components.hpp>

#include "support/check_plan.hpp"
#include "support/grid.hpp"
#include "support/instances.hpp"

using namespace territory;
namespace tb = territory::detail::balance;

namespace {

/// The normalised problem of `in` for p territories (what the driver coarsens).
tb::problem problem_of(const test::instance& in, std::size_t p) {
  auto pr = tb::make_problem(in.acts, in.xy, std::vector<double>(static_cast<std::size_t>(in.acts.cols()), 0.05), p);
  pr.graph = &in.graph;
  return pr;
}

/// The multilevel driver alone (no precheck, no smoothing, no evaluation), as run_partition calls it;
/// the plan is returned in the caller's numbering, as run_partition restores it.
std::optional<tb::multilevel_outcome> run_driver(const test::instance& in, const partition_options& o) {
  auto pr = tb::make_problem(in.acts, in.xy, tb::expand_tolerance(o, static_cast<std::size_t>(in.acts.cols())),
                             o.territories);
  pr.graph = &in.graph;
  tb::run_control ctl(o, std::chrono::steady_clock::now());
  tb::renumbering renum;
  auto mo = tb::run_multilevel(pr, tb::settings_of(o, false), ctl, o, euclidean{}, renum);
  if (mo && !renum.empty()) mo->assign = renum.restore(mo->assign);
  return mo;
}

tb::level_view view_of(const tb::problem& pr) { return {pr.graph, {}, pr.w, pr.m, pr.xy, {}, {}}; }


/// Whether `members` induce a connected subgraph of g.
bool induced_connected(const adjacency& g, const std::vector<account_index>& members) {
  std::vector<account_index> reached{members.front()};
  for (std::size_t i = 0; i < reached.size(); ++i) {
    for (auto u : g.neighbors(reached[i])) {
      if (std::find(members.begin(), members.end(), u) != members.end() &&
          std::find(reached.begin(), reached.end(), u) == reached.end()) {
        reached.push_back(u);
      }
    }
  }
  return reached.size() == members.size();
}

/// Checks one coarsening step against the finer level: map, sums, connectivity of the coarse
/// nodes (at most max_members each), the contracted graph with its multiplicities, components.
void check_level(const tb::level_view& fine, const tb::coarse_level& c, std::size_t max_members = 2) {
  const std::size_t n = fine.graph->size(), m = fine.m, nc = c.size();
  REQUIRE(c.fine_to_coarse.size() == n);
  REQUIRE(c.graph.size() == nc);
  CHECK(nc < n);
  // every fine node maps to exactly one coarse node; every coarse node has 1 to max_members members,
  // connected
  std::vector<std::vector<account_index>> members(nc);
  for (std::size_t v = 0; v < n; ++v) {
    REQUIRE(c.fine_to_coarse[v] < nc);
    members[c.fine_to_coarse[v]].push_back(static_cast<account_index>(v));
  }
  for (std::size_t k = 0; k < nc; ++k) {
    REQUIRE(!members[k].empty());
    REQUIRE(members[k].size() <= max_members);
    CHECK(induced_connected(*fine.graph, members[k]));
    // sums and counts
    for (std::size_t j = 0; j < m; ++j) {
      double s = 0.0;
      for (auto v : members[k]) s += fine.w[v * m + j];
      CHECK(c.w[k * m + j] == doctest::Approx(s).epsilon(1e-12));
    }
    double cnt = 0.0, x = 0.0;
    for (auto v : members[k]) {
      const double kv = fine.count.empty() ? 1.0 : fine.count[v];
      cnt += kv;
      x += kv * fine.xy[v][0];
    }
    CHECK(c.count[k] == cnt);
    CHECK(c.xy[k][0] == doctest::Approx(x / cnt));
    // the radius bounds every member's reach from the coarse point
    for (auto v : members[k]) {
      const double dx = fine.xy[v][0] - c.xy[k][0], dy = fine.xy[v][1] - c.xy[k][1];
      const double rv = fine.radius.empty() ? 0.0 : fine.radius[v];
      CHECK(std::sqrt(dx * dx + dy * dy) + rv <= c.radius[k] + 1e-9);
    }
  }
  // the coarse graph is the contracted fine graph: same edge set, weights = multiplicities
  std::map<std::pair<account_index, account_index>, double> expect;
  for (std::size_t v = 0; v < n; ++v) {
    const auto nb = fine.graph->neighbors(static_cast<account_index>(v));
    for (std::size_t i = 0; i < nb.size(); ++i) {
      const auto a = c.fine_to_coarse[v], b = c.fine_to_coarse[nb[i]];
      if (a == b) continue;
      expect[{a, b}] += fine.edge_weight.empty() ? 1.0 : fine.edge_weight[fine.graph->offsets()[v] + i];
    }
  }
  std::map<std::pair<account_index, account_index>, double> got;
  for (std::size_t a = 0; a < nc; ++a) {
    const auto nb = c.graph.neighbors(static_cast<account_index>(a));
    CHECK(std::adjacent_find(nb.begin(), nb.end()) == nb.end());  // no duplicates
    CHECK(std::is_sorted(nb.begin(), nb.end()));                   // rows sorted (built without from_edges)
    for (std::size_t i = 0; i < nb.size(); ++i) {
      CHECK(nb[i] != a);  // no self-loop
      got[{static_cast<account_index>(a), nb[i]}] = c.edge_weight[c.graph.offsets()[a] + i];
    }
  }
  CHECK(got == expect);
  // components preserved: same count, and fine labels map one-to-one onto coarse labels
  const auto cf = connected_components(*fine.graph);
  const auto cc = connected_components(c.graph);
  CHECK(cf.count == cc.count);
  std::map<std::uint32_t, std::uint32_t> to;
  for (std::size_t v = 0; v < n; ++v) {
    const auto [it, fresh] = to.emplace(cf.label[v], cc.label[c.fine_to_coarse[v]]);
    CHECK(it->second == cc.label[c.fine_to_coarse[v]]);
  }
}

}  // namespace

TEST_CASE("balance/coarsen: every account maps to one coarse node, sums, graph and components are kept") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    const auto in = test::jittered_grid(30, 33, seed, seed == 3 ? 3 : 1);
    const auto pr = problem_of(in, 4);
    const std::vector<char> balanced(3, 1);
    rng gen(seed);
    auto l1 = tb::coarsen(view_of(pr), balanced, 0.125, gen);
    check_level(view_of(pr), l1);
    CHECK(l1.size() < pr.n * 7 / 10);  // a matching on a planar-like graph pairs most accounts
    auto l2 = tb::coarsen(l1.view(3), balanced, 0.125, gen);
    check_level(l1.view(3), l2);
    // every coarse node of level 2 is connected in the original graph (pairs of adjacent pairs)
    std::vector<std::vector<account_index>> members(l2.size());
    for (std::size_t v = 0; v < pr.n; ++v) members[l2.fine_to_coarse[l1.fine_to_coarse[v]]].push_back(static_cast<account_index>(v));
    std::vector<territory_index> lab(pr.n);
    for (std::size_t v = 0; v < pr.n; ++v) lab[v] = l2.fine_to_coarse[l1.fine_to_coarse[v]];
    for (std::size_t k = 0; k < l2.size(); ++k) CHECK(test::territory_pieces(in.graph, lab, static_cast<territory_index>(k)) == 1);
  }
}

namespace {

/// `in` with its accounts renumbered by a seeded random permutation (account a becomes perm[a]).
test::instance shuffled(const test::instance& in, std::uint64_t seed) {
  const std::size_t n = in.graph.size();
  std::vector<account_index> perm(n);
  for (std::size_t a = 0; a < n; ++a) perm[a] = static_cast<account_index>(a);
  rng gen(seed);
  for (std::size_t i = n; i-- > 1;) std::swap(perm[i], perm[static_cast<std::size_t>(gen() % (i + 1))]);
  test::instance out{Eigen::MatrixXd(in.acts.rows(), in.acts.cols()), Eigen::MatrixX2d(in.xy.rows(), 2), {}};
  std::vector<edge> edges;
  for (std::size_t a = 0; a < n; ++a) {
    out.acts.row(perm[a]) = in.acts.row(static_cast<Eigen::Index>(a));
    out.xy.row(perm[a]) = in.xy.row(static_cast<Eigen::Index>(a));
    for (auto b : in.graph.neighbors(static_cast<account_index>(a))) {
      if (b > a) edges.push_back({perm[a], perm[b]});
    }
  }
  out.graph = adjacency::from_edges(n, edges);
  return out;
}

/// Mean |a - b| over the edges of g: small when neighbours have nearby indices.
double mean_index_gap(const adjacency& g) {
  double s = 0.0;
  for (std::size_t a = 0; a < g.size(); ++a) {
    for (auto b : g.neighbors(static_cast<account_index>(a))) s += std::abs(static_cast<double>(b) - static_cast<double>(a));
  }
  return s / static_cast<double>(g.targets().size());
}

}  // namespace

TEST_CASE("balance/coarsen: the Z-order is a permutation, cells ascending, indices ascending inside a cell") {
  const auto in = shuffled(test::jittered_grid(40, 45, 5), 77);
  const auto pr = problem_of(in, 6);
  const auto order = tb::spatial_order(pr.xy);
  REQUIRE(order.size() == pr.n);
  std::vector<account_index> sorted(order.begin(), order.end());
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < pr.n; ++i) REQUIRE(sorted[i] == i);
  // the radix sort's order: Z-order cells ascending, indices ascending inside a cell (the order of
  // a comparison sort of cell << 32 | index)
  const auto cell = tb::morton_cells(pr.xy);
  std::size_t multi = 0;
  for (std::size_t i = 1; i < pr.n; ++i) {
    const auto a = order[i - 1], b = order[i];
    REQUIRE((cell[a] < cell[b] || (cell[a] == cell[b] && a < b)));
    multi += cell[a] == cell[b] ? 1 : 0;
  }
  CHECK(multi > 0);  // cells with several points exist, so the tie order was exercised
}

namespace {

/// Checks the walk's rule of cluster_along_curve: clusters are runs of `order` numbered along it, and a
/// cluster ended only where the next account could not join it (full, not adjacent to a member, above
/// the cap in a balanced column, or beyond max_radius of the members' mean). Returns the mean size.
double check_curve_clusters(const tb::level_view& fine, std::span<const account_index> order, const tb::coarse_level& c,
                            double cap, double max_radius, std::size_t max_members) {
  const std::size_t n = order.size(), m = fine.m;
  REQUIRE(c.fine_to_coarse.size() == n);
  REQUIRE(c.fine_to_coarse[order[0]] == 0);
  std::size_t begin = 0;  // position in `order` of the current cluster's first member
  for (std::size_t i = 1; i <= n; ++i) {
    if (i < n && c.fine_to_coarse[order[i]] == c.fine_to_coarse[order[i - 1]]) continue;
    // the cluster is order[begin, i); numbers go up by one along the curve
    const auto id = c.fine_to_coarse[order[begin]];
    if (i < n) REQUIRE(c.fine_to_coarse[order[i]] == id + 1);
    const std::size_t size = i - begin;
    CHECK(size <= max_members);
    for (std::size_t j = 0; j < m; ++j) CHECK((size == 1 || c.w[id * m + j] <= cap + 1e-12));
    CHECK((size == 1 || c.radius[id] <= max_radius));
    if (i < n && size < max_members) {  // the next account could not join
      const account_index v = order[i];
      bool adjacent = false;
      double sx = fine.xy[v][0], sy = fine.xy[v][1];
      for (std::size_t q = begin; q < i; ++q) {
        adjacent = adjacent || fine.graph->connected(v, order[q]);
        sx += fine.xy[order[q]][0];
        sy += fine.xy[order[q]][1];
      }
      bool fits = true;
      for (std::size_t j = 0; j < m; ++j) fits = fits && c.w[id * m + j] + fine.w[v * m + j] <= cap;
      const double cx = sx / static_cast<double>(size + 1), cy = sy / static_cast<double>(size + 1);
      double r = std::hypot(fine.xy[v][0] - cx, fine.xy[v][1] - cy);
      for (std::size_t q = begin; q < i; ++q) r = std::max(r, std::hypot(fine.xy[order[q]][0] - cx, fine.xy[order[q]][1] - cy));
      CHECK_FALSE((adjacent && fits && r <= max_radius * (1.0 - 1e-9)));
    }
    begin = i;
  }
  return static_cast<double>(n) / static_cast<double>(c.size());
}

}  // namespace

TEST_CASE("balance/coarsen: the first level clusters connected runs along the curve, with sums, graph and components kept") {
  const std::vector<char> balanced(3, 1);
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    // shuffled: the caller's numbering is random, the clusters are made along the curve anyway
    const auto in = shuffled(test::jittered_grid(30, 33, seed, seed == 3 ? 3 : 1), 100 + seed);
    const auto pr = problem_of(in, 4);
    const auto order = tb::spatial_order(pr.xy);
    for (std::size_t members : {1U, 4U, 8U}) {
      CAPTURE(members);
      const double radius = seed == 2 ? 0.9 : std::numeric_limits<double>::infinity();  // grid spacing 1
      const auto c = tb::cluster_along_curve(view_of(pr), order, balanced, 0.125, radius, members);
      if (members == 1) {
        CHECK(c.size() == pr.n);
        continue;
      }
      check_level(view_of(pr), c, members);
      const double mean = check_curve_clusters(view_of(pr), order, c, 0.125, radius, members);
      MESSAGE("mean cluster size " << mean);
      // most runs along the curve are connected; the radius of seed 2 (0.9 grid spacings) binds: pairs
      CHECK(mean > (seed == 2 ? 1.8 : members == 4 ? 2.2 : 2.5));
      if (seed == 2) CHECK(mean < 2.2);
      // the clusters are numbered along the curve: neighbours get nearby indices (a shuffled
      // numbering has a mean gap of ~n/3; the clusters' is ~n/28 on these ~400 nodes)
      CHECK(mean_index_gap(c.graph) / static_cast<double>(c.size()) * 5.0 < mean_index_gap(in.graph) / static_cast<double>(pr.n));
    }
  }
}

TEST_CASE("balance/coarsen: the first level refuses clusters above the activity cap") {
  const auto in = test::jittered_grid(20, 20, 4);
  const auto pr = problem_of(in, 40);  // every account ~1/10 of a territory mean
  const auto order = tb::spatial_order(pr.xy);
  const std::vector<char> balanced(3, 1), none(3, 0);
  const double inf = std::numeric_limits<double>::infinity();
  // a cap below any pair: every account alone
  const auto alone = tb::cluster_along_curve(view_of(pr), order, balanced, 0.01, inf, 8);
  CHECK(alone.size() == pr.n);
  // a cap of about two accounts: clusters of one or two accounts, the rule kept
  const auto pairs = tb::cluster_along_curve(view_of(pr), order, balanced, 0.25, inf, 8);
  check_level(view_of(pr), pairs, 8);
  check_curve_clusters(view_of(pr), order, pairs, 0.25, inf, 8);
  // the cap binds only on balanced columns
  const auto uncapped = tb::cluster_along_curve(view_of(pr), order, none, 0.01, inf, 8);
  CHECK(uncapped.size() < pr.n / 2);
}

TEST_CASE("balance/multilevel: a randomly numbered instance gives a complete, connected, feasible plan in the caller's numbering") {
  const auto in = shuffled(test::jittered_grid(60, 60, 3), 9);
  const territory_index p = 8;
  const partition_options o{.territories = p, .seed = 3, .stop_when_feasible = true,
                            .multilevel = multilevel_mode::always};
  REQUIRE(run_driver(in, o).has_value());
  const auto r = partition(in.acts, in.xy, in.graph, o);
  REQUIRE(r.assignment.complete());
  const auto chk = test::check_plan(in.acts, &in.graph, r.assignment, p);
  CHECK_MESSAGE(chk.ok(), chk.summary());
  CHECK(chk.feasible());
  for (territory_index t = 0; t < p; ++t) CHECK(test::territory_pieces(in.graph, r.assignment.assignment(), t) == 1);
  // the same plan again (the clustering along the curve is deterministic)
  const auto again = partition(in.acts, in.xy, in.graph, o);
  CHECK(std::equal(r.assignment.assignment().begin(), r.assignment.assignment().end(), again.assignment.assignment().begin(),
                   again.assignment.assignment().end()));
}

TEST_CASE("balance/multilevel: renumber_problem permutes rows, points, labels, graph and plan consistently") {
  const auto in = shuffled(test::jittered_grid(30, 31, 5), 41);
  auto pr = problem_of(in, 5);
  const std::size_t n = pr.n, m = pr.m;
  const auto w0 = pr.w;
  const auto xy0 = pr.xy;
  pr.comp_label.assign(n, 0);
  for (std::size_t a = 0; a < n; ++a) pr.comp_label[a] = static_cast<std::uint32_t>(a % 7);
  const auto lab0 = pr.comp_label;
  std::vector<territory_index> plan0(n);
  for (std::size_t a = 0; a < n; ++a) plan0[a] = static_cast<territory_index>((a * 13) % 5);
  auto assign = plan0;
  tb::renumbering renum;
  REQUIRE(renum.empty());
  tb::renumber_problem(pr, assign, tb::spatial_order(pr.xy), renum);
  REQUIRE_FALSE(renum.empty());
  REQUIRE(pr.graph == &renum.graph);
  REQUIRE(renum.order.size() == n);
  REQUIRE(renum.graph.size() == n);
  CHECK(renum.graph.targets().size() == in.graph.targets().size());
  std::vector<char> seen(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = renum.order[i];
    REQUIRE(v < n);
    CHECK(seen[v] == 0);
    seen[v] = 1;
    CHECK(pr.xy[i][0] == xy0[v][0]);
    CHECK(pr.xy[i][1] == xy0[v][1]);
    for (std::size_t j = 0; j < m; ++j) CHECK(pr.w[i * m + j] == w0[v * m + j]);
    CHECK(pr.comp_label[i] == lab0[v]);
    CHECK(assign[i] == plan0[v]);
    // row i is row v of the caller's graph, renumbered, strictly increasing
    std::vector<account_index> mine;
    for (auto b : renum.graph.neighbors(static_cast<account_index>(i))) mine.push_back(renum.order[b]);
    const auto row = renum.graph.neighbors(static_cast<account_index>(i));
    CHECK(std::adjacent_find(row.begin(), row.end(), std::greater_equal<>{}) == row.end());
    std::sort(mine.begin(), mine.end());
    const auto orig = in.graph.neighbors(v);
    CHECK(std::equal(mine.begin(), mine.end(), orig.begin(), orig.end()));
  }
  CHECK(renum.restore(assign) == plan0);
  // the point of it: neighbours get nearby indices (the caller's numbering here is random)
  CHECK(mean_index_gap(renum.graph) * 5.0 < mean_index_gap(in.graph));
}

TEST_CASE("balance/multilevel: the full search on a randomly numbered instance runs renumbered and answers in the caller's numbering") {
  const auto grid = test::jittered_grid(50, 52, 6);
  const auto in = shuffled(grid, 13);
  // a random numbering is renumbered; the grid's own, row by row, is local enough and kept
  CHECK(tb::worth_renumbering(in.graph));
  CHECK_FALSE(tb::worth_renumbering(grid.graph));
  CHECK(tb::mean_neighbour_gap(grid.graph) == doctest::Approx(mean_index_gap(grid.graph)));
  const territory_index p = 6;
  const partition_options o{.territories = p, .seed = 5, .iteration_limit = 3000, .multilevel = multilevel_mode::always};
  {
    // the driver renumbers for its finest search only when that search runs (not with stop_when_feasible)
    const auto cols = static_cast<std::size_t>(in.acts.cols());
    auto pr = tb::make_problem(in.acts, in.xy, tb::expand_tolerance(o, cols), p);
    pr.graph = &in.graph;
    tb::run_control ctl(o, std::chrono::steady_clock::now());
    tb::renumbering renum;
    REQUIRE(tb::run_multilevel(pr, tb::settings_of(o, false), ctl, o, euclidean{}, renum).has_value());
    CHECK(renum.order.size() == in.graph.size());
    CHECK(pr.graph == &renum.graph);
    auto first = o;
    first.stop_when_feasible = true;
    auto pr2 = tb::make_problem(in.acts, in.xy, tb::expand_tolerance(first, cols), p);
    pr2.graph = &in.graph;
    tb::run_control ctl2(first, std::chrono::steady_clock::now());
    tb::renumbering none;
    REQUIRE(tb::run_multilevel(pr2, tb::settings_of(first, false), ctl2, first, euclidean{}, none).has_value());
    CHECK(none.empty());
    CHECK(pr2.graph == &in.graph);
  }
  const auto r = partition(in.acts, in.xy, in.graph, o);
  REQUIRE(r.assignment.complete());
  // sums, contiguity and diameters as reported are those of the plan in the caller's numbering
  const auto chk = test::check_result(in.acts, &in.graph, r, p);
  CHECK_MESSAGE(chk.ok(), chk.summary());
  CHECK(r.feasible());
  for (territory_index t = 0; t < p; ++t) CHECK(test::territory_pieces(in.graph, r.assignment.assignment(), t) == 1);
  // deterministic through the renumbering
  const auto again = partition(in.acts, in.xy, in.graph, o);
  CHECK(r.assignment == again.assignment);
}

TEST_CASE("balance/coarsen: heavy edges first, ties to the closer neighbour (hand-checked 2x4 grid)") {
  // columns at x = 0, 1, 3, 4 (a gap between columns 1 and 2), rows 3 apart:
  //   4 - 5 - 6 - 7
  //   |   |   |   |
  //   0 - 1 - 2 - 3
  const double x[4] = {0, 1, 3, 4};
  Eigen::MatrixX2d xy(8, 2);
  for (int k = 0; k < 8; ++k) {
    xy(k, 0) = x[k % 4];
    xy(k, 1) = 3.0 * (k / 4);
  }
  const auto g = adjacency::from_edges(8, test::grid_edges(2, 4));
  const Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(8, 1);
  auto pr = tb::make_problem(acts, xy, {0.05}, 1);  // w = 1/8 each
  pr.graph = &g;
  const std::vector<char> balanced{1};
  for (std::uint64_t seed : {1U, 2U, 3U, 4U, 5U}) {
    CAPTURE(seed);
    rng gen(seed);
    // level 1: whatever the visiting order, the closest neighbours pair: {0,1} {2,3} {4,5} {6,7}
    // (numbered in the order the matching made them)
    const auto l1 = tb::coarsen(view_of(pr), balanced, 1.0, gen);
    REQUIRE(l1.size() == 4);
    const auto& f1 = l1.fine_to_coarse;
    const account_index c0 = f1[0], c1 = f1[2], c2 = f1[4], c3 = f1[6];
    CHECK(f1[1] == c0);
    CHECK(f1[3] == c1);
    CHECK(f1[5] == c2);
    CHECK(f1[7] == c3);
    CHECK(std::set<account_index>{c0, c1, c2, c3}.size() == 4);
    // coarse edges: 0-1 (one fine edge), 0-2 (two), 1-3 (two), 2-3 (one)
    CHECK(l1.graph.edge_count() == 4);
    std::map<std::pair<account_index, account_index>, double> w1;
    for (account_index a = 0; a < 4; ++a) {
      const auto nb = l1.graph.neighbors(a);
      for (std::size_t i = 0; i < nb.size(); ++i) w1[{a, nb[i]}] = l1.edge_weight[l1.graph.offsets()[a] + i];
    }
    CHECK(w1 == std::map<std::pair<account_index, account_index>, double>{
                    {{c0, c1}, 1}, {{c1, c0}, 1}, {{c0, c2}, 2}, {{c2, c0}, 2}, {{c1, c3}, 2}, {{c3, c1}, 2}, {{c2, c3}, 1}, {{c3, c2}, 1}});
    CHECK(l1.xy[c0][0] == doctest::Approx(0.5));
    CHECK(l1.xy[c1][0] == doctest::Approx(3.5));
    CHECK(l1.xy[c2][1] == doctest::Approx(3.0));
    CHECK(l1.w[c0] == doctest::Approx(0.25));
    CHECK(l1.radius[c0] == doctest::Approx(0.5));
    // level 2: the heavy (vertical) edges win although the horizontal pairs are closer
    const auto l2 = tb::coarsen(l1.view(1), balanced, 1.0, gen);
    REQUIRE(l2.size() == 2);
    CHECK(l2.fine_to_coarse[c0] == l2.fine_to_coarse[c2]);
    CHECK(l2.fine_to_coarse[c1] == l2.fine_to_coarse[c3]);
    CHECK(l2.fine_to_coarse[c0] != l2.fine_to_coarse[c1]);
    CHECK(l2.graph.edge_count() == 1);
    CHECK(l2.edge_weight == territory::detail::huge_vector<float>{2, 2});
    CHECK(l2.count == territory::detail::huge_vector<double>{4, 4});
    // radius, a bound: half the distance between the two pairs' points (1.5) plus their radius (0.5);
    // the members of {0,1,4,5} actually lie within hypot(0.5, 1.5) of their mean (0.5, 1.5)
    CHECK(l2.radius[l2.fine_to_coarse[c0]] == doctest::Approx(2.0));
  }
}

TEST_CASE("balance/coarsen: a match that would reach beyond max_radius is refused") {
  // path 0 - 1 - 2 at x = 0, 1, 100: the long edge 1-2 may not be contracted with max_radius 10
  Eigen::MatrixX2d xy(3, 2);
  xy << 0, 0, 1, 0, 100, 0;
  const auto g = adjacency::from_edges(3, std::vector<edge>{{0, 1}, {1, 2}});
  const Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(3, 1);
  auto pr = tb::make_problem(acts, xy, {0.05}, 1);
  pr.graph = &g;
  const std::vector<char> balanced{1};
  bool long_match = false;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    rng gen(seed);
    const auto c = tb::coarsen(view_of(pr), balanced, 1.0, gen, 10.0);
    check_level(view_of(pr), c);
    CHECK(c.fine_to_coarse[2] != c.fine_to_coarse[1]);
    for (double r : c.radius) CHECK(r <= 10.0);
    rng gen2(seed);
    const auto u = tb::coarsen(view_of(pr), balanced, 1.0, gen2);  // no radius cap
    long_match = long_match || u.fine_to_coarse[2] == u.fine_to_coarse[1];
  }
  CHECK(long_match);  // without the cap some visiting order contracts the long edge (the test can fail)
}

TEST_CASE("balance/coarsen: a match above the activity cap is refused") {
  const auto g = adjacency::from_edges(8, test::grid_edges(2, 4));
  const auto t = test::grid_table(2, 4);
  auto pr = tb::make_problem(t.activities(), t.coordinates(), {0.05, 0.05}, 1);  // revenue 1/8 each
  pr.graph = &g;
  rng gen(3);
  // cap 0.2 < 2/8 on revenue: nothing can be matched
  const auto none = tb::coarsen(view_of(pr), std::vector<char>{1, 0}, 0.2, gen);
  CHECK(none.size() == 8);
  // the cap ignores columns that are not balanced
  const auto all = tb::coarsen(view_of(pr), std::vector<char>{0, 0}, 0.2, gen);
  CHECK(all.size() == 4);
}

TEST_CASE("balance/multilevel: always on a few thousand accounts gives a complete, connected, feasible plan") {
  for (std::uint64_t seed : {1U, 2U}) {
    CAPTURE(seed);
    const auto in = test::jittered_grid(60, 60, seed);
    const territory_index p = 8;
    const partition_options o{.territories = p, .seed = seed, .stop_when_feasible = true,
                              .multilevel = multilevel_mode::always};
    // the driver applies (it is not a fallback to the single-level engine)
    const auto direct = run_driver(in, o);
    REQUIRE(direct.has_value());
    const auto r = partition(in.acts, in.xy, in.graph, o);
    CHECK(std::equal(r.assignment.assignment().begin(), r.assignment.assignment().end(), direct->assign.begin(),
                     direct->assign.end()));
    REQUIRE(r.assignment.size() == 3600);
    REQUIRE(r.assignment.complete());
    const auto chk = test::check_plan(in.acts, &in.graph, r.assignment, p);
    CHECK_MESSAGE(chk.ok(), chk.summary());
    CHECK(chk.feasible());
    CHECK(r.feasible());
    CHECK(r.violations.empty());
    CHECK((chk.sums - r.sums).cwiseAbs().maxCoeff() < 1e-9);
    for (territory_index t = 0; t < p; ++t) {
      CHECK(test::territory_pieces(in.graph, r.assignment.assignment(), t) == 1);
      CHECK(r.contiguous[t] == 1);
    }
    CHECK(r.why_stopped == status::converged);
    CHECK(r.seconds_to_feasible >= 0.0);
    CHECK(r.graph_components == 1);
    CHECK(r.max_diameter == doctest::Approx(*std::max_element(r.diameters.begin(), r.diameters.end())));
  }
}

TEST_CASE("balance/multilevel: the same seed gives the same plan") {
  const auto in = test::jittered_grid(50, 50, 11);
  partition_options o{.territories = 6, .seed = 42, .iteration_limit = 1500, .multilevel = multilevel_mode::always};
  const auto a = partition(in.acts, in.xy, in.graph, o);
  const auto b = partition(in.acts, in.xy, in.graph, o);
  CHECK(a.assignment == b.assignment);
  CHECK(a.stats.iterations == b.stats.iterations);
  CHECK(a.why_stopped == b.why_stopped);
  o.threads = 2;
  o.starts = 2;
  const auto c = partition(in.acts, in.xy, in.graph, o);
  const auto d = partition(in.acts, in.xy, in.graph, o);
  CHECK(c.assignment == d.assignment);
  CHECK(c.stats.threads == 2);
}

TEST_CASE("balance/multilevel: the compactness choice reaches the coarse solve and the refinement") {
  const auto in = test::jittered_grid(40, 40, 5);
  partition_options o{.territories = 6, .seed = 3, .multilevel = multilevel_mode::always};
  const auto diam = partition(in.acts, in.xy, in.graph, o);
  o.compactness = territory::compactness::center_distance;
  const auto centre = partition(in.acts, in.xy, in.graph, o);
  REQUIRE(diam.feasible());
  REQUIRE(centre.feasible());
  for (territory_index t = 0; t < 6; ++t) CHECK(test::territory_pieces(in.graph, centre.assignment.assignment(), t) == 1);
  CHECK(centre.assignment != diam.assignment);
  // the finest level's search traces the measure it minimises: max diameter, or the sum of
  // distances to centres
  REQUIRE(!diam.stats.objective_trace.empty());
  REQUIRE(!centre.stats.objective_trace.empty());
  CHECK(diam.stats.objective_trace.back() == doctest::Approx(diam.max_diameter));
  CHECK(centre.stats.objective_trace.back() == doctest::Approx(centre.sum_center_distance));
}

TEST_CASE("balance/multilevel: automatic keeps the single-level engine on small instances") {
  const auto in = test::jittered_grid(20, 20, 5);
  const partition_options autom{.territories = 5, .seed = 3, .iteration_limit = 1000};
  partition_options never = autom;
  never.multilevel = multilevel_mode::never;
  CHECK(autom.multilevel == multilevel_mode::automatic);
  CHECK_FALSE(run_driver(in, autom).has_value());
  const auto a = partition(in.acts, in.xy, in.graph, autom);
  const auto b = partition(in.acts, in.xy, in.graph, never);
  CHECK(a.assignment == b.assignment);
  CHECK(a.stats.iterations == b.stats.iterations);
}

TEST_CASE("balance/multilevel: a disconnected graph gives every component whole territories") {
  const auto in = test::jittered_grid(40, 60, 7, 3);  // three 40 x 20 strips
  REQUIRE(connected_components(in.graph).count == 3);
  const territory_index p = 6;
  const auto r = partition(in.acts, in.xy, in.graph,
                           {.territories = p, .seed = 1, .stop_when_feasible = true, .multilevel = multilevel_mode::always});
  REQUIRE(r.assignment.complete());
  CHECK(r.graph_components == 3);
  const auto comp = connected_components(in.graph);
  for (territory_index t = 0; t < p; ++t) {
    CHECK(test::territory_pieces(in.graph, r.assignment.assignment(), t) == 1);
    std::set<std::uint32_t> cs;
    for (account_index a = 0; a < r.assignment.size(); ++a) {
      if (r.assignment[a] == t) cs.insert(comp.label[a]);
    }
    CHECK(cs.size() == 1);
  }
  CHECK(r.feasible());
}

TEST_CASE("balance/multilevel: precheck explanations are unchanged and name the original account") {
  auto in = test::jittered_grid(40, 40, 3);
  in.acts(777, 1) = in.acts.col(1).sum();  // one account holds half of the product demand
  std::vector<std::string> ids;
  for (int a = 0; a < 1600; ++a) ids.push_back("acc" + std::to_string(a));
  const partition_options o{.territories = 4, .seed = 2, .iteration_limit = 500,
                            .activity_names = {"customers", "demand", "workload"}, .account_ids = ids,
                            .multilevel = multilevel_mode::always};
  const auto expected = precheck(in.acts, &in.graph, o);
  REQUIRE(!expected.empty());
  CHECK(expected[0].reason.find("account 'acc777' alone holds") == 0);
  REQUIRE(run_driver(in, o).has_value());  // the driver applies
  const auto r = partition(in.acts, in.xy, in.graph, o);
  CHECK(r.precheck.size() == expected.size());
  CHECK(r.why_stopped == status::proven_infeasible);
  REQUIRE(r.violations.size() >= expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(r.violations[i].reason == expected[i].reason);
    CHECK(r.violations[i].kind == expected[i].kind);
  }
  CHECK(r.assignment.complete());
  CHECK_FALSE(r.feasible());
}

TEST_CASE("balance/multilevel: a stop request or the progress callback cancels with a complete plan") {
  const auto in = test::jittered_grid(40, 40, 4);
  std::stop_source src;
  src.request_stop();
  const auto r = partition(in.acts, in.xy, in.graph,
                           {.territories = 4, .stop = src.get_token(), .multilevel = multilevel_mode::always});
  CHECK(r.why_stopped == status::cancelled);
  CHECK(r.assignment.size() == 1600);
  CHECK(r.assignment.complete());
  int calls = 0;
  const auto q = partition(in.acts, in.xy, in.graph,
                           {.territories = 4,
                            .on_progress = [&calls](const progress&) {
                              ++calls;
                              return true;
                            },
                            .multilevel = multilevel_mode::always});
  CHECK(calls >= 1);
  CHECK(q.why_stopped == status::cancelled);
  CHECK(q.assignment.complete());
}

TEST_CASE("balance/multilevel: the iteration limit is reported") {
  const auto in = test::jittered_grid(40, 40, 6);
  const auto r = partition(in.acts, in.xy, in.graph,
                           {.territories = 5, .iteration_limit = 50, .multilevel = multilevel_mode::always});
  CHECK(r.why_stopped == status::iteration_limit);
  CHECK(r.assignment.complete());
}

TEST_CASE("balance/multilevel: without a graph the driver runs on the k-nearest-neighbour graph") {
  const auto in = test::jittered_grid(40, 50, 8);
  const auto r = partition(in.acts, in.xy,
                           {.territories = 5, .seed = 4, .stop_when_feasible = true, .multilevel = multilevel_mode::always});
  REQUIRE(r.assignment.complete());
  CHECK(r.feasible());
  CHECK(std::all_of(r.contiguous.begin(), r.contiguous.end(), [](auto c) { return c == 1; }));
  const auto chk = test::check_plan(in.acts, nullptr, r.assignment, 5);
  CHECK_MESSAGE(chk.ok(), chk.summary());
  CHECK((chk.sums - r.sums).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("detail/huge_pages: large buffers start on a 2 MiB boundary and behave as std::vector's") {
  using territory::detail::huge_vector;
  constexpr std::size_t big = (std::size_t{5} << 20U) / sizeof(std::uint32_t) + 123;  // 5 MiB and a tail
  huge_vector<std::uint32_t> v(big, 7U);
#if defined(__linux__)
  CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % territory::detail::kHugePageBytes == 0);
#endif
  for (std::size_t i = 0; i < big; i += 4099) REQUIRE(v[i] == 7U);
  CHECK(v.back() == 7U);
  for (std::size_t i = 0; i < big; ++i) v[i] = static_cast<std::uint32_t>(i);
  v.resize(3 * big, 1U);  // reallocation: the old mapping is returned, the contents move
  CHECK(v[big - 1] == big - 1);
  CHECK(v[3 * big - 1] == 1U);
  const huge_vector<std::uint32_t> copy = v;
  CHECK(copy == v);
  v.resize(10);
  v.shrink_to_fit();  // below the threshold: std::allocator
  CHECK(v.size() == 10);
  CHECK(v[9] == 9U);
  huge_vector<double> empty;
  empty.reserve(1);
  CHECK(empty.capacity() >= 1);
  CHECK_THROWS_AS((void)territory::detail::huge_page_allocator<double>{}.allocate(SIZE_MAX / 4), std::bad_array_new_length);
}
