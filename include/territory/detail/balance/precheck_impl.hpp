#pragma once

// Bodies of balance/precheck.hpp and the per-component territory allocation used by partition().

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/balance/partition_options.hpp"
#include "territory/core/status.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/components.hpp"

namespace territory::detail::balance {

/// Activity of each component (C x m) and number of accounts per component.
struct component_shares {
  components comp;
  Eigen::MatrixXd sums;              // C x m
  std::vector<std::size_t> size;     // C
  std::vector<account_index> first;  // smallest account of each component
};

inline component_shares component_activity(const Eigen::Ref<const Eigen::MatrixXd>& acts, const adjacency& g) {
  component_shares s;
  s.comp = connected_components(g);
  const auto c = static_cast<Eigen::Index>(s.comp.count);
  s.sums = Eigen::MatrixXd::Zero(c, acts.cols());
  s.size.assign(s.comp.count, 0);
  s.first.assign(s.comp.count, 0);
  for (Eigen::Index a = acts.rows() - 1; a >= 0; --a) {
    const auto l = s.comp.label[static_cast<std::size_t>(a)];
    s.sums.row(l) += acts.row(a);
    ++s.size[l];
    s.first[l] = static_cast<account_index>(a);
  }
  return s;
}

/// Feasible territory-count range [lo, hi] of a component holding x_j "mean territories" of column j.
struct count_range {
  std::int64_t lo = 1;
  std::int64_t hi = 0;
};

inline count_range feasible_counts(const Eigen::Ref<const Eigen::RowVectorXd>& x, const std::vector<double>& tau,
                                   const std::vector<char>& zero_col) {
  constexpr double eps = 1e-9;
  count_range r{1, std::numeric_limits<std::int64_t>::max()};
  for (Eigen::Index j = 0; j < x.size(); ++j) {
    if (zero_col[static_cast<std::size_t>(j)]) continue;
    const double t = tau[static_cast<std::size_t>(j)];
    r.lo = std::max<std::int64_t>(r.lo, static_cast<std::int64_t>(std::ceil(x(j) / (1.0 + t) - eps)));
    r.hi = std::min<std::int64_t>(r.hi, static_cast<std::int64_t>(std::floor(x(j) / (1.0 - t) + eps)));
  }
  return r;
}

/// Number of territories per component: within the feasible ranges when possible, proportional
/// to the mean activity share otherwise (largest remainder, at least 1 per component while p allows).
inline std::vector<territory_index> allocate_components(const component_shares& s, std::size_t p,
                                                        const std::vector<double>& tau,
                                                        const std::vector<char>& zero_col) {
  const std::size_t c = s.comp.count;
  const Eigen::Index m = s.sums.cols();
  Eigen::RowVectorXd total = s.sums.colwise().sum();
  std::vector<double> share(c, 0.0);
  std::vector<count_range> range(c);
  std::size_t active = 0;
  for (Eigen::Index j = 0; j < m; ++j) active += zero_col[static_cast<std::size_t>(j)] ? 0 : 1;
  for (std::size_t k = 0; k < c; ++k) {
    Eigen::RowVectorXd x = Eigen::RowVectorXd::Zero(m);
    double sh = 0.0;
    for (Eigen::Index j = 0; j < m; ++j) {
      if (zero_col[static_cast<std::size_t>(j)]) continue;
      x(j) = s.sums(static_cast<Eigen::Index>(k), j) / total(j) * static_cast<double>(p);
      sh += x(j);
    }
    share[k] = active > 0 ? sh / static_cast<double>(active)
                          : static_cast<double>(s.size[k]) * static_cast<double>(p) /
                                static_cast<double>(std::accumulate(s.size.begin(), s.size.end(), std::size_t{0}));
    range[k] = feasible_counts(x, tau, zero_col);
    range[k].hi = std::min<std::int64_t>(range[k].hi, static_cast<std::int64_t>(s.size[k]));
  }
  std::vector<territory_index> out(c, 0);
  std::int64_t lo_sum = 0, hi_sum = 0;
  bool ranges_ok = true;
  for (std::size_t k = 0; k < c; ++k) {
    if (range[k].lo > range[k].hi) ranges_ok = false;
    lo_sum += range[k].lo;
    hi_sum = std::min<std::int64_t>(hi_sum + std::min<std::int64_t>(range[k].hi, static_cast<std::int64_t>(p)),
                                    std::int64_t{1} << 40);
  }
  auto largest_remainder = [&](std::vector<std::int64_t> base, std::vector<std::int64_t> cap) {
    std::int64_t left = static_cast<std::int64_t>(p) - std::accumulate(base.begin(), base.end(), std::int64_t{0});
    while (left > 0) {
      std::size_t best = c;
      double best_gap = -1e300;
      for (std::size_t k = 0; k < c; ++k) {
        if (base[k] >= cap[k]) continue;
        const double gap = share[k] - static_cast<double>(base[k]);
        if (gap > best_gap) {
          best_gap = gap;
          best = k;
        }
      }
      if (best == c) break;
      ++base[best];
      --left;
    }
    return base;
  };
  std::vector<std::int64_t> base(c), cap(c);
  if (ranges_ok && lo_sum <= static_cast<std::int64_t>(p) && static_cast<std::int64_t>(p) <= hi_sum) {
    for (std::size_t k = 0; k < c; ++k) {
      // a component never gets more territories than it has accounts (one account cannot be split)
      cap[k] = std::min<std::int64_t>(range[k].hi, static_cast<std::int64_t>(s.size[k]));
      base[k] = std::min<std::int64_t>(range[k].lo, cap[k]);
    }
  } else {
    // Best effort: at least one territory per component (largest components first when p < C).
    std::vector<std::size_t> order(c);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return share[x] > share[y]; });
    for (std::size_t i = 0; i < c; ++i) {
      base[order[i]] = i < p ? 1 : 0;
      cap[order[i]] = static_cast<std::int64_t>(s.size[order[i]]);
    }
  }
  base = largest_remainder(base, cap);
  for (std::size_t k = 0; k < c; ++k) out[k] = static_cast<territory_index>(base[k]);
  // Any territory left (every component at its cap) goes to the components with most accounts per territory.
  std::int64_t left = static_cast<std::int64_t>(p) - std::accumulate(base.begin(), base.end(), std::int64_t{0});
  while (left-- > 0) {
    std::size_t best = c;
    double best_v = -1.0;
    for (std::size_t k = 0; k < c; ++k) {
      const double v = static_cast<double>(s.size[k]) / static_cast<double>(out[k] + 1);
      if (out[k] < s.size[k] && v > best_v) {
        best_v = v;
        best = k;
      }
    }
    if (best == c) break;  // p > n: every component full (callers handle p > n before allocating)
    ++out[best];
  }
  return out;
}

