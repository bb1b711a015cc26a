#pragma once

// Balancing flows on the territory quotient graph (diffusion load balancing, Hu & Blake 1999):
// for loads b_t (territory load minus its target), the flow of least 2-norm that evens them out
// is f_st = w_st (x_s - x_t) with L x = b, L the weighted Laplacian of the quotient graph (w_st =
// number of graph edges between territories s and t). The searcher moves accounts along these
// flows (searcher::flow_balance), so an imbalance crosses the whole map in one round instead of
// spreading one territory per sweep.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "territory/detail/graph/union_find.hpp"

namespace territory::detail::balance {

struct quotient_edge {
  std::uint32_t s = 0, t = 0;  // s < t
  double w = 0.0;              // number of graph edges between the two territories
};

/// Solves L x = b on the quotient graph of `p` territories (edges `e`, each pair once) by
/// Jacobi-preconditioned conjugate gradients. b is centred per connected component of the
/// quotient graph first (a component cannot change its total load), so the system is consistent.
/// Returns x (mean zero per component). Complexity O(iters · (p + |e|)), iters ≤ `max_iter`.
/// Throws nothing (std::bad_alloc aside).
inline std::vector<double> solve_quotient_laplacian(std::size_t p, const std::vector<quotient_edge>& e,
                                                    std::vector<double> b, std::size_t max_iter = 1000,
                                                    double rel_tol = 1e-8) {
  std::vector<double> deg(p, 0.0);
  for (const auto& q : e) {
    deg[q.s] += q.w;
    deg[q.t] += q.w;
  }
  // components of the quotient graph (union-find) and per-component centring of b
  union_find sets(p);
  for (const auto& q : e) sets.unite(q.s, q.t);
  std::vector<double> csum(p, 0.0), ccnt(p, 0.0);
  for (std::size_t i = 0; i < p; ++i) {
    const auto r = sets.find(static_cast<std::uint32_t>(i));
    csum[r] += b[i];
    ccnt[r] += 1.0;
  }
  for (std::size_t i = 0; i < p; ++i) {
    const auto r = sets.find(static_cast<std::uint32_t>(i));
    b[i] -= csum[r] / ccnt[r];
    if (deg[i] == 0.0) b[i] = 0.0;  // an isolated territory exchanges nothing
  }
  auto mul = [&](const std::vector<double>& x, std::vector<double>& y) {
    for (std::size_t i = 0; i < p; ++i) y[i] = deg[i] * x[i];
    for (const auto& q : e) {
      y[q.s] -= q.w * x[q.t];
      y[q.t] -= q.w * x[q.s];
    }
  };
  std::vector<double> x(p, 0.0), r = b, z(p), d(p), ad(p);
  auto precond = [&](const std::vector<double>& in, std::vector<double>& out) {
    for (std::size_t i = 0; i < p; ++i) out[i] = deg[i] > 0.0 ? in[i] / deg[i] : 0.0;
  };
  double bn = 0.0;
  for (double v : b) bn += v * v;
  if (bn == 0.0) return x;
  precond(r, z);
  d = z;
  double rz = 0.0;
  for (std::size_t i = 0; i < p; ++i) rz += r[i] * z[i];
  for (std::size_t it = 0; it < max_iter; ++it) {
    mul(d, ad);
    double dad = 0.0;
    for (std::size_t i = 0; i < p; ++i) dad += d[i] * ad[i];
    if (dad <= 0.0) break;
    const double alpha = rz / dad;
    double rn = 0.0;
    for (std::size_t i = 0; i < p; ++i) {
      x[i] += alpha * d[i];
      r[i] -= alpha * ad[i];
      rn += r[i] * r[i];
    }
    if (rn <= rel_tol * rel_tol * bn) break;
    precond(r, z);
    double rz2 = 0.0;
    for (std::size_t i = 0; i < p; ++i) rz2 += r[i] * z[i];
    const double beta = rz2 / rz;
    rz = rz2;
    for (std::size_t i = 0; i < p; ++i) d[i] = z[i] + beta * d[i];
  }
  return x;
}

}  // namespace territory::detail::balance
