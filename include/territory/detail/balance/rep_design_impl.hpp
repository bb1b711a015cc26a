#pragma once

// design_from_reps and travel_from_homes (balance/rep_design.hpp).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/rep.hpp"
#include "territory/balance/rep_design.hpp"

namespace territory {

inline std::vector<skill_requirement> skill_requirements(const rep_design& d, std::span<const rep> reps,
                                                       const std::vector<std::vector<std::string>>& needs, std::size_t n) {
  if (!needs.empty() && needs.size() != n) {
    throw invalid_input(errc::size_mismatch, "needs",
                        fmt::format("skill_requirements(): needs has {} lists, expected {} (one per account) or none",
                                    needs.size(), n));
  }
  std::vector<skill_requirement> out;
  auto index_of = [&](const std::string& skill) {
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (out[k].name == skill) return k;
    }
    skill_requirement r{skill, std::vector<std::uint8_t>(n, 0), std::vector<std::uint8_t>(d.rep_of.size(), 0)};
    for (std::size_t t = 0; t < d.rep_of.size(); ++t) {
      const auto& sk = reps[d.rep_of[t]].skills;
      r.allowed[t] = std::find(sk.begin(), sk.end(), skill) != sk.end() ? 1 : 0;
    }
    out.push_back(std::move(r));
    return out.size() - 1;
  };
  for (std::size_t a = 0; a < needs.size(); ++a) {
    for (const auto& skill : needs[a]) {
      if (!skill.empty()) out[index_of(skill)].member[a] = 1;
    }
  }
  return out;
}

template <distance_policy Distance>
rep_design design_from_reps(std::span<const rep> reps, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                            const std::vector<territory_index>& locked, Distance distance,
                            const std::vector<std::vector<std::string>>& needs) {
  const auto n = static_cast<std::size_t>(coordinates.rows());
  rep_design d;
  for (std::size_t r = 0; r < reps.size(); ++r) {
    const auto& rp = reps[r];
    if (rp.status == rep_status::departed) {
      d.departed.push_back(r);
      continue;
    }
    if (!std::isfinite(rp.capacity) || !(rp.capacity > 0.0)) {
      throw invalid_input(errc::invalid_parameter, "reps",
                          fmt::format("design_from_reps(): rep '{}' has capacity {}, expected a finite value > 0", rp.id,
                                      rp.capacity),
                          r, rp.id);
    }
    if (rp.home && (!std::isfinite((*rp.home)[0]) || !std::isfinite((*rp.home)[1]))) {
      throw invalid_input(errc::invalid_parameter, "reps",
                          fmt::format("design_from_reps(): rep '{}' has a home that is not finite", rp.id), r, rp.id);
    }
    d.rep_of.push_back(r);
    d.target_shares.push_back(rp.capacity);
    d.homes.push_back(rp.home);
  }
  const std::size_t p = d.rep_of.size();
  if (p == 0) {
    throw invalid_input(errc::out_of_range, "reps",
                        fmt::format("design_from_reps(): none of the {} reps is active: no territory to design", reps.size()));
  }
  if (p > n) {
    throw invalid_input(errc::out_of_range, "reps",
                        fmt::format("design_from_reps(): {} active reps but only {} accounts: every territory needs one", p, n));
  }
  if (!locked.empty() && locked.size() != n) {
    throw invalid_input(errc::size_mismatch, "locked",
                        fmt::format("design_from_reps(): locked has {} values, expected {} (one per account) or none",
                                    locked.size(), n));
  }
  d.locked = locked;
  std::vector<char> has_lock(p, 0), taken(n, 0);
  for (std::size_t a = 0; a < n && !locked.empty(); ++a) {
    const auto t = locked[a];
    if (t == no_territory) continue;
    if (t >= p) {
      throw invalid_input(errc::out_of_range, "locked",
                          fmt::format("design_from_reps(): account {} is locked to territory {}, expected one below {} "
                                      "(one per active rep)",
                                      a, t, p),
                          a);
    }
    has_lock[t] = 1;
    taken[a] = 1;
  }
  d.skills = skill_requirements(d, reps, needs, n);
  auto covers = [&](std::size_t a, std::size_t t) {  // rep t has every skill account a needs
    for (const auto& sk : d.skills) {
      if (sk.member[a] != 0 && sk.allowed[t] == 0) return false;
    }
    return true;
  };
  d.seeds.assign(p, no_account);
  for (std::size_t t = 0; t < p; ++t) {
    const auto& home = reps[d.rep_of[t]].home;
    if (!home || has_lock[t]) continue;
    const point h{(*home)[0], (*home)[1]};
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t a = 0; a < n; ++a) {
      if (taken[a] != 0 || !covers(a, t)) continue;  // a lock, an earlier rep's seed, or needs it lacks
      const double x = static_cast<double>(distance(h, point{coordinates(static_cast<Eigen::Index>(a), 0),
                                                              coordinates(static_cast<Eigen::Index>(a), 1)}));
      if (x < best) {
        best = x;
        d.seeds[t] = static_cast<account_index>(a);
      }
    }
    if (d.seeds[t] != no_account) taken[d.seeds[t]] = 1;
  }
  return d;
}

template <distance_policy Distance>
home_travel travel_from_homes(std::span<const territory_index> assignment, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                              const std::vector<std::optional<point>>& homes, Distance distance) {
  const std::size_t n = assignment.size(), p = homes.size();
  if (static_cast<std::size_t>(coordinates.rows()) != n) {
    throw invalid_input(errc::size_mismatch, "coordinates",
                        fmt::format("travel_from_homes(): coordinates has {} rows, expected {} (one per account)",
                                    coordinates.rows(), n));
  }
  home_travel tr{std::vector<double>(p, 0.0), std::vector<double>(p, 0.0), std::vector<double>(p, 0.0)};
  std::vector<std::size_t> count(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = assignment[a];
    if (t == no_territory) continue;
    if (t >= p) {
      throw invalid_input(errc::out_of_range, "assignment",
                          fmt::format("travel_from_homes(): account {} is in territory {}, expected one below {} (one "
                                      "per home)",
                                      a, t, p),
                          a);
    }
    if (!homes[t]) continue;
    const double x = static_cast<double>(distance(*homes[t], point{coordinates(static_cast<Eigen::Index>(a), 0),
                                                                   coordinates(static_cast<Eigen::Index>(a), 1)}));
    tr.total[t] += x;
    tr.max[t] = std::max(tr.max[t], x);
    ++count[t];
  }
  for (std::size_t t = 0; t < p; ++t) tr.mean[t] = count[t] > 0 ? tr.total[t] / static_cast<double>(count[t]) : 0.0;
  return tr;
}

}  // namespace territory
