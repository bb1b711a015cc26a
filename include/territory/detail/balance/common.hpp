#pragma once

// Internal helpers of balance/: input validation at the API boundary, tolerance expansion,
// column names, the normalised problem data shared by construction and search.

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/balance/partition_options.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

inline std::string column_name(const partition_options& o, std::size_t j) {
  if (j < o.activity_names.size() && !o.activity_names[j].empty()) return o.activity_names[j];
  return fmt::format("activity {}", j);
}

inline std::string account_name(const partition_options& o, std::size_t a) {
  if (a < o.account_ids.size()) return fmt::format("'{}'", o.account_ids[a]);
  return fmt::format("{}", a);
}

/// The name of a median bound in reports: "median_cap workload", "median_floor revenue".
inline std::string median_bound_name(const median_bound& b) {
  return (b.side == median_side::cap ? "median_cap " : "median_floor ") + b.name;
}

/// Validates the business constraints and the starting plan of `o` for n accounts (docs/constraints.md).
/// Throws invalid_input naming the field ("locked", "min_counts", "median_bounds", "max_diameter",
/// "initial_assignment") and the index.
inline void validate_business(std::size_t n, const partition_options& o, const char* where) {
  const std::size_t p = o.territories;
  auto id_of = [&](std::size_t a) { return a < o.account_ids.size() ? o.account_ids[a] : std::string{}; };
  if (!o.target_shares.empty()) {
    if (o.target_shares.size() != p) {
      throw invalid_input(errc::size_mismatch, "target_shares",
                          fmt::format("{}: target_shares has {} values, expected {} (one per territory) or none", where,
                                      o.target_shares.size(), p));
    }
    for (std::size_t t = 0; t < p; ++t) {
      const double x = o.target_shares[t];
      if (!std::isfinite(x) || !(x > 0.0)) {
        throw invalid_input(errc::invalid_parameter, "target_shares",
                            fmt::format("{}: target_shares[{}] = {}, expected a finite value > 0", where, t, x), t);
      }
    }
  }
  for (std::size_t k = 0; k < o.skills.size(); ++k) {
    const auto& sk = o.skills[k];
    if (sk.member.size() != n || sk.allowed.size() != p) {
      throw invalid_input(errc::size_mismatch, "skills",
                          fmt::format("{}: skills[{}] ({}) has {} member flags and {} allowed flags, expected {} (one "
                                      "per account) and {} (one per territory)",
                                      where, k, sk.name, sk.member.size(), sk.allowed.size(), n, p),
                          k);
    }
  }
  if (!o.seeds.empty()) {
    if (o.seeds.size() != p) {
      throw invalid_input(errc::size_mismatch, "seeds",
                          fmt::format("{}: seeds has {} values, expected {} (one per territory) or none", where,
                                      o.seeds.size(), p));
    }
    std::vector<territory_index> seeded(n, no_territory);
    for (std::size_t t = 0; t < p; ++t) {
      const auto a = o.seeds[t];
      if (a == no_account) continue;
      if (a >= n) {
        throw invalid_input(errc::out_of_range, "seeds",
                            fmt::format("{}: seeds[{}] = account {}, expected an account below {} (or no_account)",
                                        where, t, a, n),
                            t);
      }
      if (seeded[a] != no_territory) {
        throw invalid_input(errc::invalid_parameter, "seeds",
                            fmt::format("{}: account {} seeds territories {} and {}, expected one", where,
                                        account_name(o, a), seeded[a], t),
                            t, id_of(a));
      }
      seeded[a] = static_cast<territory_index>(t);
      if (o.locked.size() == n && o.locked[a] != no_territory && o.locked[a] != t) {
        throw invalid_input(errc::invalid_parameter, "seeds",
                            fmt::format("{}: account {} seeds territory {} but is locked to territory {}", where,
                                        account_name(o, a), t, o.locked[a]),
                            t, id_of(a));
      }
    }
  }
  if (!o.locked.empty()) {
    if (o.locked.size() != n) {
      throw invalid_input(errc::size_mismatch, "locked",
                          fmt::format("{}: locked has {} values, expected {} (one per account) or none", where,
                                      o.locked.size(), n));
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (o.locked[a] != no_territory && o.locked[a] >= p) {
        throw invalid_input(errc::out_of_range, "locked",
                            fmt::format("{}: account {} is locked to territory {}, expected a territory below {} "
                                        "(or no_territory)",
                                        where, account_name(o, a), o.locked[a], p),
                            a, id_of(a));
      }
    }
  }
  for (std::size_t k = 0; k < o.min_counts.size(); ++k) {
    const auto& c = o.min_counts[k];
    if (c.member.size() != n) {
      throw invalid_input(errc::size_mismatch, "min_counts",
                          fmt::format("{}: min_counts[{}] ({}) has {} member flags, expected {} (one per account)",
                                      where, k, c.name, c.member.size(), n),
                          k);
    }
    if (c.min == 0) {
      throw invalid_input(errc::invalid_parameter, "min_counts",
                          fmt::format("{}: min_counts[{}] ({}) has min = 0, expected at least 1", where, k, c.name), k);
    }
  }
  for (std::size_t k = 0; k < o.median_bounds.size(); ++k) {
    const auto& b = o.median_bounds[k];
    const bool cap = b.side == median_side::cap;
    if (b.values.size() != n) {
      throw invalid_input(errc::size_mismatch, "median_bounds",
                          fmt::format("{}: median_bounds[{}] ({}) has {} values, expected {} (one per account)", where,
                                      k, b.name, b.values.size(), n),
                          k);
    }
    if (!std::isfinite(b.factor) || (cap ? b.factor < 1.0 : (b.factor <= 0.0 || b.factor > 1.0))) {
      throw invalid_input(errc::invalid_parameter, "median_bounds",
                          fmt::format("{}: median_bounds[{}] ({}) is a {} with factor {}, expected {} (the median "
                                      "territory itself must be able to meet it)",
                                      where, k, b.name, cap ? "cap" : "floor", b.factor,
                                      cap ? "a factor >= 1" : "a factor in (0, 1]"),
                          k);
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (!std::isfinite(b.values[a]) || b.values[a] < 0.0) {
        throw invalid_input(std::isfinite(b.values[a]) ? errc::negative_value : errc::non_finite, "median_bounds",
                            fmt::format("{}: median_bounds[{}] ({}) has value {} for account {}, expected a finite "
                                        "value >= 0",
                                        where, k, b.name, b.values[a], account_name(o, a)),
                            a, id_of(a));
      }
    }
  }
  if (!(o.max_diameter > 0.0)) {
    throw invalid_input(errc::invalid_parameter, "max_diameter",
                        fmt::format("{}: max_diameter = {} must be > 0 (+inf = no cap)", where, o.max_diameter));
  }
  if (!o.initial_assignment.empty()) {
    if (o.initial_assignment.size() != n) {
      throw invalid_input(errc::size_mismatch, "initial_assignment",
                          fmt::format("{}: initial_assignment has {} values, expected {} (one per account) or none",
                                      where, o.initial_assignment.size(), n));
    }
    for (std::size_t a = 0; a < n; ++a) {
      const auto t = o.initial_assignment[a];
      if (t >= p) {
        throw invalid_input(errc::out_of_range, "initial_assignment",
                            fmt::format("{}: initial_assignment of account {} is {}, expected a territory below {}",
                                        where, account_name(o, a), t, p),
                            a, id_of(a));
      }
      if (!o.locked.empty() && o.locked[a] != no_territory && o.locked[a] != t) {
        throw invalid_input(errc::invalid_parameter, "initial_assignment",
                            fmt::format("{}: account {} is locked to territory {} but initial_assignment puts it in {}",
                                        where, account_name(o, a), o.locked[a], t),
                            a, id_of(a));
      }
    }
  }
}

