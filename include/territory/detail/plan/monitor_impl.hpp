#pragma once

// Implementation of plan/monitor.hpp (included at its end).

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "territory/detail/graph/knn_graph.hpp"
#include "territory/plan/monitor.hpp"

namespace territory {

inline fairness_point fairness_of(Eigen::Ref<const Eigen::MatrixXd> activities, const plan& assignment) {
  const auto n = static_cast<std::size_t>(activities.rows());
  if (assignment.size() != n) {
    throw invalid_input(errc::size_mismatch, "assignment",
                        fmt::format("fairness_of(): the plan has {} accounts, the activities {} rows", assignment.size(), n));
  }
  const std::size_t p = assignment.territory_count();
  const Eigen::Index m = activities.cols();
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), m);
  std::vector<std::size_t> count(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = assignment[static_cast<account_index>(a)];
    if (t == no_territory) continue;
    sums.row(t) += activities.row(static_cast<Eigen::Index>(a));
    ++count[t];
  }
  fairness_point f;
  f.gini = Eigen::VectorXd::Zero(m);
  f.cv = Eigen::VectorXd::Zero(m);
  f.territories = static_cast<std::size_t>(std::count_if(count.begin(), count.end(), [](std::size_t c) { return c > 0; }));
  std::vector<double> col;
  for (Eigen::Index c = 0; c < m; ++c) {
    col.clear();
    for (std::size_t t = 0; t < p; ++t) {
      if (count[t] > 0) col.push_back(sums(static_cast<Eigen::Index>(t), c));
    }
    f.gini(c) = gini(col);
    f.cv(c) = coefficient_of_variation(col);
  }
  return f;
}

inline std::vector<territory_index> neighbour_territories(const adjacency& graph, const plan& assignment,
                                                          territory_index t) {
  const std::size_t p = assignment.territory_count();
  std::vector<char> seen(p, 0);
  const std::size_t n = std::min(graph.size(), assignment.size());
  for (std::size_t a = 0; a < n; ++a) {
    if (assignment[static_cast<account_index>(a)] != t) continue;
    for (const auto b : graph.neighbors(static_cast<account_index>(a))) {
      const auto u = b < assignment.size() ? assignment[b] : no_territory;
      if (u != no_territory && u != t) seen[u] = 1;
    }
  }
  std::vector<territory_index> out;
  for (std::size_t u = 0; u < p; ++u) {
    if (seen[u]) out.push_back(static_cast<territory_index>(u));
  }
  return out;
}

namespace detail::plan_monitor {

inline std::string column_name(const monitor_options& o, std::size_t c) {
  return c < o.activity_names.size() ? o.activity_names[c] : fmt::format("column {}", c);
}
inline std::string territory_name(const monitor_options& o, territory_index t) {
  return t < o.territory_names.size() ? o.territory_names[t] : fmt::format("territory {}", t);
}
inline std::string percent(double x) { return fmt::format("{:.4g} %", 100.0 * x); }
/// A sum or value for people: whole numbers from 100,000 on (no exponent), else 6 significant digits.
inline std::string number(double x) { return std::abs(x) >= 1e5 ? fmt::format("{:.0f}", x) : fmt::format("{:.6g}", x); }

/// A rebalance_plan_options restricted to the accounts `keep` (sub index -> full index) and the
/// territories `scope` (sub territory -> current territory).
inline rebalance_plan_options restrict_options(const rebalance_plan_options& base, const std::vector<std::size_t>& keep,
                                               const std::vector<territory_index>& sub_of_territory) {
  rebalance_plan_options o;
  o.tolerance = base.tolerance;
  o.max_diameter = base.max_diameter;
  o.max_moves = base.max_moves;
  o.activity_names = base.activity_names;
  o.stop = base.stop;
  if (!base.target_shares.empty()) {  // the kept territories' shares, in their sub-problem indices
    std::size_t k = 0;
    for (const auto t : sub_of_territory) k = t == no_territory ? k : std::max<std::size_t>(k, t + std::size_t{1});
    o.target_shares.assign(k, 1.0);
    for (std::size_t t = 0; t < sub_of_territory.size() && t < base.target_shares.size(); ++t) {
      if (sub_of_territory[t] != no_territory) o.target_shares[sub_of_territory[t]] = base.target_shares[t];
    }
  }
  if (!base.locked.empty()) {
    o.locked.resize(keep.size(), no_territory);
    for (std::size_t i = 0; i < keep.size(); ++i) {
      const auto t = base.locked[keep[i]];
      o.locked[i] = t == no_territory ? no_territory : sub_of_territory[t];
    }
  }
  for (const auto& mc : base.min_counts) {
    min_count s{mc.name, {}, mc.min};
    s.member.resize(keep.size());
    for (std::size_t i = 0; i < keep.size(); ++i) s.member[i] = mc.member[keep[i]];
    o.min_counts.push_back(std::move(s));
  }
  for (const auto& mb : base.median_bounds) {
    median_bound s{mb.name, {}, mb.side, mb.factor};
    s.values.resize(keep.size());
    for (std::size_t i = 0; i < keep.size(); ++i) s.values[i] = mb.values[keep[i]];
    o.median_bounds.push_back(std::move(s));
  }
  if (!base.move_cost.empty()) {
    o.move_cost.resize(keep.size());
    for (std::size_t i = 0; i < keep.size(); ++i) o.move_cost[i] = base.move_cost[keep[i]];
  }
  if (!base.account_ids.empty()) {
    o.account_ids.resize(keep.size());
    for (std::size_t i = 0; i < keep.size(); ++i) o.account_ids[i] = base.account_ids[keep[i]];
  }
  return o;
}

template <class Distance>
rebalance_result run(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                     const adjacency* graph, const plan& current, const rebalance_plan_options& o, Distance distance) {
  return graph ? rebalance(activities, coordinates, *graph, current, o, distance)
               : rebalance(activities, coordinates, current, o, distance);
}

inline recommended_rebalance from_result(std::string scenario, rebalance_result r) {
  recommended_rebalance rec;
  rec.scenario = std::move(scenario);
  rec.restores = r.feasible();
  rec.assignment = r.assignment;
  rec.origin = r.origin;
  rec.delta = std::move(r.delta);
  rec.violations = std::move(r.violations);
  rec.notes = std::move(r.notes);
  rec.budget_reached = r.budget_reached;
  rec.moved_cost = r.moved_cost;
  return rec;
}

}  // namespace detail::plan_monitor

