// Fuzz target: partition() on a small random instance built from bytes (1..24 accounts, 1..2
// activity columns, a random graph or none, p from 1 to n + 1, a tolerance, and random
// constraints: locks, a minimum count, a median cap or floor, a diameter cap; 1 or 2 threads;
// a starting plan). The options are always valid, so partition() must not throw. Oracle: the
// independent checker (tests/support/check_plan.hpp) and evaluate_plan():
//   - always: every account in exactly one territory < p, locked accounts in their territory,
//     the reported sums and contiguity equal the recomputed ones;
//   - a plan said to be feasible is feasible: balanced, contiguous (checker and evaluate_plan),
//     every minimum count, median bound and the diameter cap hold when recomputed;
//   - an empty territory is reported, and only occurs with too few (free) accounts or a starting
//     plan that has one;
//   - without business constraints the verdict equals the checker's both ways.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <limits>
#include <vector>

#include <territory/plan/metrics.hpp>
#include <territory/balance/partition.hpp>

#include "support/check_plan.hpp"

#include "fuzz/fuzz_support.hpp"

namespace {
using reader = territory_fuzz::byte_reader;

[[noreturn]] void fail(const std::string& what) { territory_fuzz::fail("planner_fuzz", what); }

double activity(reader& r) {
  switch (r.byte() % 8) {
    case 0: return 0.0;
    case 1: return 1e6 * (1 + r.byte());
    case 2: return 1e-3 * r.byte();
    default: return 1.0 + r.byte() % 20;
  }
}

double median_of(std::vector<double> s) {
  std::sort(s.begin(), s.end());
  const std::size_t k = s.size();
  return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using territory::territory_index;
  reader r{data, size};
  const std::size_t n = 1 + r.byte() % 24;
  const Eigen::Index m = 1 + r.byte() % 2;
  Eigen::MatrixXd acts(static_cast<Eigen::Index>(n), m);
  Eigen::MatrixX2d xy(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = static_cast<Eigen::Index>(i);
    xy(a, 0) = r.byte() % 16;  // duplicate coordinates are likely
    xy(a, 1) = r.byte() % 16;
    for (Eigen::Index j = 0; j < m; ++j) acts(a, j) = activity(r);
  }
  // graph: none, a path plus random chords, or random edges only (often disconnected)
  const auto shape = r.byte() % 3;
  std::vector<territory::edge> edges;
  if (shape == 1) {
    for (std::size_t i = 0; i + 1 < n; ++i) edges.push_back({static_cast<territory::account_index>(i), static_cast<territory::account_index>(i + 1)});
  }
  if (shape != 0) {
    const std::size_t extra = r.byte() % (2 * n + 1);
    for (std::size_t k = 0; k < extra; ++k) {
      const auto a = static_cast<territory::account_index>(r.byte() % n);
      const auto b = static_cast<territory::account_index>(r.byte() % n);
      if (a != b) edges.push_back({a, b});
    }
  }
  const bool with_graph = shape != 0;
  const auto g = territory::adjacency::from_edges(n, edges);

  territory::partition_options o;
  const auto p = static_cast<territory_index>(1 + r.byte() % (n + 1));
  o.territories = p;
  static constexpr double taus[] = {0.0, 0.01, 0.05, 0.1, 0.3, 0.9};
  o.tolerance = {taus[r.byte() % 6]};
  o.seed = r.byte();
  o.threads = 1 + r.byte() % 2;
  o.starts = 1 + r.byte() % 3;
  o.iteration_limit = 50 + 10 * static_cast<std::uint64_t>(r.byte());
  o.time_limit_seconds = 0.5;
  o.kicks = r.byte() % 3;
  o.smooth = r.byte() % 2 == 0;
  o.stop_when_feasible = r.byte() % 4 == 0;
  o.compactness = r.byte() % 2 ? territory::compactness::center_distance : territory::compactness::max_diameter;
  const auto flags = r.byte();
  bool constrained = false;
  if (flags & 1) {  // locks
    o.locked.assign(n, territory::no_territory);
    for (std::size_t i = 0; i < n; ++i) {
      if (r.byte() % 5 == 0) o.locked[i] = static_cast<territory_index>(r.byte() % p);
    }
    constrained = true;
  }
  if (flags & 2) {  // a minimum count
    territory::min_count c{"tier=A", std::vector<std::uint8_t>(n), static_cast<std::uint32_t>(1 + r.byte() % 2)};
    for (auto& x : c.member) x = r.byte() % 3 == 0;
    o.min_counts.push_back(std::move(c));
    constrained = true;
  }
  if (flags & 4) {  // a median cap or floor
    territory::median_bound b;
    b.name = "load";
    b.values.resize(n);
    for (auto& v : b.values) v = activity(r);
    b.side = r.byte() % 2 ? territory::median_side::cap : territory::median_side::floor;
    b.factor = b.side == territory::median_side::cap ? 1.0 + 0.1 * (r.byte() % 10) : 0.1 + 0.1 * (r.byte() % 10);
    o.median_bounds.push_back(std::move(b));
    constrained = true;
  }
  if (flags & 8) {  // a diameter cap
    o.max_diameter = 1.0 + r.byte() % 20;
    constrained = true;
  }
  if (flags & 16) {  // a starting plan that agrees with the locks
    o.initial_assignment.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      o.initial_assignment[i] = !o.locked.empty() && o.locked[i] != territory::no_territory
                                    ? o.locked[i]
                                    : static_cast<territory_index>(r.byte() % p);
    }
  }

