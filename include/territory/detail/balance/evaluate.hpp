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
#include "territory/detail/balance/median_bounds.hpp"
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

/// Per territory: the number of its connected pieces (in `graph`) that hold an account locked to it.
/// O(n + e).
inline std::vector<std::size_t> locked_pieces(const adjacency& graph, const std::vector<territory_index>& assign,
                                              const std::vector<territory_index>& locked, std::size_t p) {
  std::vector<std::size_t> out(p, 0);
  if (locked.empty()) return out;
  const std::size_t n = assign.size();
  std::vector<char> seen(n, 0);
  std::vector<account_index> queue;
  for (std::size_t a = 0; a < n; ++a) {
    if (seen[a]) continue;
    const auto t = assign[a];
    bool has_lock = false;
    queue.assign(1, static_cast<account_index>(a));
    seen[a] = 1;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const auto x = queue[h];
      has_lock = has_lock || locked[x] == t;
      for (auto u : graph.neighbors(x)) {
        if (!seen[u] && assign[u] == t) {
          seen[u] = 1;
          queue.push_back(u);
        }
      }
    }
    if (has_lock && t < p) ++out[t];
  }
  return out;
}

/// Per min_count constraint of `o` and territory: the number of member accounts. O(n·k).
inline std::vector<std::vector<std::size_t>> category_counts(const std::vector<territory_index>& assign,
                                                             const partition_options& o) {
  std::vector<std::vector<std::size_t>> counts(o.min_counts.size(), std::vector<std::size_t>(o.territories, 0));
  for (std::size_t k = 0; k < o.min_counts.size(); ++k) {
    for (std::size_t a = 0; a < assign.size(); ++a) counts[k][assign[a]] += o.min_counts[k].member[a] != 0 ? 1 : 0;
  }
  return counts;
}

/// The state of one median bound (partition_options::median_bounds) under a plan.
struct median_bound_state {
  std::vector<double> sums;  // per territory
  double median = 0.0, bound = 0.0, mean = 0.0;
  /// How far territory t is beyond the bound, in means (total / p): > 0 = violated.
  [[nodiscard]] double over(std::size_t t, bool cap) const {
    if (!(mean > 0.0)) return 0.0;
    return (cap ? sums[t] - bound : bound - sums[t]) / mean;
  }
};

/// Sums, median and bound of a median bound under a plan. With target shares (`share`, normalised
/// to mean 1; empty = none) a territory's sum is taken relative to its share, as the engine does:
/// a rep at half capacity is compared at twice its sum. O(n + p log p).
inline median_bound_state median_state(const median_bound& b, const std::vector<territory_index>& assign,
                                       std::size_t p, const std::vector<double>& share = {}) {
  median_bound_state st;
  st.sums.assign(p, 0.0);
  double total = 0.0;
  for (std::size_t a = 0; a < assign.size(); ++a) {
    st.sums[assign[a]] += b.values[a];
    total += b.values[a];
  }
  for (std::size_t t = 0; t < p && share.size() == p; ++t) st.sums[t] /= share[t];
  auto sorted = st.sums;
  std::sort(sorted.begin(), sorted.end());
  st.median = p == 0 ? 0.0 : median_of_sorted(sorted.data(), p);
  st.bound = b.factor * st.median;
  st.mean = p == 0 ? 0.0 : total / static_cast<double>(p);
  return st;
}

