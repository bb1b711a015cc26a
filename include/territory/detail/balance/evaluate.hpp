#pragma once

// Fills a partition_result from an assignment: sums, deviations, diameters, contiguity, violations.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/balance/partition_options.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/diameter.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/contiguity.hpp"

namespace territory::detail::balance {

/// Why a run stopped, in order of precedence, and the precheck's explanations put first among the
/// violations (they say why no plan can be feasible). Shared by the single-level engine and the
/// multilevel driver.
inline void set_stop_reason(partition_result& r, const std::vector<violation>& pre, bool cancelled, bool by_time,
                            bool by_limit) {
  if (!pre.empty()) {
    r.why_stopped = status::proven_infeasible;
    r.violations.insert(r.violations.begin(), pre.begin(), pre.end());
  } else if (cancelled) {
    r.why_stopped = status::cancelled;
  } else if (by_time) {
    r.why_stopped = status::time_limit;
  } else if (by_limit) {
    r.why_stopped = status::iteration_limit;
  } else {
    r.why_stopped = status::converged;
  }
}

template <class Distance>
void evaluate(partition_result& r, const std::vector<territory_index>& assign,
              const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
              const adjacency* graph, const partition_options& o, const Distance& dist) {
  const std::size_t n = assign.size();
  const std::size_t p = o.territories;
  const auto m = static_cast<std::size_t>(acts.cols());
  const auto tau = expand_tolerance(o, m);
  r.assignment = plan(assign, static_cast<territory_index>(p));
  r.sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(m));
  for (std::size_t a = 0; a < n; ++a) r.sums.row(assign[a]) += acts.row(static_cast<Eigen::Index>(a));
  r.max_deviation = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
  r.violations.clear();
  r.notes.clear();
  Eigen::RowVectorXd total = acts.colwise().sum();
  std::vector<std::vector<account_index>> members(p);
  for (std::size_t a = 0; a < n; ++a) members[assign[a]].push_back(static_cast<account_index>(a));
  for (std::size_t j = 0; j < m; ++j) {
    if (total(static_cast<Eigen::Index>(j)) <= 0.0) {
      r.notes.push_back(fmt::format("activity column {} is zero for every account: its mean is 0, so it is "
                                    "treated as balanced",
                                    column_name(o, j)));
    }
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (members[t].empty()) {
      r.violations.push_back({constraint_kind::empty, static_cast<territory_index>(t), {}, 1.0,
                              fmt::format("territory {}: has no account", t)});
    }
    for (std::size_t j = 0; j < m; ++j) {
      const double tot = total(static_cast<Eigen::Index>(j));
      if (tot <= 0.0) continue;
      const double mean = tot / static_cast<double>(p);
      const double dev = r.sums(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) / mean - 1.0;
      r.max_deviation(static_cast<Eigen::Index>(t)) = std::max(r.max_deviation(static_cast<Eigen::Index>(t)), std::abs(dev));
      if (std::abs(dev) > tau[j] + 1e-9) {
        r.violations.push_back({constraint_kind::balance, static_cast<territory_index>(t), column_name(o, j),
                                std::abs(dev) - tau[j],
                                fmt::format("territory {}: {} {} {} the mean (allowed {})", t, column_name(o, j),
                                            pct(std::abs(dev)), dev > 0 ? "above" : "below", pct(tau[j]))});
      }
    }
  }
  r.contiguous.assign(p, 1);
  r.cut_edges = 0;
  if (graph != nullptr) {
    for (std::size_t a = 0; a < n; ++a) {
      for (auto b : graph->neighbors(static_cast<account_index>(a))) r.cut_edges += b > a && assign[b] != assign[a] ? 1 : 0;
    }
    const auto pieces = territory::detail::count_pieces(*graph, assign, p);
    for (std::size_t t = 0; t < p; ++t) {
      if (pieces[t] > 1) {
        r.contiguous[t] = 0;
        r.violations.push_back({constraint_kind::contiguity, static_cast<territory_index>(t), {},
                                static_cast<double>(pieces[t] - 1),
                                fmt::format("territory {}: falls into {} disconnected pieces", t, pieces[t])});
      }
    }
  }
  r.diameters.assign(p, 0.0);
  r.max_diameter = 0.0;
  r.sum_center_distance = 0.0;
  std::vector<hull_point> pts, hull;
  for (std::size_t t = 0; t < p; ++t) {
    r.diameters[t] = diameter_of(members[t], xy, dist, pts, hull).value;
    r.max_diameter = std::max(r.max_diameter, r.diameters[t]);
    if (members[t].empty()) continue;
    point c{0.0, 0.0};
    for (auto a : members[t]) {
      c[0] += xy(a, 0);
      c[1] += xy(a, 1);
    }
    c[0] /= static_cast<double>(members[t].size());
    c[1] /= static_cast<double>(members[t].size());
    for (auto a : members[t]) r.sum_center_distance += dist(point{xy(a, 0), xy(a, 1)}, c);
  }
}

