#pragma once

// The multilevel driver of partition() (issue 6), for 10^5-10^6 accounts:
//
//  1. Coarsen (coarsen.hpp): clusters of consecutive connected accounts along a Z-order curve as the
//     first level (the caller's numbering may be random; the clusters are numbered along the curve),
//     then heavy-edge matchings until at most max(30·p, min(30,000, n/8)) nodes remain or a level
//     shrinks by less than 10 %. A merge never makes a node heavier than 1/8 of a territory mean in a
//     balanced column, nor wider than coarse_radius_share sides of a mean territory
//     (coarse_max_radius). Levels whose coarsest graph would leave a component fewer nodes than
//     territories are dropped.
//  2. Solve the coarsest instance with the single-level engine (solve_single: component allocation,
//     multi-start, search), its counts and work budgets derived from 40 % of the time limit's value
//     (70 % with stop_when_feasible).
//  3. Uncoarsen: project the plan level by level; at each intermediate level a `searcher` started
//     from the projected plan repairs balance if the projection is not feasible (stop at the first
//     feasible plan; work budget: its share of the other 60 %) or else, on levels of at most 100,000
//     nodes, rounds the territories off (one compaction sweep; none with stop_when_feasible); the
//     finest level runs the full search (balance, then compactness) with the work budget of 60 % of
//     the limit, its first compaction sweep cut to large_level_sweep_passes passes above 100,000
//     accounts (with stop_when_feasible and a feasible projection: nothing, the projection is the plan).
//     The full search runs on `fine` renumbered along the Z-order curve (renumber.hpp, `renum`); the
//     caller runs the smoothing on it too and restores its own numbering.
//  4. The caller (run_partition) evaluates the plan on the original input, as for the single-level engine.
//
// Coarse sums equal fine sums and a contiguous coarse plan projects to a contiguous fine plan, so a
// feasible coarse plan is feasible at every finer level. The precheck runs once, on the original
// accounts, in run_partition. Determinism: the matchings use rng(derive_seed(seed, kLevelStream)), the
// levels' searchers derive_seed(seed, kLevelStream + level); every count and budget derives from n, p,
// the threads and the time limit's value, never from measured time (the coarsening time included), so
// the same seed and threads give the same plan unless the wall clock stops a stage (a safety stop).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "territory/balance/multilevel_mode.hpp"
#include "territory/balance/partition_options.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/balance/coarsen.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/partition_impl.hpp"
#include "territory/detail/balance/precheck_impl.hpp"
#include "territory/detail/balance/construct.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/renumber.hpp"
#include "territory/detail/balance/search.hpp"
#include "territory/detail/balance/smooth.hpp"
#include "territory/detail/balance/tuning.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {


/// The columns of a level's normalised activities (n_l x m, column-major).
inline Eigen::MatrixXd level_activities(std::span<const double> w, std::size_t n, std::size_t m) {
  Eigen::MatrixXd cw(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t j = 0; j < m; ++j) cw(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j)) = w[a * m + j];
  }
  return cw;
}

/// The largest radius of a coarse node: coarse_radius_share times the side of a square territory of
/// mean area (bounding box of the coordinates / p). Without it, matchings along the long edges of a
/// Delaunay graph near the hull made coarse nodes ~100 accounts apart on the 10^6 CTDP instance, and
/// the projection of a coarse plan of max diameter 57 had max diameter 164. O(n).
inline double coarse_max_radius(std::span<const point> xy, std::size_t p) {
  if (xy.empty()) return std::numeric_limits<double>::infinity();
  double minx = xy[0][0], maxx = minx, miny = xy[0][1], maxy = miny;
  for (const auto& q : xy) {
    minx = std::min(minx, q[0]);
    maxx = std::max(maxx, q[0]);
    miny = std::min(miny, q[1]);
    maxy = std::max(maxy, q[1]);
  }
  const double area = std::max((maxx - minx) * (maxy - miny), std::max((maxx - minx) * (maxx - minx), (maxy - miny) * (maxy - miny)) * 1e-6);
  const double r = coarse_radius_share * std::sqrt(area / static_cast<double>(std::max<std::size_t>(p, 1)));
  return r > 0.0 ? r : std::numeric_limits<double>::infinity();
}