/// Validates everything except coordinates; `where` names the calling function.
inline void validate_common(const Eigen::Ref<const Eigen::MatrixXd>& acts, const adjacency* graph,
                            const partition_options& o, const char* where) {
  const auto n = static_cast<std::size_t>(acts.rows());
  const auto m = static_cast<std::size_t>(acts.cols());
  if (o.territories == 0) {
    throw invalid_input(errc::out_of_range, "territories",
                        fmt::format("{}: territories is 0, expected at least 1", where));
  }
  if (o.threads == 0) {
    throw invalid_input(errc::invalid_parameter, "threads", fmt::format("{}: threads is 0, expected at least 1", where));
  }
  if (!(o.time_limit_seconds > 0.0)) {
    throw invalid_input(errc::invalid_parameter, "time_limit_seconds",
                        fmt::format("{}: time_limit_seconds must be > 0", where));
  }
  if (!(o.safety_stop_factor >= 1.0)) {
    throw invalid_input(errc::invalid_parameter, "safety_stop_factor",
                        fmt::format("{}: safety_stop_factor is {}, expected >= 1 (+inf = no safety stop)", where,
                                    o.safety_stop_factor));
  }
  if (!o.tolerance.empty() && o.tolerance.size() != 1 && o.tolerance.size() != m) {
    throw invalid_input(errc::size_mismatch, "tolerance",
                        fmt::format("{}: tolerance has {} values, expected 0, 1 or {} (one per activity column)",
                                    where, o.tolerance.size(), m));
  }
  for (std::size_t j = 0; j < o.tolerance.size(); ++j) {
    const double t = o.tolerance[j];
    if (!std::isfinite(t) || t < 0.0 || t >= 1.0) {
      throw invalid_input(errc::invalid_parameter, "tolerance",
                          fmt::format("{}: tolerance[{}] = {} is outside [0, 1)", where, j, t), j);
    }
  }
  if (!o.activity_names.empty() && o.activity_names.size() != m) {
    throw invalid_input(errc::size_mismatch, "activity_names",
                        fmt::format("{}: activity_names has {} names, expected {} (one per column)", where,
                                    o.activity_names.size(), m));
  }
  if (!o.account_ids.empty() && o.account_ids.size() != n) {
    throw invalid_input(errc::size_mismatch, "account_ids",
                        fmt::format("{}: account_ids has {} ids, expected {} (one per account)", where,
                                    o.account_ids.size(), n));
  }
  if (graph != nullptr && graph->size() != n) {
    throw invalid_input(errc::size_mismatch, "graph",
                        fmt::format("{}: graph has {} vertices, expected {} (one per account)", where,
                                    graph->size(), n));
  }
  validate_business(n, o, where);
  const auto& w = o.objective;
  auto weight_ok = [](double x) { return std::isfinite(x) && x >= 0.0; };
  if (!weight_ok(w.compactness) || !weight_ok(w.travel)) {
    throw invalid_input(errc::invalid_parameter, "objective",
                        fmt::format("{}: objective weights compactness = {} and travel = {}, expected finite values >= 0",
                                    where, w.compactness, w.travel));
  }
  if (!w.balance.empty() && w.balance.size() != m) {
    throw invalid_input(errc::size_mismatch, "objective",
                        fmt::format("{}: objective.balance has {} weights, expected {} (one per activity column) or none",
                                    where, w.balance.size(), m));
  }
  for (std::size_t j = 0; j < w.balance.size(); ++j) {
    if (!weight_ok(w.balance[j])) {
      throw invalid_input(errc::invalid_parameter, "objective",
                          fmt::format("{}: objective.balance[{}] ({}) = {}, expected a finite value >= 0", where, j,
                                      column_name(o, j), w.balance[j]),
                          j);
    }
  }
  if (!o.homes.empty() && o.homes.size() != o.territories) {
    throw invalid_input(errc::size_mismatch, "homes",
                        fmt::format("{}: homes has {} values, expected {} (one per territory) or none", where,
                                    o.homes.size(), o.territories));
  }
  for (std::size_t t = 0; t < o.homes.size(); ++t) {
    if (o.homes[t] && (!std::isfinite((*o.homes[t])[0]) || !std::isfinite((*o.homes[t])[1]))) {
      throw invalid_input(errc::non_finite, "homes", fmt::format("{}: homes[{}] is not finite", where, t), t);
    }
  }
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t a = 0; a < n; ++a) {
      const double v = acts(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j));
      if (!std::isfinite(v)) {
        throw invalid_input(errc::non_finite, "activities",
                            fmt::format("{}: activity {} of account {} is not finite", where, column_name(o, j), a),
                            a, a < o.account_ids.size() ? o.account_ids[a] : std::string{});
      }
      if (v < 0.0) {
        throw invalid_input(errc::negative_value, "activities",
                            fmt::format("{}: activity {} of account {} is negative ({})", where, column_name(o, j),
                                        a, v),
                            a, a < o.account_ids.size() ? o.account_ids[a] : std::string{});
      }
    }
  }
}