/// Why a search ended infeasible when precheck found nothing unavoidable: for the binding territories
/// (largest balance excess first, at most 5) a note "diagnosis: ..." naming the column, how far the
/// territory is off, and the best single boundary move (out of a heavy territory, into a light one;
/// best = least total excess of the two territories afterwards over every column) with the deviations
/// it would leave, so the user sees which territories and columns are in conflict and by how much.
/// Uses r.sums (evaluate first). Complexity O(Σ boundary · deg · m).
inline void diagnose(partition_result& r, const std::vector<territory_index>& assign,
                     const Eigen::Ref<const Eigen::MatrixXd>& acts, const adjacency& graph, const partition_options& o) {
  const std::size_t p = o.territories, m = static_cast<std::size_t>(acts.cols()), n = assign.size();
  if (p == 0 || n == 0) return;
  const auto tau = expand_tolerance(o, m);
  const Eigen::RowVectorXd total = acts.colwise().sum();
  std::vector<double> inv(m, 0.0);
  for (std::size_t j = 0; j < m; ++j) {
    if (total(static_cast<Eigen::Index>(j)) > 0.0) inv[j] = static_cast<double>(p) / total(static_cast<Eigen::Index>(j));
  }
  auto dev = [&](std::size_t t, std::size_t j) { return r.sums(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) * inv[j] - 1.0; };
  auto share = [&](std::size_t a, std::size_t j) { return acts(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j)) * inv[j]; };
  auto excess = [&](double d, std::size_t j) { return std::max(0.0, std::abs(d) - tau[j]); };
  // binding territories: worst column of each
  std::vector<std::pair<double, std::pair<std::size_t, std::size_t>>> bind;
  for (std::size_t t = 0; t < p; ++t) {
    double worst = 1e-9;
    std::size_t wj = m;
    for (std::size_t j = 0; j < m; ++j) {
      if (inv[j] == 0.0) continue;
      const double e = excess(dev(t, j), j);
      if (e > worst) {
        worst = e;
        wj = j;
      }
    }
    if (wj < m) bind.push_back({worst, {t, wj}});
  }
  std::stable_sort(bind.begin(), bind.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  if (bind.size() > 5) bind.resize(5);
  for (const auto& [e, tj] : bind) {
    const auto [t, j] = tj;
    const double d = dev(t, j);
    const bool heavy = d > 0.0;
    std::string head = fmt::format("diagnosis: territory {} binds on {} ({} {} the mean, allowed {})", t,
                                   column_name(o, j), pct(std::abs(d)), heavy ? "above" : "below", pct(tau[j]));
    // best single boundary move out of t (heavy) or into t (light)
    double best = std::numeric_limits<double>::max();
    std::size_t ba = n, bu = p;
    for (std::size_t a = 0; a < n; ++a) {
      const auto ta = static_cast<std::size_t>(assign[a]);
      for (auto b : graph.neighbors(static_cast<account_index>(a))) {
        const auto tb = static_cast<std::size_t>(assign[b]);
        if (ta == tb) continue;
        if (heavy ? ta != t : tb != t) continue;
        // a moves from ta to tb
        double after = 0.0;
        for (std::size_t k = 0; k < m; ++k) {
          if (inv[k] == 0.0) continue;
          after += excess(dev(ta, k) - share(a, k), k) + excess(dev(tb, k) + share(a, k), k);
        }
        if (after < best) {
          best = after;
          ba = a;
          bu = heavy ? tb : ta;
        }
      }
    }
    if (ba == n) {
      r.notes.push_back(head + fmt::format("; it has no boundary account towards another territory (a graph component "
                                           "of its own?), so no move can change it"));
      continue;
    }
    const std::size_t from = heavy ? t : bu, to = heavy ? bu : t;
    std::string tail;
    for (std::size_t k = 0; k < m; ++k) {
      if (inv[k] == 0.0) continue;
      for (const auto& [tt, sign] : {std::pair{from, -1.0}, std::pair{to, 1.0}}) {
        const double nd = dev(tt, k) + sign * share(ba, k);
        if (excess(nd, k) > 1e-9) {
          tail += fmt::format("{}territory {} {} {} {}", tail.empty() ? "" : ", ", tt, column_name(o, k), pct(std::abs(nd)),
                              nd > 0 ? "above" : "below");
        }
      }
    }
    head += fmt::format("; its best single boundary move, account {} ({} of a mean {}) from territory {} to territory {} "
                        "(now {} {}),",
                        account_name(o, ba), pct(share(ba, j)), column_name(o, j), from, to,
                        pct(std::abs(dev(heavy ? to : from, j))), dev(heavy ? to : from, j) > 0 ? "above" : "below");
    if (tail.empty()) {
      head += " would bring both within the tolerance, but the search did not make it (it would disconnect a territory, "
              "or a longer chain of moves is needed)";
    } else {
      head += " would leave " + tail + fmt::format(" (total excess {:.4g} instead of {:.4g})", best,
                                                  [&] {
                                                    double now = 0.0;
                                                    for (std::size_t k = 0; k < m; ++k) {
                                                      if (inv[k] == 0.0) continue;
                                                      now += excess(dev(from, k), k) + excess(dev(to, k), k);
                                                    }
                                                    return now;
                                                  }());
    }
    r.notes.push_back(std::move(head));
  }
}

}  // namespace territory::detail::balance
