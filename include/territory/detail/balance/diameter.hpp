#pragma once

// Diameter (max pairwise distance) of a point set: convex hull (Andrew's monotone chain) in the raw
// coordinates, then all hull pairs under the distance policy. Exact for planar Euclidean; for other
// policies (haversine on lat/lon) the hull is taken in the (lat, lon) plane, which is exact for
// territories that do not wrap the antimeridian or a pole and a close approximation otherwise.

#include <algorithm>
#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"

namespace territory::detail::balance {

struct hull_point {
  double x = 0, y = 0;
  account_index a = 0;
  friend bool operator<(const hull_point& p, const hull_point& q) {
    if (p.x != q.x) return p.x < q.x;
    if (p.y != q.y) return p.y < q.y;
    return p.a < q.a;
  }
};

/// Convex hull, counter-clockwise; collinear and duplicate points dropped. Sorts `pts`. O(k log k).
inline void convex_hull(std::vector<hull_point>& pts, std::vector<hull_point>& hull) {
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end(),
                        [](const hull_point& p, const hull_point& q) { return p.x == q.x && p.y == q.y; }),
            pts.end());
  hull.clear();
  const std::size_t k = pts.size();
  if (k <= 2) {
    hull = pts;
    return;
  }
  hull.resize(2 * k);
  auto cross = [](const hull_point& o, const hull_point& a, const hull_point& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::size_t h = 0;
  for (std::size_t i = 0; i < k; ++i) {
    while (h >= 2 && cross(hull[h - 2], hull[h - 1], pts[i]) <= 0) --h;
    hull[h++] = pts[i];
  }
  for (std::size_t i = k - 1, t = h + 1; i > 0; --i) {
    while (h >= t && cross(hull[h - 2], hull[h - 1], pts[i - 1]) <= 0) --h;
    hull[h++] = pts[i - 1];
  }
  hull.resize(h - 1);
}

/// Convex hull of points already sorted by (x, y), skipping account `skip`. O(k), no allocation
/// beyond `hull`'s capacity.
inline void convex_hull_sorted(const std::vector<hull_point>& pts, account_index skip, std::vector<hull_point>& hull) {
  hull.clear();
  std::size_t k = 0;
  for (const auto& q : pts) k += q.a != skip ? 1 : 0;
  hull.resize(2 * k + 2);
  auto cross = [](const hull_point& o, const hull_point& a, const hull_point& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::size_t h = 0;
  for (const auto& q : pts) {
    if (q.a == skip) continue;
    while (h >= 2 && cross(hull[h - 2], hull[h - 1], q) <= 0) --h;
    if (h == 1 && hull[0].x == q.x && hull[0].y == q.y) continue;
    hull[h++] = q;
  }
  // h == 2 is not "collinear": the lower chain of a set can be a single edge while the upper chain is not
  // (e.g. a rectangle of grid points whose right column is one point); only h <= 1 ends here
  if (h <= 1) {
    hull.resize(h);
    return;
  }
  const std::size_t t = h + 1;
  for (std::size_t i = pts.size(); i-- > 0;) {
    const auto& q = pts[i];
    if (q.a == skip) continue;
    while (h >= t && cross(hull[h - 2], hull[h - 1], q) <= 0) --h;
    hull[h++] = q;
  }
  hull.resize(h - 1);
}

/// Largest squared Euclidean distance between two vertices of a convex polygon `h` (counter-clockwise,
/// no duplicate or collinear vertices, as convex_hull and convex_hull_sorted return it) by rotating
/// calipers; `*ia`, `*ib` (if given) receive the positions of the pair. O(h) instead of O(h^2).
inline double hull_diameter2_calipers(const std::vector<hull_point>& h, std::size_t* ia = nullptr,
                                      std::size_t* ib = nullptr) {
  const std::size_t k = h.size();
  auto d2 = [&](std::size_t i, std::size_t j) {
    const double dx = h[i].x - h[j].x, dy = h[i].y - h[j].y;
    return dx * dx + dy * dy;
  };
  std::size_t bi = 0, bj = 0;
  double best = 0.0;
  if (k == 2) {
    best = d2(0, 1);
    bj = 1;
  } else if (k > 2) {
    auto area2 = [&](std::size_t a, std::size_t b, std::size_t c) {
      return (h[b].x - h[a].x) * (h[c].y - h[a].y) - (h[b].y - h[a].y) * (h[c].x - h[a].x);
    };
    std::size_t j = 1;
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t ni = (i + 1) % k;
      // the vertex farthest from edge (i, ni): advance while the triangle grows
      for (std::size_t guard = 0; guard < k && area2(i, ni, (j + 1) % k) > area2(i, ni, j); ++guard) j = (j + 1) % k;
      for (const std::size_t a : {i, ni}) {
        const double d = d2(a, j);
        if (d > best) {
          best = d;
          bi = a;
          bj = j;
        }
      }
    }
  }
  if (ia != nullptr) *ia = bi;
  if (ib != nullptr) *ib = bj;
  return best;
}

struct diameter_info {
  double value = 0.0;
  account_index a = 0, b = 0;  // the two accounts realising it (a == b for a single account)
};

/// Diameter of the points `pts` (reordered: the hull is built from them) under `distance`: the
/// farthest pair of hull vertices. `hull` is scratch. Complexity: O(k log k + h^2), h = hull size.
template <class Distance>
diameter_info diameter_of_points(std::vector<hull_point>& pts, const Distance& distance, std::vector<hull_point>& hull) {
  diameter_info out;
  if (pts.empty()) return out;
  out.a = out.b = pts.front().a;
  if (pts.size() < 2) return out;
  convex_hull(pts, hull);
  for (std::size_t i = 0; i < hull.size(); ++i) {
    for (std::size_t j = i + 1; j < hull.size(); ++j) {
      const double d = distance(point{hull[i].x, hull[i].y}, point{hull[j].x, hull[j].y});
      if (d > out.value) out = {d, hull[i].a, hull[j].a};
    }
  }
  return out;
}

/// Diameter of the accounts `members` under `distance`. Scratch vectors avoid allocations.
/// Complexity: O(k log k + h^2), h = hull size.
template <class Distance>
diameter_info diameter_of(const std::vector<account_index>& members, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                          const Distance& distance, std::vector<hull_point>& pts, std::vector<hull_point>& hull) {
  pts.clear();
  for (auto a : members) pts.push_back({xy(a, 0), xy(a, 1), a});
  return diameter_of_points(pts, distance, hull);
}

}  // namespace territory::detail::balance
