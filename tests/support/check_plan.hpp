#pragma once

// Independent checker of plans and partition results, used by property tests.
//
// It recomputes everything with plain loops (no library metric code): every account is
// assigned exactly once to a territory in [0, p); locked accounts stay put (when given);
// territories are contiguous when the graph is connected; per-territory sums are conserved
// (they add up to the column totals) and, for a result object, equal the reported ones;
// the result's feasible() agrees with the recomputed balance and contiguity constraints.

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <territory/core/ids.hpp>
#include <territory/core/plan.hpp>
#include <territory/graph/adjacency.hpp>

namespace territory::test {

struct plan_check {
  std::vector<std::string> failures;  ///< empty <=> every check passed
  Eigen::MatrixXd sums;               ///< p×m recomputed sums
  std::vector<std::uint32_t> pieces;  ///< p: components per territory (1 without a graph)
  bool balanced = true;               ///< every sum within [(1−τ)·mean, (1+τ)·mean] (+1e-9)
  bool contiguous = true;             ///< every territory in one piece
  bool complete = true;               ///< every account assigned, no territory empty
  std::uint32_t graph_components = 1;

  [[nodiscard]] bool ok() const noexcept { return failures.empty(); }
  [[nodiscard]] bool feasible() const noexcept { return balanced && contiguous && complete; }
  [[nodiscard]] std::string summary() const {
    std::string s;
    for (const auto& f : failures) s += f + "\n";
    return s;
  }
};

/// Checks a plan for p territories. `tolerance`: empty = 0.05, one value, or one per column.
/// `require_contiguous`: fail if a territory is split although the graph is connected.
/// `locked`/`owner`: when non-empty, locked accounts must be in their owner territory.
inline plan_check check_plan(const Eigen::MatrixXd& activities, const adjacency* graph, const plan& pl,
                             std::size_t p, std::span<const double> tolerance = {}, bool require_contiguous = true,
                             std::span<const std::uint8_t> locked = {}, std::span<const territory_index> owner = {}) {
  plan_check r;
  const auto n = static_cast<std::size_t>(activities.rows());
  const auto m = activities.cols();
  auto fail = [&](std::string s) { r.failures.push_back(std::move(s)); };
  if (pl.size() != n) {
    fail("plan has " + std::to_string(pl.size()) + " accounts, expected " + std::to_string(n));
    return r;
  }
  if (pl.territory_count() != p) fail("plan has " + std::to_string(pl.territory_count()) + " territories, expected " + std::to_string(p));
  r.sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), m);
  std::vector<std::size_t> count(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = pl[static_cast<account_index>(a)];
    if (t == no_territory || t >= p) {
      r.complete = false;
      fail("account " + std::to_string(a) + " has no valid territory");
      continue;
    }
    ++count[t];
    r.sums.row(t) += activities.row(static_cast<Eigen::Index>(a));
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (count[t] == 0) {
      r.complete = false;
      fail("territory " + std::to_string(t) + " is empty");
    }
  }
  for (std::size_t i = 0; i < locked.size() && i < owner.size(); ++i) {
    if (locked[i] && pl[static_cast<account_index>(i)] != owner[i]) fail("locked account " + std::to_string(i) + " moved");
  }
  // conservation
  const Eigen::VectorXd totals = activities.colwise().sum().transpose();
  const Eigen::VectorXd summed = r.sums.colwise().sum().transpose();
  for (Eigen::Index c = 0; c < m; ++c) {
    if (std::abs(totals(c) - summed(c)) > 1e-9 * std::max(1.0, std::abs(totals(c))) && r.failures.empty()) {
      fail("column " + std::to_string(c) + ": territory sums add to " + std::to_string(summed(c)) + ", total is " +
           std::to_string(totals(c)));
    }
  }
  // balance
  for (Eigen::Index c = 0; c < m; ++c) {
    const double tau = tolerance.empty() ? 0.05 : (tolerance.size() == 1 ? tolerance[0] : tolerance[static_cast<std::size_t>(c)]);
    const double mean = totals(c) / static_cast<double>(p);
    if (!(mean > 0)) continue;
    for (std::size_t t = 0; t < p; ++t) {
      if (std::abs(r.sums(static_cast<Eigen::Index>(t), c) / mean - 1.0) > tau + 1e-9) r.balanced = false;
    }
  }
  // contiguity by BFS inside each territory; graph components by BFS over all
  r.pieces.assign(p, 0U);
  for (std::size_t t = 0; t < p; ++t) r.pieces[t] = count[t] > 0 ? 1U : 0U;
  if (graph != nullptr) {
    std::fill(r.pieces.begin(), r.pieces.end(), 0U);
    std::vector<std::uint8_t> seen(n, 0);
    std::vector<account_index> stack;
    auto flood = [&](std::size_t s, bool same_territory) {
      stack.assign(1, static_cast<account_index>(s));
      seen[s] = 1;
      while (!stack.empty()) {
        const account_index v = stack.back();
        stack.pop_back();
        for (account_index w : graph->neighbors(v)) {
          if (seen[w] || (same_territory && pl[w] != pl[static_cast<account_index>(s)])) continue;
          seen[w] = 1;
          stack.push_back(w);
        }
      }
    };
    r.graph_components = 0;
    for (std::size_t s = 0; s < n; ++s) {
      if (!seen[s]) {
        ++r.graph_components;
        flood(s, false);
      }
    }
    std::fill(seen.begin(), seen.end(), 0);
    for (std::size_t s = 0; s < n; ++s) {
      const auto t = pl[static_cast<account_index>(s)];
      if (seen[s] || t == no_territory || t >= p) continue;
      ++r.pieces[t];
      flood(s, true);
    }
    for (std::size_t t = 0; t < p; ++t) {
      if (r.pieces[t] > 1) {
        r.contiguous = false;
        if (require_contiguous && r.graph_components == 1) {
          fail("territory " + std::to_string(t) + " has " + std::to_string(r.pieces[t]) + " pieces in a connected graph");
        }
      }
    }
  }
  return r;
}

