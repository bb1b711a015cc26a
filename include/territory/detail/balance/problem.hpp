#pragma once

// The normalised problem the engine works on: the balanced activity columns divided by their mean
// per territory (so every column has target 1 per territory), row-major for O(m) move evaluation.
// A column whose total is 0 (all accounts 0) has mean 0: it is always satisfied and is left out of
// the problem (`balanced[j] == 0`); `m` counts the balanced columns only.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

struct problem {
  std::size_t n = 0, m = 0, p = 0;  // m = balanced columns
  std::vector<double> w;            // n*m row-major, w[a*m+k] = activity of column column[k] / its mean
  std::vector<double> tau;          // m, the tolerance of each balanced column
  std::vector<std::size_t> column;  // m, the input column of each balanced column
  std::vector<char> balanced;       // per input column: 1 = balanced (positive total), 0 = all zero, left out
  std::vector<point> xy;            // n
  const adjacency* graph = nullptr;  // never null inside the engine (a kNN graph stands in)
  std::vector<territory_index> comp_territories;  // per graph component
  std::vector<std::uint32_t> comp_label;          // per account

  [[nodiscard]] const double* row(account_index a) const noexcept { return w.data() + static_cast<std::size_t>(a) * m; }
};

/// `tau` has one value per input column. Complexity O(n·m).
inline problem make_problem(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                            const std::vector<double>& tau, std::size_t p) {
  problem pr;
  pr.n = static_cast<std::size_t>(acts.rows());
  pr.p = p;
  const auto cols = static_cast<std::size_t>(acts.cols());
  pr.balanced.assign(cols, 0);
  std::vector<double> inv;
  for (std::size_t j = 0; j < cols; ++j) {
    const double total = acts.col(static_cast<Eigen::Index>(j)).sum();
    if (total <= 0.0) continue;
    pr.balanced[j] = 1;
    pr.column.push_back(j);
    pr.tau.push_back(tau[j]);
    inv.push_back(static_cast<double>(p) / total);
  }
  pr.m = pr.column.size();
  pr.w.assign(pr.n * pr.m, 0.0);
  for (std::size_t k = 0; k < pr.m; ++k) {
    const auto j = static_cast<Eigen::Index>(pr.column[k]);
    for (std::size_t a = 0; a < pr.n; ++a) pr.w[a * pr.m + k] = acts(static_cast<Eigen::Index>(a), j) * inv[k];
  }
  pr.xy.resize(pr.n);
  for (std::size_t a = 0; a < pr.n; ++a) {
    pr.xy[a] = {xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1)};
  }
  return pr;
}

}  // namespace territory::detail::balance