inline void validate_coordinates(const Eigen::Ref<const Eigen::MatrixX2d>& xy, std::size_t n, const char* where) {
  if (static_cast<std::size_t>(xy.rows()) != n) {
    throw invalid_input(errc::size_mismatch, "coordinates",
                        fmt::format("{}: coordinates has {} rows, expected {} (one per account)", where, xy.rows(), n));
  }
  for (Eigen::Index a = 0; a < xy.rows(); ++a) {
    if (!std::isfinite(xy(a, 0)) || !std::isfinite(xy(a, 1))) {
      throw invalid_input(errc::non_finite, "coordinates",
                          fmt::format("{}: coordinates of account {} are not finite", where, a),
                          static_cast<std::size_t>(a));
    }
  }
}

/// Tolerance of every column.
inline std::vector<double> expand_tolerance(const partition_options& o, std::size_t m) {
  if (o.tolerance.empty()) return std::vector<double>(m, 0.05);
  if (o.tolerance.size() == 1) return std::vector<double>(m, o.tolerance[0]);
  return o.tolerance;
}

/// Whether the call has target shares that differ (equal shares are no shares: the engine, the
/// precheck and the evaluation then behave exactly as without). O(p).
inline bool unequal_shares(const partition_options& o) {
  const auto& s = o.target_shares;
  return std::any_of(s.begin(), s.end(), [&](double x) { return x != s.front(); });
}