/// Coarsening hierarchy: levels[0] is made from the original graph, levels.back() is the coarsest.
/// Empty when the graph cannot be coarsened usefully. Every column of `fine` is balanced.
inline std::vector<coarse_level> build_hierarchy(const problem& fine, std::uint64_t seed, const std::stop_token& stop) {
  const std::size_t n = fine.n, m = fine.m, p = fine.p;
  const std::vector<char> balanced(m, 1);
  const std::size_t target = std::max(coarse_nodes_per_territory * p, std::min(coarse_min_nodes, n / 8));
  rng gen(derive_seed(seed, kLevelStream));
  std::vector<coarse_level> levels;
  level_view cur{fine.graph, {}, fine.w, m, fine.xy, {}, {}};
  const double max_radius = coarse_max_radius(fine.xy, p);
  while (cur.graph->size() > target && !stop.stop_requested()) {
    coarse_level next;
    if (levels.empty()) {
      // The caller's numbering may be random (it is on the generated 10^6 instance): the first level
      // clusters runs of accounts along a Z-order curve (cluster_along_curve), reading the accounts in
      // curve order with prefetches, and numbers the clusters along the curve; the coarser levels are
      // numbered spatially as they are made (coarsen.hpp).
      next = cluster_along_curve(cur, spatial_order(fine.xy), balanced, coarse_cap, max_radius, curve_cluster_members);
    } else {
      next = coarsen(cur, balanced, coarse_cap, gen, max_radius);
    }
    if (next.size() * 10 > cur.graph->size() * 9) break;  // shrank by less than 10 %
    levels.push_back(std::move(next));
    cur = levels.back().view(m);
  }
  // Every component must keep at least as many coarse nodes as territories it receives.
  while (!levels.empty()) {
    const auto& c = levels.back();
    const auto cw = level_activities(c.w, c.size(), m);
    const auto shares = component_activity(cw, c.graph);
    const std::vector<char> zero_col(m, 0);
    const auto alloc = allocate_components(shares, p, fine.tau, zero_col);
    std::vector<std::size_t> nodes(shares.comp.count, 0);
    for (auto l : shares.comp.label) ++nodes[l];
    bool ok = true;
    for (std::size_t k = 0; k < alloc.size(); ++k) ok = ok && nodes[k] >= alloc[k];
    if (ok) break;
    levels.pop_back();
  }
  return levels;
}