/// Violations of the locks, minimum counts and median bounds of `o` by the plan. O(n·(k + 1) + p·k).
inline void evaluate_business(partition_result& r, const std::vector<territory_index>& assign, const partition_options& o) {
  const std::size_t n = assign.size(), p = o.territories;
  for (std::size_t a = 0; a < n && !o.locked.empty(); ++a) {
    if (o.locked[a] != no_territory && assign[a] != o.locked[a]) {
      r.violations.push_back({constraint_kind::locked, assign[a], account_name(o, a), 1.0,
                              fmt::format("account {} is locked to territory {} but sits in territory {}",
                                          account_name(o, a), o.locked[a], assign[a])});
    }
  }
  const auto counts = category_counts(assign, o);
  for (std::size_t k = 0; k < o.min_counts.size(); ++k) {
    const auto& c = o.min_counts[k];
    for (std::size_t t = 0; t < p; ++t) {
      if (counts[k][t] >= c.min) continue;
      r.violations.push_back({constraint_kind::min_tier, static_cast<territory_index>(t), c.name,
                              static_cast<double>(c.min - counts[k][t]),
                              fmt::format("territory {}: {} accounts of {}, at least {} required", t, counts[k][t],
                                          c.name, c.min)});
    }
  }
  for (const auto& sk : o.skills) {
    std::vector<std::size_t> wrong(p, 0);
    std::vector<std::size_t> first_of(p, n);  // the first such account per territory, for the message
    for (std::size_t a = 0; a < n; ++a) {
      const auto t = assign[a];
      if (sk.member[a] == 0 || sk.allowed[t] != 0) continue;
      ++wrong[t];
      if (first_of[t] == n) first_of[t] = a;
    }
    for (std::size_t t = 0; t < p; ++t) {
      if (wrong[t] == 0) continue;
      r.violations.push_back({constraint_kind::skill, static_cast<territory_index>(t), sk.name,
                              static_cast<double>(wrong[t]),
                              fmt::format("territory {}: {} account{} need{} {} (account {} among them), which "
                                          "its rep lacks",
                                          t, wrong[t], wrong[t] == 1 ? "" : "s", wrong[t] == 1 ? "s" : "", sk.name,
                                          account_name(o, first_of[t]))});
    }
  }
  for (const auto& b : o.median_bounds) {
    const bool cap = b.side == median_side::cap;
    const auto st = median_state(b, assign, p, normalised_shares(o));
    for (std::size_t t = 0; t < p; ++t) {
      const double d = st.over(t, cap);
      if (!(d > 1e-9)) continue;
      r.violations.push_back(
          {cap ? constraint_kind::workload_cap : constraint_kind::revenue_floor, static_cast<territory_index>(t), b.name,
           d,
           fmt::format("territory {}: {} {:.6g} is {:.3f} x the median territory's {:.6g}, {} the {} of {} x ({:.6g})",
                       t, b.name, st.sums[t], st.median > 0.0 ? st.sums[t] / st.median : 0.0, st.median,
                       cap ? "above" : "below", cap ? "cap" : "floor", b.factor, st.bound)});
    }
  }
}