/// Checks a result object with members `assignment` (plan), `sums` (p×m), `contiguous` (p),
/// `feasible()` and, if present, `max_deviation` (p): the plan passes check_plan, the
/// reported sums and contiguity equal the recomputed ones, and feasible() agrees.
template <class Result>
plan_check check_result(const Eigen::MatrixXd& activities, const adjacency* graph, const Result& res, std::size_t p,
                        std::span<const double> tolerance = {}) {
  plan_check r = check_plan(activities, graph, res.assignment, p, tolerance);
  auto fail = [&](std::string s) { r.failures.push_back(std::move(s)); };
  if (static_cast<std::size_t>(res.sums.rows()) != p || res.sums.cols() != activities.cols()) {
    fail("reported sums have the wrong shape");
  } else if (r.sums.size() == res.sums.size()) {
    const double scale = std::max(1.0, r.sums.cwiseAbs().maxCoeff());
    if ((r.sums - res.sums).cwiseAbs().maxCoeff() > 1e-9 * scale) fail("reported sums differ from recomputed sums");
  }
  if (res.contiguous.size() != p) {
    fail("reported contiguity has the wrong size");
  } else if (graph != nullptr) {
    for (std::size_t t = 0; t < p && t < r.pieces.size(); ++t) {
      if ((res.contiguous[t] != 0) != (r.pieces[t] <= 1)) fail("reported contiguity of territory " + std::to_string(t) + " is wrong");
    }
  }
  if (res.feasible() != r.feasible()) {
    fail(std::string("result says feasible() = ") + (res.feasible() ? "true" : "false") + ", checker says " +
         (r.feasible() ? "true" : "false"));
  }
  return r;
}

}  // namespace territory::test