/// Minimum counts (partition_options::min_counts) that cannot hold: fewer than K·p member accounts
/// overall, or a graph component (which holds at least one territory) with fewer than K. O(n·k + e).
inline void precheck_min_counts(std::vector<violation>& out, const adjacency* graph, const partition_options& o) {
  const std::size_t p = o.territories;
  for (const auto& c : o.min_counts) {
    std::size_t total = 0;
    for (auto x : c.member) total += x != 0 ? 1 : 0;
    const std::size_t need = static_cast<std::size_t>(c.min) * p;
    if (total < need) {
      out.push_back({constraint_kind::min_tier, no_territory, c.name, static_cast<double>(need - total),
                     fmt::format("min_count {}: {} accounts of {} in all, but {} territories need at least {} each ({})",
                                 c.name, total, c.name, p, c.min, need)});
      continue;
    }
    if (graph == nullptr) continue;
    const auto comp = connected_components(*graph);
    if (comp.count <= 1) continue;
    std::vector<std::size_t> in(comp.count, 0), first(comp.count, c.member.size());
    for (std::size_t a = 0; a < c.member.size(); ++a) {
      in[comp.label[a]] += c.member[a] != 0 ? 1 : 0;
      first[comp.label[a]] = std::min(first[comp.label[a]], a);
    }
    for (std::size_t k = 0; k < comp.count; ++k) {
      if (in[k] >= c.min) continue;
      out.push_back({constraint_kind::min_tier, no_territory, c.name, static_cast<double>(c.min - in[k]),
                     fmt::format("min_count {}: graph component {} (containing account {}) has {} accounts of {}, "
                                 "but its territory needs at least {}",
                                 c.name, k, account_name(o, first[k]), in[k], c.name, c.min)});
    }
  }
}