/// The status of every hard constraint of the call (r.constraints), from r.violations (precheck's
/// included: call it after set_stop_reason), r.sums and the category counts. O(n·k + p·m + violations).
inline void set_constraint_status(partition_result& r, const std::vector<territory_index>& assign,
                                  const partition_options& o) {
  const std::size_t p = o.territories;
  const auto counts = category_counts(assign, o);
  const auto share = normalised_shares(o);
  r.constraints.clear();
  auto status_of = [&](constraint_kind kind, const std::string& subject, std::string name, double slack_if_holds) {
    constraint_status cs{kind, std::move(name), true, slack_if_holds, 0};
    for (const auto& v : r.violations) {
      if (v.kind != kind || (!subject.empty() && v.subject != subject)) continue;
      if (cs.holds) cs.slack = 0.0;
      cs.holds = false;
      cs.slack = std::max(cs.slack, v.amount);
      ++cs.violated_territories;
    }
    r.constraints.push_back(std::move(cs));
  };
  const auto m = static_cast<std::size_t>(r.sums.cols());
  const auto tau = expand_tolerance(o, m);
  for (std::size_t j = 0; j < m; ++j) {
    const double tot = r.sums.col(static_cast<Eigen::Index>(j)).sum();
    if (tot <= 0.0) continue;
    const double mean = tot / static_cast<double>(p);
    double slack = std::numeric_limits<double>::max();
    for (std::size_t t = 0; t < p; ++t) {
      const double dev = std::abs(r.sums(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) / (mean * share[t]) - 1.0);
      slack = std::min(slack, tau[j] - dev);
    }
    status_of(constraint_kind::balance, column_name(o, j), "balance " + column_name(o, j), std::max(0.0, slack));
  }
  status_of(constraint_kind::contiguity, {}, "contiguity", 0.0);
  status_of(constraint_kind::empty, {}, "every territory non-empty", 0.0);
  if (!std::isinf(o.max_diameter)) {
    double widest = 0.0;
    for (double d : r.diameters) widest = std::max(widest, d);
    status_of(constraint_kind::max_distance, {}, "max_diameter", std::max(0.0, o.max_diameter - widest));
  }
  if (!o.locked.empty()) status_of(constraint_kind::locked, {}, "locks", 0.0);
  for (std::size_t k = 0; k < o.min_counts.size(); ++k) {
    std::size_t lo = std::numeric_limits<std::size_t>::max();
    for (std::size_t t = 0; t < p; ++t) lo = std::min(lo, counts[k][t]);
    const auto& c = o.min_counts[k];
    status_of(constraint_kind::min_tier, c.name, "min_count " + c.name,
              lo >= c.min ? static_cast<double>(lo - c.min) : 0.0);
  }
  for (const auto& sk : o.skills) status_of(constraint_kind::skill, sk.name, "skill " + sk.name, 0.0);
  for (const auto& b : o.median_bounds) {
    const bool cap = b.side == median_side::cap;
    const auto st = median_state(b, assign, p, normalised_shares(o));
    double slack = std::numeric_limits<double>::max();
    for (std::size_t t = 0; t < p; ++t) slack = std::min(slack, -st.over(t, cap));
    if (!(st.mean > 0.0) || p == 0) slack = 0.0;
    status_of(cap ? constraint_kind::workload_cap : constraint_kind::revenue_floor, b.name, median_bound_name(b),
              std::max(0.0, slack));
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
  const auto share = normalised_shares(o);  // targets: share[t] × the mean (all 1 without target_shares)
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
      const double dev = r.sums(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) / (mean * share[t]) - 1.0;
      r.max_deviation(static_cast<Eigen::Index>(t)) = std::max(r.max_deviation(static_cast<Eigen::Index>(t)), std::abs(dev));
      if (std::abs(dev) > tau[j] + 1e-9) {
        r.violations.push_back({constraint_kind::balance, static_cast<territory_index>(t), column_name(o, j),
                                std::abs(dev) - tau[j],
                                fmt::format("territory {}: {} {} {} {} (allowed {})", t, column_name(o, j),
                                            pct(std::abs(dev)), dev > 0 ? "above" : "below",
                                            unequal_shares(o) ? "its target" : "the mean", pct(tau[j]))});
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
    const auto lock_pieces = locked_pieces(*graph, assign, o.locked, p);
    for (std::size_t t = 0; t < p; ++t) {
      if (pieces[t] > 1) {
        r.contiguous[t] = 0;
        r.violations.push_back({constraint_kind::contiguity, static_cast<territory_index>(t), {},
                                static_cast<double>(pieces[t] - 1),
                                lock_pieces[t] == pieces[t]
                                    ? fmt::format("territory {}: falls into {} disconnected pieces because of its locks "
                                                  "(each piece holds accounts locked to it)",
                                                  t, pieces[t])
                                    : fmt::format("territory {}: falls into {} disconnected pieces", t, pieces[t])});
      }
    }
  }
  evaluate_business(r, assign, o);
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
  if (!std::isinf(o.max_diameter)) {
    for (std::size_t t = 0; t < p; ++t) {
      if (!(r.diameters[t] > o.max_diameter * (1.0 + 1e-9))) continue;
      r.violations.push_back({constraint_kind::max_distance, static_cast<territory_index>(t), {},
                              r.diameters[t] - o.max_diameter,
                              fmt::format("territory {}: diameter {:.6g} above the cap of {:.6g}", t, r.diameters[t],
                                          o.max_diameter)});
    }
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
  const auto sh = normalised_shares(o);
  auto dev = [&](std::size_t t, std::size_t j) { return r.sums(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) * inv[j] / sh[t] - 1.0; };
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
