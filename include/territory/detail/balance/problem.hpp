#pragma once

// The normalised problem the engine works on: activities divided by their mean per territory
// (so every balanced column has target 1 per territory), row-major for O(m) move evaluation.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail::balance {

struct problem {
  std::size_t n = 0, m = 0, p = 0;
  std::vector<double> w;      // n*m row-major, w[a*m+j] = activity / mean_j (0 for all-zero columns)
  std::vector<double> tau;    // m (all-zero columns get a huge tolerance: always satisfied)
  std::vector<point> xy;      // n
  const adjacency* graph = nullptr;  // never null inside the engine (a kNN graph stands in)
  std::vector<territory_index> comp_territories;  // per graph component
  std::vector<std::uint32_t> comp_label;          // per account

  [[nodiscard]] const double* row(account_index a) const noexcept { return w.data() + static_cast<std::size_t>(a) * m; }
};

inline problem make_problem(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                            const std::vector<double>& tau, std::size_t p) {
  problem pr;
  pr.n = static_cast<std::size_t>(acts.rows());
  pr.m = static_cast<std::size_t>(acts.cols());
  pr.p = p;
  pr.tau = tau;
  pr.w.assign(pr.n * pr.m, 0.0);
  for (std::size_t j = 0; j < pr.m; ++j) {
    const double total = acts.col(static_cast<Eigen::Index>(j)).sum();
    if (total <= 0.0) {
      pr.tau[j] = 1e300;
      continue;
    }
    const double inv = static_cast<double>(p) / total;
    for (std::size_t a = 0; a < pr.n; ++a) {
      pr.w[a * pr.m + j] = acts(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j)) * inv;
    }
  }
  pr.xy.resize(pr.n);
  for (std::size_t a = 0; a < pr.n; ++a) {
    pr.xy[a] = {xy(static_cast<Eigen::Index>(a), 0), xy(static_cast<Eigen::Index>(a), 1)};
  }
  return pr;
}

}  // namespace territory::detail::balance