/// Median caps (partition_options::median_bounds) that cannot hold because of one heavy account a of
/// value w: its territory holds at least w, so the median must be at least w / F; and q other
/// territories (q = (p - 1) / 2 for odd p, p / 2 - 1 for even p) are at or above the median, so the
/// median is at most (total - w) / q. Impossible when w·q > F·(total - w). (Floors have no such
/// local certificate: they are diagnosed after the search.) O(n·k).
inline void precheck_median_bounds(std::vector<violation>& out, const partition_options& o) {
  const std::size_t p = o.territories;
  const std::size_t q = p % 2 == 1 ? (p - 1) / 2 : p / 2 - 1;
  if (q == 0) return;
  for (const auto& b : o.median_bounds) {
    if (b.side != median_side::cap || b.values.empty()) continue;
    double total = 0.0;
    std::size_t heavy = 0;
    for (std::size_t a = 0; a < b.values.size(); ++a) {
      total += b.values[a];
      if (b.values[a] > b.values[heavy]) heavy = a;
    }
    const double w = b.values[heavy];
    if (!(total > 0.0) || !(w * static_cast<double>(q) > b.factor * (total - w) * (1.0 + 1e-12))) continue;
    const double most = (total - w) / static_cast<double>(q);  // the largest median possible
    out.push_back({constraint_kind::workload_cap, no_territory, b.name,
                   (w - b.factor * most) / (total / static_cast<double>(p)),
                   fmt::format("{}: account {} alone holds {:.6g} of {} ({:.1f} % of the total); the median territory "
                               "can hold at most {:.6g} with p = {}, so its territory is above the cap of {} x the "
                               "median ({:.6g}) in every plan",
                               median_bound_name(b), account_name(o, heavy), w, b.name, 100.0 * w / total, most, p,
                               b.factor, b.factor * most)});
  }
}