/// The driver on the normalised problem `fine` (graph set, components not yet allocated);
/// std::nullopt = not applicable (mode, size, p > n, nothing to balance, graph does not coarsen),
/// and the caller runs the single-level engine.
template <class Distance>
std::optional<multilevel_outcome> run_multilevel(problem& fine, const engine_settings& es, run_control& ctl,
                                                 const partition_options& o, const Distance& dist, renumbering& renum) {
  const std::size_t n = fine.n, m = fine.m, p = fine.p;
  if (o.multilevel == multilevel_mode::never) return std::nullopt;
  if (o.multilevel == multilevel_mode::automatic && n < multilevel_threshold) return std::nullopt;
  if (p == 0 || p > n || m == 0) return std::nullopt;
  // Locks, minimum counts, median bounds, a hard diameter cap, target shares, seeds and a starting plan are not carried
  // through the coarsening (a coarse node could merge accounts locked to different territories): the single-level engine runs.
  if (!fine.locked.empty() || !fine.share.empty() || !fine.seeds.empty() || fine.m != fine.mb || !o.initial_assignment.empty() || !std::isinf(fine.max_diameter)) {
    return std::nullopt;
  }
  std::vector<coarse_level> levels = build_hierarchy(fine, o.seed, o.stop);
  if (levels.empty()) return std::nullopt;

  const double coarse_share = es.stop_when_feasible ? kCoarseShareFirstFeasible : kCoarseShare;
  const double refine_value = es.time_value * (1.0 - coarse_share);  // the refinement's share of the limit's value

  // ---- the coarsest instance, by the single-level engine ----
  multilevel_outcome mo;
  {
    const coarse_level& top = levels.back();
    problem cp;
    cp.n = top.size();
    cp.m = cp.mb = cp.mf = cp.mx = m;
    cp.p = p;
    cp.w = top.w;
    cp.tau = fine.tau;
    cp.column = fine.column;
    cp.balanced.assign(m, 1);
    cp.xy = top.xy;
    cp.graph = &top.graph;
    allocate_territories(cp, level_activities(cp.w, cp.n, m), fine.tau, std::vector<char>(m, 0));
    engine_settings ces = es;
    ces.time_value = es.time_value * coarse_share;
    auto cr = solve_single(cp, ces, ctl, dist);
    mo.assign = std::move(cr.best.assign);
    mo.iterations = cr.iterations;
    mo.moves = cr.moves;
    mo.seconds_to_feasible = cr.seconds_to_feasible;
    mo.by_time = cr.by_time;
    mo.by_limit = cr.by_limit;
  }
  auto& assign = mo.assign;
  auto poll = [&](std::uint64_t it, double obj, std::size_t v) { return ctl.poll("refine", it, obj, v); };

  // ---- uncoarsen and refine ----
  const std::size_t level_count = levels.size();
  for (std::size_t k = levels.size(); k-- > 0;) {
    {
      const auto& map = levels[k].fine_to_coarse;
      std::vector<territory_index> finer(map.size());
      for (std::size_t v = 0; v < map.size(); ++v) finer[v] = assign[map[v]];
      assign = std::move(finer);
      levels[k] = coarse_level{};  // refined and projected: free its graph and map
    }
    const bool finest = k == 0;
    problem lvl;
    if (!finest) {
      auto& src = levels[k - 1];
      lvl.n = src.size();
      lvl.m = lvl.mb = lvl.mf = lvl.mx = m;
      lvl.p = p;
      lvl.w = std::move(src.w);
      lvl.tau = fine.tau;
      lvl.xy = std::move(src.xy);
      lvl.graph = &src.graph;
    }
    const problem& pr = finest ? fine : lvl;
    if (ctl.stop_requested()) continue;  // project only: the plan stays complete
    search_limits lim;
    lim.t0 = ctl.t0();
    lim.measure = es.measure;
    lim.deadline = ctl.deadline();
    lim.hard_deadline = ctl.deadline();
    const bool feasible_start = plan_excess(pr, assign) <= kBalanceEps;
    const bool sweep_only = feasible_start && (!finest || es.stop_when_feasible);
    // A compaction sweep costs O(n·deg) per pass, up to 30 passes. Measured on the 10^6 instance
    // (stop_when_feasible): on the levels above 10^5 nodes the sweeps took 4-12 s each and the max
    // diameter did not fall (84 -> 88); there the projected feasible plan is kept as it is.
    // With stop_when_feasible the feasible projection is the answer: no sweep (at 10^6 the sweeps of the
    // levels <= 10^5 nodes cost ~1 s of the call and only rounded off a plan nobody asked to be compact).
    if (sweep_only && (pr.n > max_sweep_nodes || es.stop_when_feasible)) continue;
    if (sweep_only) {
      lim.iteration_limit = 1;  // one compaction sweep (run() sweeps before its first limit check)
    } else if (finest) {
      lim.iteration_limit = min_limit(es.iteration_limit, work_budget(refine_value, pr.n, p));
      lim.stop_when_feasible = es.stop_when_feasible;
      lim.kicks = es.kicks;
      lim.deadline = ctl.search_deadline(es.reserve_smoothing);  // the smoothing pass after it keeps its share
      if (pr.n > max_sweep_nodes) {
        lim.sweep_passes = large_level_sweep_passes;
        lim.diffuse_passes = large_level_diffuse_passes;
      }
    } else {
      // repair balance here (cheaper than on the finer levels), with a share of the refinement budget
      lim.iteration_limit =
          min_limit(es.iteration_limit, work_budget(refine_value / static_cast<double>(level_count + 1), pr.n, p));
      lim.stop_when_feasible = true;
    }
    if (finest && !es.stop_when_feasible && worth_renumbering(*fine.graph)) {
      // The full search (and the smoothing after it, in run_partition) reads neighbours of the
      // accounts it moves: on a random numbering of the caller's (the generated 10^6 instance) each is
      // a cache miss. They run on the accounts renumbered along the curve; run_partition restores the
      // caller's numbering. The coarse levels are freed by now, so the renumbered graph does not add
      // to the coarsening's peak (it adds ~32 MB to the finest search's at 10^6).
      renumber_problem(fine, assign, spatial_order(fine.xy), renum);
    }
    searcher<Distance> srch(pr, dist, derive_seed(o.seed, kLevelStream + 1 + k), poll);
    auto out = srch.run(std::move(assign), lim);
    assign = std::move(out.assign);
    ctl.finished(out.iterations, out.balance_excess > kBalanceEps ? out.balance_excess : out.max_diameter,
                 out.balance_excess > kBalanceEps ? 1 : 0);
    mo.iterations += out.iterations;
    mo.moves += out.moves;
    if (out.seconds_to_feasible >= 0.0 && (mo.seconds_to_feasible < 0.0 || out.seconds_to_feasible < mo.seconds_to_feasible)) {
      mo.seconds_to_feasible = out.seconds_to_feasible;
    }
    mo.by_time = mo.by_time || out.stopped_by_time;
    if (out.stopped_by_limit && !sweep_only) {
      if (es.iteration_limit != 0 && out.iterations >= es.iteration_limit) {
        mo.by_limit = mo.by_limit || finest;
      } else {
        mo.by_time = true;  // the work budget derived from the time limit
      }
    }
    if (finest) mo.trace = std::move(out.trace);
  }
  return mo;
}

}  // namespace territory::detail::balance