/// Every territory's target as a multiple of the mean territory's: partition_options::target_shares
/// normalised to mean 1, or all exactly 1 without (or with equal) shares. O(p).
inline std::vector<double> normalised_shares(const partition_options& o) {
  const std::size_t p = o.territories;
  std::vector<double> sh(p, 1.0);
  if (o.target_shares.size() != p || p == 0 || !unequal_shares(o)) return sh;
  double total = 0.0;
  for (double x : o.target_shares) total += x;
  for (std::size_t t = 0; t < p; ++t) sh[t] = o.target_shares[t] * static_cast<double>(p) / total;
  return sh;
}

/// t0 + seconds, saturated: a limit of +inf or beyond the clock's range (about 9.2e9 s for a
/// nanosecond steady_clock) is "no deadline" (time_point::max()) instead of an overflowing
/// duration_cast. `seconds` > 0 (validated at the API boundary).
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::steady_clock::time_point t0, double seconds) {
  using clock = std::chrono::steady_clock;
  const double room = std::chrono::duration<double>(clock::time_point::max() - t0).count();
  if (!(seconds < 0.5 * room)) return clock::time_point::max();  // half: no rounding at the edge
  return t0 + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

/// "7.0 %"
inline std::string pct(double x) { return fmt::format("{:.1f} %", 100.0 * x); }

}  // namespace territory::detail::balance