  const auto res = with_graph ? territory::partition(acts, xy, g, o) : territory::partition(acts, xy, o);
  const territory::adjacency* graph = with_graph ? &g : nullptr;

  // always: a complete plan of p territories, locks honoured, reported figures true
  if (res.assignment.size() != n || res.assignment.territory_count() != p) fail("plan has the wrong shape");
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = res.assignment[static_cast<territory::account_index>(i)];
    if (t >= p) fail("an account has no territory");
    if (!o.locked.empty() && o.locked[i] != territory::no_territory && t != o.locked[i]) fail("a locked account moved");
  }
  const auto check = territory::test::check_plan(acts, graph, res.assignment, p, o.tolerance, false);
  if (static_cast<std::size_t>(res.sums.rows()) != p || res.sums.cols() != m) fail("sums have the wrong shape");
  const double scale = std::max(1.0, check.sums.cwiseAbs().maxCoeff());
  if ((check.sums - res.sums).cwiseAbs().maxCoeff() > 1e-9 * scale) fail("reported sums differ from recomputed sums");
  if (res.contiguous.size() != p) fail("contiguity has the wrong size");
  if (graph != nullptr) {
    for (std::size_t t = 0; t < p; ++t) {
      if ((res.contiguous[t] != 0) != (check.pieces[t] <= 1)) fail("reported contiguity is wrong");
    }
  }
  std::size_t free = n, lock_targets = 0;
  if (!o.locked.empty()) {
    std::vector<std::uint8_t> target(p, 0);
    for (const auto t : o.locked) {
      if (t == territory::no_territory) continue;
      --free;
      lock_targets += target[t] ? 0 : 1;
      target[t] = 1;
    }
  }
  // an empty territory is reported; only a starting plan with an empty territory (kept when the
  // precheck proves the instance infeasible), or too few accounts (p > free accounts + territories
  // with locked accounts) leave one
  for (std::size_t t = 0; t < p; ++t) {
    if (check.pieces[t] != 0) continue;  // pieces: 0 exactly when the territory has no account
    const bool reported = std::any_of(res.violations.begin(), res.violations.end(), [&](const territory::violation& v) {
      return v.kind == territory::constraint_kind::empty && v.territory == t;
    });
    if (!reported) fail("an empty territory is not reported");
    if (o.initial_assignment.empty() && p <= free + lock_targets) fail("an empty territory that could be filled");
  }
  if (!constrained && p <= n && o.initial_assignment.empty()) {
    const auto full = territory::test::check_result(acts, graph, res, p, o.tolerance);
    if (!full.ok()) {
      std::fprintf(stderr, "%s", full.summary().c_str());
      fail("check_result disagrees with the result");
    }
  }
  if (!res.feasible()) return 0;

  // a plan said to be feasible must be feasible
  if (!check.feasible()) fail("feasible plan fails the checker (balance, contiguity or completeness)");
  const auto metrics = territory::evaluate_plan(acts, xy, graph, res.assignment, o.tolerance);
  if (!metrics.feasible()) fail("feasible plan has violations in evaluate_plan");
  for (std::size_t t = 0; t < p; ++t) {
    if (metrics.territories[t].diameter > o.max_diameter * (1 + 1e-9)) fail("feasible plan breaks the diameter cap");
  }
  for (const auto& c : o.min_counts) {
    std::vector<std::uint32_t> count(p, 0);
    for (std::size_t i = 0; i < n; ++i) count[res.assignment[static_cast<territory::account_index>(i)]] += c.member[i];
    for (auto k : count) {
      if (k < c.min) fail("feasible plan breaks a minimum count");
    }
  }
  for (const auto& b : o.median_bounds) {
    std::vector<double> s(p, 0.0);
    for (std::size_t i = 0; i < n; ++i) s[res.assignment[static_cast<territory::account_index>(i)]] += b.values[i];
    const double med = median_of(s);
    double total = 0;
    for (double v : s) total += v;
    const double eps = 1e-9 * std::max(1.0, total);
    for (double v : s) {
      if (b.side == territory::median_side::cap && v > b.factor * med + eps) fail("feasible plan breaks a median cap");
      if (b.side == territory::median_side::floor && v < b.factor * med - eps) fail("feasible plan breaks a median floor");
    }
  }
  return 0;
}