inline std::vector<violation> precheck_impl(const Eigen::Ref<const Eigen::MatrixXd>& acts, const adjacency* graph,
                                            const partition_options& o) {
  std::vector<violation> out;
  const auto n = static_cast<std::size_t>(acts.rows());
  const auto m = static_cast<std::size_t>(acts.cols());
  const std::size_t p = o.territories;
  const auto tau = expand_tolerance(o, m);
  if (p > n) {
    out.push_back({constraint_kind::empty, no_territory, {}, static_cast<double>(p - n),
                   fmt::format("{} territories requested but only {} accounts: {} territories must stay empty", p, n,
                               p - n)});
    return out;
  }
  precheck_min_counts(out, graph, o);
  precheck_median_bounds(out, o);
  for (const auto& sk : o.skills) {  // accounts that need a skill no territory allows
    std::size_t need = 0, first = n;
    for (std::size_t a = 0; a < n; ++a) {
      if (sk.member[a] == 0) continue;
      ++need;
      first = std::min(first, a);
    }
    const bool any = std::any_of(sk.allowed.begin(), sk.allowed.end(), [](std::uint8_t x) { return x != 0; });
    if (need > 0 && !any) {
      out.push_back({constraint_kind::skill, no_territory, sk.name, static_cast<double>(need),
                     fmt::format("{} account{} need{} {} (account {} among them) but no territory's rep has it", need,
                                 need == 1 ? "" : "s", need == 1 ? "s" : "", sk.name, account_name(o, first))});
    }
  }
  Eigen::RowVectorXd total = acts.colwise().sum();
  std::vector<char> zero_col(m, 0);
  for (std::size_t j = 0; j < m; ++j) zero_col[j] = total(static_cast<Eigen::Index>(j)) <= 0.0 ? 1 : 0;
  // with target shares an account fits when the largest target (its share × the mean) holds it
  const auto shares = normalised_shares(o);
  const double top = *std::max_element(shares.begin(), shares.end());
  for (std::size_t j = 0; j < m; ++j) {
    if (zero_col[j]) continue;
    const double mean = total(static_cast<Eigen::Index>(j)) / static_cast<double>(p);
    for (std::size_t a = 0; a < n; ++a) {
      const double r = acts(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j)) / mean;
      if (r > top * (1.0 + tau[j]) + 1e-12) {
        out.push_back({constraint_kind::balance, no_territory, column_name(o, j), r / top - 1.0 - tau[j],
                       fmt::format("account {} alone holds {:.2f}x the mean {} (allowed {:.2f}x)", account_name(o, a),
                                   r, column_name(o, j), top * (1.0 + tau[j]))});
      }
    }
  }
  if (graph == nullptr || n == 0) return out;
  const auto s = component_activity(acts, *graph);
  if (s.comp.count <= 1) return out;
  const std::size_t c = s.comp.count;
  if (p < c) {
    out.push_back({constraint_kind::contiguity, no_territory, {}, static_cast<double>(c - p),
                   fmt::format("the graph has {} connected components but only {} territories are requested: "
                               "each component needs a territory of its own",
                               c, p)});
    return out;
  }
  // The whole numbers of territories per component below assume equal targets; with target shares
  // the search and the evaluation after it decide (and diagnose) instead.
  if (unequal_shares(o)) return out;
  std::int64_t lo_sum = 0, hi_sum = 0;
  bool all_ok = true;
  for (std::size_t k = 0; k < c; ++k) {
    Eigen::RowVectorXd x = Eigen::RowVectorXd::Zero(static_cast<Eigen::Index>(m));
    for (std::size_t j = 0; j < m; ++j) {
      if (!zero_col[j]) {
        x(static_cast<Eigen::Index>(j)) = s.sums(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) /
                                          total(static_cast<Eigen::Index>(j)) * static_cast<double>(p);
      }
    }
    auto r = feasible_counts(x, tau, zero_col);
    r.hi = std::min<std::int64_t>(r.hi, static_cast<std::int64_t>(s.size[k]));  // at most one territory per account
    if (r.lo > r.hi) {
      all_ok = false;
      // Smallest excess over the tolerance among whole numbers of territories.
      double best = 1e300;
      std::size_t worst_col = 0;
      std::int64_t best_k = 1;
      for (std::int64_t kk = 1; kk <= static_cast<std::int64_t>(std::min(p, s.size[k])); ++kk) {
        double e = 0.0;
        std::size_t wc = 0;
        for (std::size_t j = 0; j < m; ++j) {
          if (zero_col[j]) continue;
          const double d = std::abs(x(static_cast<Eigen::Index>(j)) / static_cast<double>(kk) - 1.0) - tau[j];
          if (d > e) {
            e = d;
            wc = j;
          }
        }
        if (e < best) {
          best = e;
          best_k = kk;
          worst_col = wc;
        }
        if (static_cast<double>(kk) > 2.0 * x.maxCoeff() + 2.0) break;
      }
      const double xj = x(static_cast<Eigen::Index>(worst_col));
      out.push_back({constraint_kind::balance, no_territory, column_name(o, worst_col), best,
                     fmt::format("graph component {} ({} accounts, containing account {}) holds {:.2f} mean "
                                 "territories of {}: no whole number of territories keeps it within {} "
                                 "(best: {} territories at {:.1f} % off the mean)",
                                 k, s.size[k], account_name(o, s.first[k]), xj, column_name(o, worst_col),
                                 pct(tau[worst_col]), best_k, 100.0 * std::abs(xj / static_cast<double>(best_k) - 1.0))});
    }
    lo_sum += r.lo;
    hi_sum += std::min<std::int64_t>(r.hi, static_cast<std::int64_t>(p));
  }
  if (all_ok && (lo_sum > static_cast<std::int64_t>(p) || hi_sum < static_cast<std::int64_t>(p))) {
    out.push_back({constraint_kind::balance, no_territory, {},
                   static_cast<double>(lo_sum > static_cast<std::int64_t>(p) ? lo_sum - static_cast<std::int64_t>(p)
                                                                             : static_cast<std::int64_t>(p) - hi_sum),
                   fmt::format("the {} graph components need between {} and {} territories in total to stay within "
                               "the tolerance, but {} are requested",
                               c, lo_sum, hi_sum, p)});
  }
  return out;
}

