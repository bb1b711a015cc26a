#pragma once

/// @file metrics_impl.hpp
/// Bodies of `territory/plan/metrics.hpp`. Not part of the public API; include the public header.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "territory/detail/plan/geometry.hpp"
#include "territory/plan/metrics.hpp"

namespace territory {

inline double gini(std::span<const double> values) {
  const std::size_t k = values.size();
  if (k < 2) return 0.0;
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());
  double total = 0.0;
  double weighted = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    total += v[i];
    weighted += static_cast<double>(2 * i + 1) * v[i];  // (2i − k + 1) form, i 0-based, shifted below
  }
  if (!(total > 0.0)) return 0.0;
  const auto kd = static_cast<double>(k);
  // G = Σ (2i+1−k) v_(i) / (k · total), i 0-based ascending
  const double g = (weighted - kd * total) / (kd * total);
  return std::max(0.0, g);
}

inline double coefficient_of_variation(std::span<const double> values) noexcept {
  if (values.empty()) return 0.0;
  double mean = 0.0;
  for (double x : values) mean += x;
  mean /= static_cast<double>(values.size());
  if (mean == 0.0) return 0.0;
  double ss = 0.0;
  for (double x : values) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(values.size())) / std::abs(mean);
}

namespace detail::metrics {

[[noreturn]] inline void throw_size(const char* field, std::size_t got, std::size_t expected, const char* what) {
  throw invalid_input(errc::size_mismatch, field,
                      fmt::format("evaluate_plan(): {} has {} {}, expected {}", field, got, what, expected));
}

inline std::string percent(double x) { return fmt::format("{:.1f} %", 100.0 * x); }

/// Validates every input of evaluate_plan() and returns the resolved tolerance per column.
inline Eigen::VectorXd check_inputs(const Eigen::Ref<const Eigen::MatrixXd>& acts,
                                    const Eigen::Ref<const Eigen::MatrixX2d>& xy, const adjacency* graph,
                                    const territory::plan& pl, const plan_metrics_options& o) {
  const std::size_t n = pl.size();
  const auto m = static_cast<std::size_t>(acts.cols());
  if (static_cast<std::size_t>(acts.rows()) != n) throw_size("activities", static_cast<std::size_t>(acts.rows()), n, "rows (one per account)");
  if (static_cast<std::size_t>(xy.rows()) != n) throw_size("coordinates", static_cast<std::size_t>(xy.rows()), n, "rows (one per account)");
  if (graph != nullptr && graph->size() != n) throw_size("graph", graph->size(), n, "vertices (one per account)");
  if (pl.territory_count() == 0) {
    throw invalid_input(errc::out_of_range, "territories", "evaluate_plan(): the plan has 0 territories, expected at least 1");
  }
  if (!o.target_shares.empty()) {
    if (o.target_shares.size() != pl.territory_count()) {
      throw_size("target_shares", o.target_shares.size(), pl.territory_count(), "values (one per territory) or none");
    }
    for (std::size_t t = 0; t < o.target_shares.size(); ++t) {
      if (!std::isfinite(o.target_shares[t]) || !(o.target_shares[t] > 0.0)) {
        throw invalid_input(errc::invalid_parameter, "target_shares",
                            fmt::format("evaluate_plan(): target_shares[{}] = {}, expected a finite value > 0", t,
                                        o.target_shares[t]),
                            t);
      }
    }
  }
  if (!o.activity_names.empty() && o.activity_names.size() != m) {
    throw_size("activity_names", o.activity_names.size(), m, "names (one per activity column)");
  }
  if (!o.territory_names.empty() && o.territory_names.size() != pl.territory_count()) {
    throw_size("territory_names", o.territory_names.size(), pl.territory_count(), "names (one per territory)");
  }
  const std::size_t nt = o.tolerance.size();
  if (nt > 1 && nt != m) {
    throw invalid_input(errc::size_mismatch, "tolerance",
                        fmt::format("evaluate_plan(): tolerance has {} values, expected 0, 1 or {} (one per activity column)", nt, m));
  }
  Eigen::VectorXd tol(static_cast<Eigen::Index>(m));
  for (std::size_t c = 0; c < m; ++c) {
    const double t = nt == 0 ? 0.05 : (nt == 1 ? o.tolerance[0] : o.tolerance[c]);
    const std::size_t at = nt == 1 ? 0 : c;
    if (!std::isfinite(t)) {
      throw invalid_input(errc::non_finite, "tolerance", fmt::format("evaluate_plan(): tolerance {} is not finite", at), at);
    }
    if (t < 0.0) {
      throw invalid_input(errc::out_of_range, "tolerance",
                          fmt::format("evaluate_plan(): tolerance {} is {}, expected a value >= 0", at, t), at);
    }
    tol(static_cast<Eigen::Index>(c)) = t;
  }
  if (!std::isfinite(o.slack) || o.slack < 0.0) {
    throw invalid_input(errc::out_of_range, "slack", "evaluate_plan(): slack must be a finite value >= 0");
  }
  for (std::size_t c = 0; c < m; ++c) {
    for (std::size_t a = 0; a < n; ++a) {
      const double v = acts(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(c));
      if (!std::isfinite(v)) {
        throw invalid_input(errc::non_finite, "activities",
                            fmt::format("evaluate_plan(): activity column {} of account {} is not finite", c, a), a);
      }
      if (v < 0.0) {
        throw invalid_input(errc::negative_value, "activities",
                            fmt::format("evaluate_plan(): activity column {} of account {} is {}, expected >= 0", c, a, v), a);
      }
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    const auto i = static_cast<Eigen::Index>(a);
    if (!std::isfinite(xy(i, 0)) || !std::isfinite(xy(i, 1))) {
      throw invalid_input(errc::non_finite, "coordinates",
                          fmt::format("evaluate_plan(): coordinates of account {} are not finite", a), a);
    }
  }
  return tol;
}

}  // namespace detail::metrics

template <distance_policy Distance>
plan_metrics evaluate_plan(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const adjacency* graph, const plan& assignment, const plan_metrics_options& options,
                           Distance distance) {
  namespace dp = detail::metrics;
  plan_metrics out;
  out.tolerance = dp::check_inputs(activities, coordinates, graph, assignment, options);

  const std::size_t n = assignment.size();
  const std::size_t p = assignment.territory_count();
  const auto m = static_cast<Eigen::Index>(activities.cols());
  auto activity_name = [&](Eigen::Index c) {
    return options.activity_names.empty() ? fmt::format("activity {}", c) : options.activity_names[static_cast<std::size_t>(c)];
  };
  auto territory_name = [&](std::size_t t) {
    return options.territory_names.empty() ? std::to_string(t) : options.territory_names[t];
  };

  // target shares normalised to mean 1 (empty = equal targets)
  std::vector<double> shares;
  if (!options.target_shares.empty()) {
    double total = 0.0;
    for (double x : options.target_shares) total += x;
    for (double x : options.target_shares) shares.push_back(x * static_cast<double>(p) / total);
  }
  // members of each territory, in account order (counting sort)
  std::vector<std::size_t> start(p + 1, 0);
  std::size_t first_unassigned = n;
  for (std::size_t a = 0; a < n; ++a) {
    const territory_index t = assignment[static_cast<account_index>(a)];
    if (t == no_territory) {
      if (out.unassigned++ == 0) first_unassigned = a;
      continue;
    }
    ++start[t + 1];
  }
  for (std::size_t t = 0; t < p; ++t) start[t + 1] += start[t];
  std::vector<account_index> members(start[p]);
  {
    std::vector<std::size_t> pos(start.begin(), start.end() - 1);
    for (std::size_t a = 0; a < n; ++a) {
      const territory_index t = assignment[static_cast<account_index>(a)];
      if (t != no_territory) members[pos[t]++] = static_cast<account_index>(a);
    }
  }

  // totals over all accounts define the mean (the target), sums over members per territory
  out.totals = activities.colwise().sum().transpose();
  out.means = out.totals / static_cast<double>(p);
  out.territories.resize(p);

  // contiguity: components of each territory's induced subgraph
  std::vector<std::uint32_t> pieces(p, 0);
  if (graph != nullptr) {
    std::vector<std::uint8_t> seen(n, 0);
    std::vector<account_index> queue;
    for (std::size_t s = 0; s < n; ++s) {
      const territory_index t = assignment[static_cast<account_index>(s)];
      if (t == no_territory || seen[s]) continue;
      ++pieces[t];
      queue.assign(1, static_cast<account_index>(s));
      seen[s] = 1;
      for (std::size_t h = 0; h < queue.size(); ++h) {
        for (account_index w : graph->neighbors(queue[h])) {
          if (!seen[w] && assignment[w] == t) {
            seen[w] = 1;
            queue.push_back(w);
          }
        }
      }
    }
    out.cut_edges = 0;
    for (std::size_t s = 0; s < n; ++s) {
      const territory_index t = assignment[static_cast<account_index>(s)];
      if (t == no_territory) continue;
      for (account_index w : graph->neighbors(static_cast<account_index>(s))) {
        out.cut_edges += w > s && assignment[w] != no_territory && assignment[w] != t ? 1 : 0;
      }
    }
    out.graph_components = 0;
    std::fill(seen.begin(), seen.end(), 0);
    for (std::size_t s = 0; s < n; ++s) {
      if (seen[s]) continue;
      ++out.graph_components;
      queue.assign(1, static_cast<account_index>(s));
      seen[s] = 1;
      for (std::size_t h = 0; h < queue.size(); ++h) {
        for (account_index w : graph->neighbors(queue[h])) {
          if (!seen[w]) {
            seen[w] = 1;
            queue.push_back(w);
          }
        }
      }
    }
  } else {
    for (std::size_t t = 0; t < p; ++t) pieces[t] = start[t + 1] > start[t] ? 1U : 0U;
  }

  std::vector<point> pts;
  for (std::size_t t = 0; t < p; ++t) {
    territory_metrics& tm = out.territories[t];
    const std::span<const account_index> mem(members.data() + start[t], start[t + 1] - start[t]);
    tm.accounts = mem.size();
    tm.sums = Eigen::VectorXd::Zero(m);
    for (account_index a : mem) tm.sums += activities.row(static_cast<Eigen::Index>(a)).transpose();
    tm.deviation = Eigen::VectorXd::Zero(m);
    const double share = shares.empty() ? 1.0 : shares[t];
    for (Eigen::Index c = 0; c < m; ++c) {
      if (out.means(c) > 0.0) tm.deviation(c) = tm.sums(c) / (out.means(c) * share) - 1.0;
    }
    tm.max_deviation = m > 0 ? tm.deviation.cwiseAbs().maxCoeff() : 0.0;
    tm.components = pieces[t];
    tm.contiguous = pieces[t] <= 1;

    pts.clear();
    for (account_index a : mem) {
      pts.push_back(point{coordinates(static_cast<Eigen::Index>(a), 0), coordinates(static_cast<Eigen::Index>(a), 1)});
    }
    tm.diameter = dp::diameter(std::span<const point>(pts), distance, options.exact_diameter_limit, out.diameters_exact);
    tm.centre = dp::centre<Distance>(std::span<const point>(pts));
    for (const auto& q : pts) tm.distance_to_centre += static_cast<double>(distance(q, tm.centre));

    out.max_deviation = std::max(out.max_deviation, tm.max_deviation);
    out.max_diameter = std::max(out.max_diameter, tm.diameter);
    out.total_distance_to_centres += tm.distance_to_centre;
    if (!tm.contiguous) ++out.noncontiguous;
  }

  out.gini = Eigen::VectorXd::Zero(m);
  out.cv = Eigen::VectorXd::Zero(m);
  out.min_sums = Eigen::VectorXd::Zero(m);
  out.max_sums = Eigen::VectorXd::Zero(m);
  std::vector<double> col(p);
  for (Eigen::Index c = 0; c < m; ++c) {
    for (std::size_t t = 0; t < p; ++t) col[t] = out.territories[t].sums(c);
    out.gini(c) = gini(col);
    out.cv(c) = coefficient_of_variation(col);
    out.min_sums(c) = *std::min_element(col.begin(), col.end());
    out.max_sums(c) = *std::max_element(col.begin(), col.end());
  }

  // violations, in the documented order
  if (out.unassigned > 0) {
    out.violations.push_back(violation{
        constraint_kind::unassigned, no_territory, fmt::format("account {}", first_unassigned),
        static_cast<double>(out.unassigned),
        fmt::format("{} account{} not assigned to any territory (first: account {})", out.unassigned,
                    out.unassigned == 1 ? " is" : "s are", first_unassigned)});
  }
  for (std::size_t t = 0; t < p; ++t) {
    const territory_metrics& tm = out.territories[t];
    const auto ti = static_cast<territory_index>(t);
    if (tm.accounts == 0) {
      out.violations.push_back(violation{constraint_kind::empty, ti, {}, 1.0,
                                         fmt::format("territory {}: no account", territory_name(t))});
    }
    if (!tm.contiguous) {
      out.violations.push_back(violation{
          constraint_kind::contiguity, ti, {}, static_cast<double>(tm.components - 1),
          fmt::format("territory {}: {} disconnected pieces in the adjacency graph", territory_name(t), tm.components)});
    }
    for (Eigen::Index c = 0; c < m; ++c) {
      const double tau = out.tolerance(c);
      const double d = tm.deviation(c);
      if (std::abs(d) <= tau + options.slack) continue;
      out.violations.push_back(violation{
          constraint_kind::balance, ti, activity_name(c), std::abs(d) - tau,
          fmt::format("territory {}: {} {} {} {} (allowed {})", territory_name(t), activity_name(c),
                      dp::percent(std::abs(d)), d > 0 ? "above" : "below", shares.empty() ? "the mean" : "its target",
                      dp::percent(tau))});
    }
  }
  return out;
}

}  // namespace territory
