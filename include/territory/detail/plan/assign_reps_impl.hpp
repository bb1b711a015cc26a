#pragma once

// Body of plan/assign_reps.hpp: validation, cost matrix, Hungarian method (shortest augmenting
// paths with potentials, rows <= columns), violations.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/plan/assign_reps.hpp"

namespace territory::detail::staffing {

/// Minimum-cost assignment of every row to a distinct column of a rows x cols matrix
/// (rows <= cols), row-major. Returns the column of each row. O(rows² · cols).
inline std::vector<std::size_t> hungarian(const std::vector<double>& cost, std::size_t rows, std::size_t cols) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // 1-based potentials; column 0 is the virtual start column.
  std::vector<double> u(rows + 1, 0.0), v(cols + 1, 0.0), minv(cols + 1);
  std::vector<std::size_t> row_of(cols + 1, 0), way(cols + 1, 0);
  std::vector<char> used(cols + 1);
  for (std::size_t i = 1; i <= rows; ++i) {
    row_of[0] = i;
    std::size_t j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const std::size_t i0 = row_of[j0];
      double delta = inf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= cols; ++j) {
        if (used[j]) continue;
        const double cur = cost[(i0 - 1) * cols + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= cols; ++j) {
        if (used[j]) {
          u[row_of[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      row_of[j0] = row_of[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<std::size_t> col_of(rows, 0);
  for (std::size_t j = 1; j <= cols; ++j) {
    if (row_of[j] != 0) col_of[row_of[j] - 1] = j - 1;
  }
  return col_of;
}

inline std::string territory_label(const rep_assignment_options& o, std::size_t t) {
  return fmt::format("territory {}", t < o.territory_names.size() ? o.territory_names[t] : std::to_string(t));
}

inline void validate_assign_reps(std::span<const point> centres, std::span<const double> loads,
                                 std::span<const rep> reps, const rep_assignment_options& o) {
  const std::size_t p = centres.size();
  if (loads.size() != p) {
    throw invalid_input(errc::size_mismatch, "loads",
                        fmt::format("assign_reps(): loads has {} values, expected {} (one per territory)",
                                    loads.size(), p));
  }
  if (!o.pinned.empty() && o.pinned.size() != p) {
    throw invalid_input(errc::size_mismatch, "pinned",
                        fmt::format("assign_reps(): pinned has {} rep ids, expected {} (one per territory) or none",
                                    o.pinned.size(), p));
  }
  if (!o.territory_names.empty() && o.territory_names.size() != p) {
    throw invalid_input(errc::size_mismatch, "territory_names",
                        fmt::format("assign_reps(): territory_names has {} names, expected {} (one per territory)",
                                    o.territory_names.size(), p));
  }
  if (!std::isfinite(o.tolerance) || o.tolerance < 0.0) {
    throw invalid_input(errc::invalid_parameter, "tolerance",
                        fmt::format("assign_reps(): tolerance = {} must be finite and >= 0", o.tolerance));
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (!std::isfinite(centres[t][0]) || !std::isfinite(centres[t][1])) {
      throw invalid_input(errc::non_finite, "centres",
                          fmt::format("assign_reps(): centre of territory {} is not finite", t), t);
    }
    if (!std::isfinite(loads[t])) {
      throw invalid_input(errc::non_finite, "loads", fmt::format("assign_reps(): load of territory {} is not finite", t),
                          t);
    }
    if (loads[t] < 0.0) {
      throw invalid_input(errc::negative_value, "loads",
                          fmt::format("assign_reps(): load of territory {} is negative ({})", t, loads[t]), t);
    }
  }
  for (std::size_t r = 0; r < reps.size(); ++r) {
    const auto& x = reps[r];
    if (x.status != rep_status::active) continue;
    if (x.home && (!std::isfinite((*x.home)[0]) || !std::isfinite((*x.home)[1]))) {
      throw invalid_input(errc::invalid_parameter, "reps",
                          fmt::format("assign_reps(): home of rep '{}' is not finite", x.id), r, x.id);
    }
    if (!std::isfinite(x.capacity) || x.capacity <= 0.0) {
      throw invalid_input(errc::invalid_parameter, "reps",
                          fmt::format("assign_reps(): capacity of rep '{}' is {}, expected a finite value > 0", x.id,
                                      x.capacity),
                          r, x.id);
    }
  }
}

}  // namespace territory::detail::staffing

namespace territory {

template <distance_policy Distance>
rep_assignment assign_reps(std::span<const point> centres, std::span<const double> loads, std::span<const rep> reps,
                           const rep_assignment_options& options, Distance distance) {
  detail::staffing::validate_assign_reps(centres, loads, reps, options);
  const std::size_t p = centres.size();
  std::vector<std::size_t> active;
  for (std::size_t r = 0; r < reps.size(); ++r) {
    if (reps[r].status == rep_status::active) active.push_back(r);
  }
  const std::size_t k = active.size();
  rep_assignment out;
  out.rep_of.assign(p, rep_assignment::no_rep);
  out.distance.assign(p, 0.0);
  auto fits = [&](std::size_t t, std::size_t r) { return loads[t] <= reps[r].capacity * (1.0 + options.tolerance); };
  if (p > 0 && k > 0) {
    // cost = [capacity violated] + distance / scale, with scale chosen so that the distances of
    // any complete assignment sum to less than 1: fewer violations always win, then distance.
    std::vector<double> d(p * k);
    double dmax = 0.0;
    for (std::size_t t = 0; t < p; ++t) {
      for (std::size_t i = 0; i < k; ++i) {
        const auto& home = reps[active[i]].home;
        d[t * k + i] = home ? static_cast<double>(distance(*home, centres[t])) : 0.0;
        dmax = std::max(dmax, d[t * k + i]);
      }
    }
    const double scale = dmax > 0.0 ? dmax * static_cast<double>(std::min(p, k) + 1) : 1.0;
    // pins: a pinned territory with another rep, or a pinned rep elsewhere, costs more than every
    // capacity violation together (at most min(p, k)) plus the distances (< 1)
    std::vector<std::size_t> pin_of_t(p, rep_assignment::no_rep), pin_of_r(k, rep_assignment::no_rep);
    for (std::size_t t = 0; t < options.pinned.size(); ++t) {
      if (options.pinned[t].empty()) continue;
      std::size_t found = k;
      for (std::size_t i = 0; i < k; ++i) {
        if (reps[active[i]].id == options.pinned[t]) found = i;
      }
      if (found == k) {
        throw invalid_input(errc::unknown_id, "pinned",
                            fmt::format("assign_reps(): {} is pinned to rep '{}', which is not an active rep",
                                        detail::staffing::territory_label(options, t), options.pinned[t]),
                            t, options.pinned[t]);
      }
      if (pin_of_r[found] != rep_assignment::no_rep) {
        throw invalid_input(errc::duplicate_id, "pinned",
                            fmt::format("assign_reps(): rep '{}' is pinned to two territories", options.pinned[t]), t,
                            options.pinned[t]);
      }
      pin_of_t[t] = found;
      pin_of_r[found] = t;
    }
    const double pin_penalty = static_cast<double>(std::min(p, k)) + 2.0;
    const bool by_territory = p <= k;  // rows = the smaller side
    const std::size_t rows = by_territory ? p : k, cols = by_territory ? k : p;
    std::vector<double> cost(rows * cols);
    for (std::size_t t = 0; t < p; ++t) {
      for (std::size_t i = 0; i < k; ++i) {
        double c = (fits(t, active[i]) ? 0.0 : 1.0) + d[t * k + i] / scale;
        if ((pin_of_t[t] != rep_assignment::no_rep && pin_of_t[t] != i) ||
            (pin_of_r[i] != rep_assignment::no_rep && pin_of_r[i] != t)) {
          c += pin_penalty;
        }
        if (by_territory) {
          cost[t * cols + i] = c;
        } else {
          cost[i * cols + t] = c;
        }
      }
    }
    const auto col_of = detail::staffing::hungarian(cost, rows, cols);
    std::vector<char> rep_used(k, 0);
    for (std::size_t row = 0; row < rows; ++row) {
      const std::size_t t = by_territory ? row : col_of[row];
      const std::size_t i = by_territory ? col_of[row] : row;
      out.rep_of[t] = active[i];
      out.distance[t] = d[t * k + i];
      rep_used[i] = 1;
    }
    for (std::size_t i = 0; i < k; ++i) {
      if (!rep_used[i]) out.unassigned_reps.push_back(active[i]);
    }
  }
  for (std::size_t t = 0; t < p; ++t) {
    out.total_distance += out.distance[t];
    const auto r = out.rep_of[t];
    if (r == rep_assignment::no_rep) continue;
    if (!fits(t, r)) {
      const double allowed = reps[r].capacity * (1.0 + options.tolerance);
      out.violations.push_back(
          {constraint_kind::capacity, static_cast<territory_index>(t), reps[r].id, loads[t] / reps[r].capacity - (1.0 + options.tolerance),
           fmt::format("{} carries {:.2f}x a full load but its rep '{}' has capacity {:.2f} (allowed {:.2f}x)",
                       detail::staffing::territory_label(options, t), loads[t], reps[r].id, reps[r].capacity, allowed)});
    }
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (out.rep_of[t] != rep_assignment::no_rep) continue;
    out.violations.push_back({constraint_kind::unassigned, static_cast<territory_index>(t), "rep", 1.0,
                              fmt::format("{} has no rep ({} active rep{} for {} territories)",
                                          detail::staffing::territory_label(options, t), k, k == 1 ? "" : "s", p)});
  }
  return out;
}

}  // namespace territory