/// Precheck of the hard diameter cap (partition_options::max_diameter; it needs the coordinates):
/// accounts pairwise farther apart than the cap must lie in different territories, so a greedy set of
/// such accounts larger than p proves the cap impossible. Stops as soon as p + 1 are found.
/// O(n·min(p, s)) distances, s = the size of the set.
template <class Distance>
std::vector<violation> precheck_max_diameter(const Eigen::Ref<const Eigen::MatrixX2d>& xy, const partition_options& o,
                                             const Distance& dist) {
  std::vector<violation> out;
  const double D = o.max_diameter;
  if (std::isinf(D)) return out;
  const auto n = static_cast<std::size_t>(xy.rows());
  const std::size_t p = o.territories;
  std::vector<std::size_t> far;
  for (std::size_t a = 0; a < n && far.size() <= p; ++a) {
    const point q{xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1)};
    bool apart = true;
    for (auto b : far) {
      if (!(static_cast<double>(dist(q, point{xy(static_cast<Eigen::Index>(b), 0), xy(static_cast<Eigen::Index>(b), 1)})) > D)) {
        apart = false;
        break;
      }
    }
    if (apart) far.push_back(a);
  }
  if (far.size() > p) {
    out.push_back({constraint_kind::max_distance, no_territory, {}, static_cast<double>(far.size() - p),
                   fmt::format("max diameter {:.6g}: at least {} accounts lie pairwise farther apart than the cap (e.g. "
                               "accounts {} and {}), so they need {} territories but {} are requested",
                               D, far.size(), account_name(o, far[0]), account_name(o, far[1]), far.size(), p)});
  }
  return out;
}

/// Every precheck of a call that has the coordinates: precheck_impl's findings, then the diameter
/// cap's. The one list both partition() (partition_result::precheck) and the public precheck()
/// overload with coordinates return.
template <class Distance>
std::vector<violation> precheck_with_coordinates(const Eigen::Ref<const Eigen::MatrixXd>& acts, const adjacency* graph,
                                                 const Eigen::Ref<const Eigen::MatrixX2d>& xy, const partition_options& o,
                                                 const Distance& dist) {
  auto out = precheck_impl(acts, graph, o);
  for (auto& v : precheck_max_diameter(xy, o, dist)) out.push_back(std::move(v));
  return out;
}

}  // namespace territory::detail::balance

namespace territory {

inline std::vector<violation> precheck(Eigen::Ref<const Eigen::MatrixXd> activities, const adjacency* graph,
                                       const partition_options& options) {
  detail::balance::validate_common(activities, graph, options, "precheck()");
  return detail::balance::precheck_impl(activities, graph, options);
}

template <distance_policy Distance>
std::vector<violation> precheck(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                                const adjacency* graph, const partition_options& options, Distance distance) {
  detail::balance::validate_common(activities, graph, options, "precheck()");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "precheck()");
  return detail::balance::precheck_with_coordinates(activities, graph, coordinates, options, distance);
}

}  // namespace territory