template <distance_policy Distance>
monitor_report monitor(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                       const adjacency* graph, const plan& current, const monitor_options& options, Distance distance) {
  namespace dm = detail::plan_monitor;
  const auto n = static_cast<std::size_t>(activities.rows());
  const auto m = static_cast<std::size_t>(activities.cols());
  const std::size_t p = current.territory_count();
  // ---- checks, before any work
  if (!(options.drift >= 0.0 && options.drift < 1.0)) {
    throw invalid_input(errc::invalid_parameter, "drift",
                        fmt::format("monitor(): drift {} is outside [0, 1)", options.drift));
  }
  if (std::isnan(options.max_gini) || options.max_gini < 0.0) {
    throw invalid_input(errc::invalid_parameter, "max_gini", "monitor(): max_gini must be >= 0");
  }
  if (std::isnan(options.major_value) || options.major_value < 0.0) {
    throw invalid_input(errc::invalid_parameter, "major_value", "monitor(): major_value must be >= 0");
  }
  if (current.size() != n) {
    throw invalid_input(errc::size_mismatch, "current",
                        fmt::format("monitor(): the plan has {} accounts, the activities {} rows", current.size(), n));
  }
  if (!options.territory_rep.empty()) {
    if (options.territory_rep.size() != p) {
      throw invalid_input(errc::size_mismatch, "territory_rep",
                          fmt::format("monitor(): territory_rep has {} entries, expected {} (one per territory)",
                                      options.territory_rep.size(), p));
    }
    for (std::size_t t = 0; t < p; ++t) {
      if (options.territory_rep[t] != no_index && options.territory_rep[t] >= options.reps.size()) {
        throw invalid_input(errc::out_of_range, "territory_rep",
                            fmt::format("monitor(): territory {} names rep {}, but there are {} reps", t,
                                        options.territory_rep[t], options.reps.size()),
                            t);
      }
    }
  }
  if (!options.target_shares.empty() && options.target_shares.size() != p) {
    throw invalid_input(errc::size_mismatch, "target_shares",
                        fmt::format("monitor(): target_shares has {} values, expected {} (one per territory)",
                                    options.target_shares.size(), p));
  }
  if (!options.value_now.empty() && options.value_now.size() != n) {
    throw invalid_input(errc::size_mismatch, "value_now",
                        fmt::format("monitor(): value_now has {} values, expected {}", options.value_now.size(), n));
  }
  if (options.value_now.empty() && m == 0 && std::isfinite(options.major_value)) {
    throw invalid_input(errc::size_mismatch, "value_now", "monitor(): churn needs value_now or at least one column");
  }
  for (std::size_t s = 0; s < options.history.size(); ++s) {
    const auto& h = options.history[s];
    const auto ns = static_cast<std::size_t>(h.activities.rows());
    const bool fits = static_cast<std::size_t>(h.activities.cols()) == m && h.assignment.size() == ns &&
                      (h.now.empty() ? ns == n : h.now.size() == ns) && (h.value.empty() || h.value.size() == ns) &&
                      (h.ids.empty() || h.ids.size() == ns);
    if (!fits) {
      throw invalid_input(errc::size_mismatch, "history",
                          fmt::format("monitor(): snapshot {} does not fit: {} rows x {} columns (expected {} columns), "
                                      "plan of {}, now of {}, value of {}",
                                      s, ns, h.activities.cols(), m, h.assignment.size(), h.now.size(), h.value.size()),
                          s);
    }
    for (const auto k : h.now) {
      if (k != no_account && k >= n) {
        throw invalid_input(errc::out_of_range, "history",
                            fmt::format("monitor(): snapshot {} maps an account to {}, but there are {} accounts", s, k, n), s);
      }
    }
  }
  std::vector<double> band = options.rebalance_tolerance;
  if (band.empty()) band.assign(1, options.drift);

  monitor_report out;
  out.metrics = evaluate_plan(activities, coordinates, graph, current,
                              plan_metrics_options{.tolerance = {options.drift},
                                                   .activity_names = options.activity_names,
                                                   .territory_names = options.territory_names,
                                                   .target_shares = options.target_shares},
                              distance);
  auto base_options = [&]() {
    rebalance_plan_options o = options.rebalance;
    o.tolerance = band;
    o.drop.clear();
    o.add = 0;
    if (!options.target_shares.empty()) o.target_shares = options.target_shares;
    if (o.activity_names.empty()) o.activity_names = options.activity_names;
    return o;
  };
  std::vector<std::size_t> count(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = current[static_cast<account_index>(a)];
    if (t != no_territory) ++count[t];
  }

  // ---- deviation: every territory and column against the mean (plan/drift.hpp)
  std::vector<std::vector<load_drift>> drift(m);
  std::vector<double> col(p);
  for (std::size_t c = 0; c < m; ++c) {
    for (std::size_t t = 0; t < p; ++t) col[t] = out.metrics.territories[t].sums(static_cast<Eigen::Index>(c));
    drift[c] = drift_from_targets(col, options.target_shares, options.drift);
  }
  std::size_t first_deviation = out.alerts.size();
  for (std::size_t t = 0; t < p; ++t) {
    for (std::size_t c = 0; c < m; ++c) {
      const auto& d = drift[c][t];
      if (!d.alert) continue;
      alert al;
      al.kind = alert_kind::deviation;
      al.territory = static_cast<territory_index>(t);
      al.column = c;
      al.value = d.deviation;
      al.threshold = options.drift;
      al.evidence = fmt::format("{}: {} {} {} {} ({} vs {}); threshold ±{}", dm::territory_name(options, al.territory),
                                dm::column_name(options, c), dm::percent(std::abs(d.deviation)),
                                d.deviation > 0 ? "above" : "below",
                                options.target_shares.empty() ? "the mean" : "its target", dm::number(d.value),
                                dm::number(d.mean),
                                dm::percent(options.drift));
      out.alerts.push_back(std::move(al));
    }
  }
  if (options.recommend && out.alerts.size() > first_deviation) {
    auto r = dm::run(activities, coordinates, graph, current, base_options(), distance);
    out.recommendations.push_back(dm::from_result(
        fmt::format("rebalance every territory into the band ±{} (moving as few accounts as possible)",
                    dm::percent(band.front())),
        std::move(r)));
    for (std::size_t i = first_deviation; i < out.alerts.size(); ++i) out.alerts[i].recommendation = out.recommendations.size() - 1;
  }

  // ---- reps: departed reps who still own a territory, active reps who own none
  if (!options.territory_rep.empty()) {
    std::vector<territory_index> owned(options.reps.size(), no_territory);
    for (std::size_t t = 0; t < p; ++t) {
      if (options.territory_rep[t] != no_index && owned[options.territory_rep[t]] == no_territory) {
        owned[options.territory_rep[t]] = static_cast<territory_index>(t);
      }
    }
    for (std::size_t r = 0; r < options.reps.size(); ++r) {
      const auto& rp = options.reps[r];
      if (rp.status != rep_status::departed || owned[r] == no_territory) continue;
      const territory_index t = owned[r];
      alert al;
      al.kind = alert_kind::rep_departed;
      al.territory = t;
      al.rep = r;
      al.value = static_cast<double>(count[t]);
      al.threshold = 0.0;
      al.evidence = fmt::format("rep {} has departed and still owns {} ({} accounts)", rp.id,
                                dm::territory_name(options, t), count[t]);
      if (options.recommend && p > 1) {
        auto o = base_options();
        o.drop = {t};
        if (!o.target_shares.empty()) o.target_shares.erase(o.target_shares.begin() + static_cast<std::ptrdiff_t>(t));
        for (auto& l : o.locked) {
          if (l == t) l = no_territory;  // nothing can stay with a rep who left
        }
        out.recommendations.push_back(dm::from_result(
            fmt::format("drop {}: its accounts go to the neighbouring territories", dm::territory_name(options, t)),
            dm::run(activities, coordinates, graph, current, o, distance)));
        al.recommendation = out.recommendations.size() - 1;
      }
      out.alerts.push_back(std::move(al));
    }
    for (std::size_t r = 0; r < options.reps.size(); ++r) {
      const auto& rp = options.reps[r];
      if (rp.status != rep_status::active || owned[r] != no_territory) continue;
      if (options.as_of && rp.start_date && *rp.start_date > *options.as_of) continue;  // not started yet
      alert al;
      al.kind = alert_kind::rep_joined;
      al.rep = r;
      al.value = rp.capacity;
      al.threshold = 0.0;
      al.evidence = rp.start_date ? fmt::format("rep {} is active (started {}-{:02}-{:02}) and owns no territory", rp.id,
                                                static_cast<int>(rp.start_date->year()),
                                                static_cast<unsigned>(rp.start_date->month()),
                                                static_cast<unsigned>(rp.start_date->day()))
                                  : fmt::format("rep {} is active and owns no territory", rp.id);
      if (options.recommend && p + 1 <= n) {
        auto o = base_options();
        o.add = 1;
        if (!o.target_shares.empty()) o.target_shares.push_back(rp.capacity);  // the new rep's capacity
        out.recommendations.push_back(dm::from_result(
            fmt::format("add a territory for rep {}, carved from the heaviest territories", rp.id),
            dm::run(activities, coordinates, graph, current, o, distance)));
        al.recommendation = out.recommendations.size() - 1;
      }
      out.alerts.push_back(std::move(al));
    }
  }

  // ---- churn: a major account of the previous snapshot that is gone or worth 0 now
  if (!options.history.empty() && std::isfinite(options.major_value)) {
    const auto& prev = options.history.back();
    const auto ns = static_cast<std::size_t>(prev.activities.rows());
    auto value_then = [&](std::size_t k) { return prev.value.empty() ? prev.activities(static_cast<Eigen::Index>(k), 0) : prev.value[k]; };
    auto value_now = [&](std::size_t a) {
      return options.value_now.empty() ? activities(static_cast<Eigen::Index>(a), 0) : options.value_now[a];
    };
    std::optional<adjacency> knn;
    std::vector<std::size_t> rec_of_territory(p, no_index);
    for (std::size_t k = 0; k < ns; ++k) {
      const double before = value_then(k);
      if (!(before > options.major_value)) continue;  // strictly above: a major account
      const account_index now = prev.now.empty() ? static_cast<account_index>(k) : prev.now[k];
      const bool gone = now == no_account;
      if (!gone && value_now(now) != 0.0) continue;
      territory_index t = gone ? prev.assignment[static_cast<account_index>(k)] : current[now];
      if (t != no_territory && t >= p) t = no_territory;  // its owner is not in the current plan
      const std::string id = prev.ids.empty() ? fmt::format("{}", k) : prev.ids[k];
      alert al;
      al.kind = alert_kind::account_churned;
      al.territory = t;
      al.account = k;
      al.value = before;
      al.threshold = options.major_value;
      al.evidence = fmt::format("account {} ({}) was worth {} > {} and {}", id,
                                t == no_territory ? std::string("no current territory") : dm::territory_name(options, t),
                                dm::number(before), dm::number(options.major_value), gone ? "is gone" : "is worth 0 now");
      if (options.recommend && t != no_territory) {
        if (rec_of_territory[t] == no_index) {
          // re-plan only t and its neighbours: the sub-problem of their accounts, balanced to its own mean
          if (graph == nullptr && !knn) knn = detail::graph::knn_graph(coordinates, 8);
          const adjacency& g = graph ? *graph : *knn;
          std::vector<territory_index> scope = neighbour_territories(g, current, t);
          scope.push_back(t);
          std::sort(scope.begin(), scope.end());
          std::vector<territory_index> sub_t(p, no_territory);
          for (std::size_t i = 0; i < scope.size(); ++i) sub_t[scope[i]] = static_cast<territory_index>(i);
          std::vector<std::size_t> keep;
          std::vector<account_index> sub_index(n, no_account);
          for (std::size_t a = 0; a < n; ++a) {
            const auto u = current[static_cast<account_index>(a)];
            if (u != no_territory && sub_t[u] != no_territory) {
              sub_index[a] = static_cast<account_index>(keep.size());
              keep.push_back(a);
            }
          }
          const auto ks = keep.size();
          Eigen::MatrixXd sa(static_cast<Eigen::Index>(ks), static_cast<Eigen::Index>(m));
          Eigen::MatrixX2d sx(static_cast<Eigen::Index>(ks), 2);
          std::vector<territory_index> sp(ks);
          for (std::size_t i = 0; i < ks; ++i) {
            sa.row(static_cast<Eigen::Index>(i)) = activities.row(static_cast<Eigen::Index>(keep[i]));
            sx.row(static_cast<Eigen::Index>(i)) = coordinates.row(static_cast<Eigen::Index>(keep[i]));
            sp[i] = sub_t[current[static_cast<account_index>(keep[i])]];
          }
          const plan sub_plan(std::move(sp), static_cast<territory_index>(scope.size()));
          const auto so = dm::restrict_options(base_options(), keep, sub_t);
          rebalance_result sr;
          if (graph) {
            std::vector<edge> se;
            for (std::size_t i = 0; i < ks; ++i) {
              for (const auto b : graph->neighbors(static_cast<account_index>(keep[i]))) {
                const auto j = sub_index[b];
                if (j != no_account && j > i) se.push_back({static_cast<account_index>(i), j});
              }
            }
            const auto sg = adjacency::from_edges(ks, se);
            sr = rebalance(sa, sx, sg, sub_plan, so, distance);
          } else {
            sr = rebalance(sa, sx, sub_plan, so, distance);
          }
          // back to the whole plan: only the scope's accounts may have changed
          std::vector<territory_index> full(current.assignment().begin(), current.assignment().end());
          for (std::size_t i = 0; i < ks; ++i) full[keep[i]] = scope[sr.assignment[static_cast<account_index>(i)]];
          rebalance_result whole;
          whole.assignment = plan(std::move(full), static_cast<territory_index>(p));
          whole.origin.resize(p);
          for (std::size_t u = 0; u < p; ++u) whole.origin[u] = static_cast<territory_index>(u);
          whole.delta = compare_plans(current, whole.assignment, activities);
          whole.violations = std::move(sr.violations);
          for (auto& v : whole.violations) {
            if (v.territory != no_territory && v.territory < scope.size()) v.territory = scope[v.territory];
          }
          whole.notes = std::move(sr.notes);
          whole.budget_reached = sr.budget_reached;
          whole.moved_cost = sr.moved_cost;
          std::string names;
          for (const auto u : scope) {
            if (u != t) names += (names.empty() ? "" : ", ") + dm::territory_name(options, u);
          }
          auto rec = dm::from_result(
              fmt::format("re-plan {} and its {} neighbour{} ({}) into the band ±{} of their own mean",
                          dm::territory_name(options, t), scope.size() - 1, scope.size() == 2 ? "" : "s", names,
                          dm::percent(band.front())),
              std::move(whole));
          rec.scope = std::move(scope);
          out.recommendations.push_back(std::move(rec));
          rec_of_territory[t] = out.recommendations.size() - 1;
        }
        al.recommendation = rec_of_territory[t];
      }
      out.alerts.push_back(std::move(al));
    }
  }

  // ---- fairness over time: Gini and CV per column, every snapshot then the current data
  for (const auto& h : options.history) out.fairness.push_back(fairness_of(h.activities, h.assignment));
  out.fairness.push_back(fairness_of(activities, current));
  if (std::isfinite(options.max_gini)) {
    const auto& now = out.fairness.back();
    for (std::size_t c = 0; c < m; ++c) {
      const double g = now.gini(static_cast<Eigen::Index>(c));
      if (!(g > options.max_gini)) continue;
      alert al;
      al.kind = alert_kind::fairness;
      al.column = c;
      al.value = g;
      al.threshold = options.max_gini;
      al.evidence = fmt::format("{}: Gini {:.4f} over the territories > {:.4g}", dm::column_name(options, c), g,
                                options.max_gini);
      if (options.recommend && !out.recommendations.empty() && out.alerts.size() > first_deviation &&
          out.alerts[first_deviation].kind == alert_kind::deviation) {
        al.recommendation = out.alerts[first_deviation].recommendation;
      }
      out.alerts.push_back(std::move(al));
    }
  }
  return out;
}

}  // namespace territory
