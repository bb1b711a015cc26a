#pragma once

/// @file spatial_index.hpp
/// `territory::spatial_index`: a static k-d tree over account coordinates for
/// nearest-neighbour and radius queries, planar or WGS84.

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/geo/distance_policy.hpp"
#include "territory/geo/neighbor.hpp"

namespace territory {

namespace detail {
/// Accepts every account (default filter of spatial_index queries).
struct keep_all {
  constexpr bool operator()(account_index) const noexcept { return true; }
};
}  // namespace detail

/// Static k-d tree over n points for k-nearest-neighbour and radius queries.
///
/// Planar data (`coordinate_system::planar`, (x, y) in km) is indexed as is and distances
/// are Euclidean. WGS84 data ((lat, lon) in degrees) is indexed as points on a sphere of
/// `radius_km` in 3-D; the chord length is monotone in the great-circle distance, so
/// neighbours are exactly those of `haversine` (antimeridian and poles included) and the
/// returned distances are great-circle km (equal to `haversine{radius_km}` up to rounding).
///
/// Results are sorted by (distance, index): ties go to the smaller index, independently of
/// the tree layout.
///
/// Complexity: build O(n log n) time, O(n) memory; k-NN query O(k log k + log n) expected on
/// well-spread data; radius query O(log n + answers) expected.
/// Determinism: results depend only on the coordinates and the query.
class spatial_index {
 public:
  spatial_index() = default;

  /// Builds the index.
  /// @param coordinates n×2, one row per account (copied; the index owns its data).
  /// @param system `planar` ((x, y) in km, default) or `wgs84` ((lat, lon) in degrees).
  /// @param radius_km sphere radius in km for WGS84 (default: the mean Earth radius).
  /// Throws: invalid_input{errc::non_finite} (field "coordinates", index = row) for a NaN or
  ///         infinite coordinate; invalid_input{errc::out_of_range} (field "coordinates",
  ///         index = row) for a WGS84 latitude outside [−90, 90]; invalid_input{errc::out_of_range}
  ///         (field "radius_km") for a radius that is not finite and > 0.
  explicit spatial_index(const Eigen::Ref<const Eigen::MatrixX2d>& coordinates,
                         coordinate_system system = coordinate_system::planar, double radius_km = 6371.0088)
      : system_(system), radius_km_(radius_km) {
    if (!(std::isfinite(radius_km) && radius_km > 0)) {
      throw invalid_input(
          errc::out_of_range, "radius_km",
          "spatial_index(): radius_km = " + std::to_string(radius_km) + ", expected a finite value > 0");
    }
    const auto n = static_cast<std::size_t>(coordinates.rows());
    if (n > max_accounts) {
      throw invalid_input(errc::out_of_range, "coordinates",
                          "spatial_index(): more points than account_index can address");
    }
    pts_.resize(n);
    order_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const point p{coordinates(static_cast<Eigen::Index>(i), 0), coordinates(static_cast<Eigen::Index>(i), 1)};
      if (!std::isfinite(p[0]) || !std::isfinite(p[1])) {
        throw invalid_input(errc::non_finite, "coordinates",
                            "spatial_index(): coordinates of point " + std::to_string(i) + " are not finite", i);
      }
      if (system == coordinate_system::wgs84 && (p[0] < -90.0 || p[0] > 90.0)) {
        throw invalid_input(errc::out_of_range, "coordinates",
                            "spatial_index(): latitude of point " + std::to_string(i) + " is " + std::to_string(p[0]) +
                                ", expected a value in [-90, 90]",
                            i);
      }
      pts_[i] = embed(p);
      order_[i] = static_cast<account_index>(i);
    }
    if (n > 0) {
      nodes_.reserve(2 * (n / leaf_size + 1));
      build(0, n);
    }
  }

  /// Number of indexed points.
  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }
  [[nodiscard]] bool empty() const noexcept { return order_.empty(); }
  [[nodiscard]] coordinate_system system() const noexcept { return system_; }

  /// The k points nearest to q (fewer if size() < k), sorted by (distance, index).
  /// Throws invalid_input{errc::non_finite} (field "query") if q is not finite.
  [[nodiscard]] std::vector<neighbor> nearest(const point& q, std::size_t k) const {
    return nearest_if(q, k, detail::keep_all{});
  }

  /// The k points nearest to q among those with `keep(index)` true, sorted by (distance, index).
  template <class Keep>
  [[nodiscard]] std::vector<neighbor> nearest_if(const point& q, std::size_t k, Keep keep) const {
    std::vector<neighbor> out;
    nearest_into(q, k, out, keep);
    return out;
  }

  /// As `nearest_if`, into `out` (cleared first), reusing its storage: no allocation once
  /// `out` has room for k + 1 entries. For tight loops over many queries.
  template <class Keep = detail::keep_all>
  void nearest_into(const point& q, std::size_t k, std::vector<neighbor>& out, Keep keep = {}) const {
    check_query(q);
    out.clear();
    if (k == 0 || empty()) return;
    const auto all_nodes = [](std::uint32_t) { return false; };
    knn(0, embed(q), k, keep, all_nodes, out);  // max-heap on (squared distance, index)
    std::sort_heap(out.begin(), out.end(), heap_less);
    for (auto& x : out) x.distance = to_distance(x.distance);
  }

  /// All points within `radius` (same unit as the returned distances) of q, sorted by
  /// (distance, index). Throws invalid_input{errc::out_of_range} (field "radius") if
  /// radius is negative or NaN.
  [[nodiscard]] std::vector<neighbor> within(const point& q, double radius) const {
    check_query(q);
    if (!(radius >= 0)) {
      throw invalid_input(errc::out_of_range, "radius",
                          "spatial_index::within(): radius = " + std::to_string(radius) + ", expected >= 0");
    }
    std::vector<cand> found;
    if (empty()) return {};
    double r2;
    if (system_ == coordinate_system::wgs84) {
      const double half = std::min(radius / (2.0 * radius_km_), 1.5707963267948966);
      const double chord = 2.0 * radius_km_ * std::sin(half);
      r2 = chord * chord * (1 + 1e-12) + 1e-18;
    } else {
      r2 = radius * radius;
    }
    range(0, embed(q), r2, found);
    std::sort(found.begin(), found.end());
    std::vector<neighbor> out;
    out.reserve(found.size());
    for (const auto& c : found) {
      const double d = to_distance(c.d2);
      if (d <= radius) out.push_back({c.index, d});
    }
    return out;
  }

  /// Accounts partitioned into groups (e.g. components, territories), prepared for
  /// `nearest_in_other_group`: subtrees whose accounts all share one group are skipped whole.
  class grouping {
   public:
    grouping() = default;

   private:
    friend class spatial_index;
    std::span<const std::uint32_t> group_;
    std::vector<std::uint32_t> node_group_;  // group shared by a whole subtree, or `mixed`
  };

  /// Prepares a `grouping` from the group of every account (one entry per indexed point;
  /// the span must outlive the grouping; labels must be < 0xFFFFFFFF, which marks mixed subtrees).
  /// O(n).
  /// Throws invalid_input{errc::size_mismatch} (field "group") if group.size() != size().
  [[nodiscard]] grouping group_by(std::span<const std::uint32_t> group) const {
    if (group.size() != size()) {
      throw invalid_input(errc::size_mismatch, "group",
                          "spatial_index::group_by(): group has " + std::to_string(group.size()) +
                              " entries, expected " + std::to_string(size()) + " (one per point)");
    }
    grouping g;
    g.group_ = group;
    g.node_group_.assign(nodes_.size(), mixed);
    for (std::size_t id = nodes_.size(); id-- > 0;) {  // children have larger ids than parents
      const node& nd = nodes_[id];
      if (nd.left == 0) {
        std::uint32_t v = group[order_[nd.begin]];
        for (std::size_t i = nd.begin + 1; i < nd.end && v != mixed; ++i) {
          if (group[order_[i]] != v) v = mixed;
        }
        g.node_group_[id] = v;
      } else {
        const auto l = g.node_group_[nd.left], r = g.node_group_[nd.right];
        g.node_group_[id] = l == r ? l : mixed;
      }
    }
    return g;
  }

  /// The account nearest to q whose group differs from `own` (ties: smaller index), if any
  /// within `max_distance` (inclusive; same unit as the returned distances).
  /// Cost: about that of a 1-NN query when groups are spatially compact; a tight
  /// `max_distance` prunes most of the tree.
  [[nodiscard]] std::optional<neighbor> nearest_in_other_group(
      const point& q, const grouping& g, std::uint32_t own,
      double max_distance = std::numeric_limits<double>::infinity()) const {
    check_query(q);
    if (empty()) return std::nullopt;
    double best2 = std::numeric_limits<double>::infinity();
    if (max_distance < std::numeric_limits<double>::infinity()) {
      double lim = max_distance;
      if (system_ == coordinate_system::wgs84) {
        lim = 2.0 * radius_km_ * std::sin(std::min(max_distance / (2.0 * radius_km_), 1.5707963267948966));
      }
      best2 = lim * lim * (1 + 1e-12);
    }
    account_index best = std::numeric_limits<account_index>::max();
    bool found = false;
    nn_group(0, embed(q), g, own, best2, best, found);
    if (!found) return std::nullopt;
    return neighbor{best, to_distance(best2)};
  }

 private:
  static constexpr std::uint32_t mixed = 0xFFFFFFFFU;
  static constexpr std::size_t leaf_size = 8;
  using vec3 = std::array<double, 3>;
  struct node {
    std::size_t begin, end;
    std::uint32_t left = 0, right = 0;  // 0 = leaf (the root is never a child)
    std::uint8_t axis = 0;
    double split = 0.0;
  };
  struct item {
    vec3 p;
    account_index index;
  };
  struct cand {
    double d2;
    account_index index;
    friend bool operator<(const cand& a, const cand& b) noexcept {
      return a.d2 < b.d2 || (a.d2 == b.d2 && a.index < b.index);
    }
  };

  vec3 embed(const point& p) const noexcept {
    if (system_ == coordinate_system::planar) return {p[0], p[1], 0.0};
    constexpr double deg = 0.017453292519943295;
    const double lat = p[0] * deg;
    const double lon = p[1] * deg;
    const double c = std::cos(lat);
    return {radius_km_ * c * std::cos(lon), radius_km_ * c * std::sin(lon), radius_km_ * std::sin(lat)};
  }

  double to_distance(double d2) const noexcept {
    const double c = std::sqrt(d2);
    if (system_ == coordinate_system::planar) return c;
    return 2.0 * radius_km_ * std::asin(std::min(1.0, c / (2.0 * radius_km_)));
  }

  static void check_query(const point& q) {
    if (!std::isfinite(q[0]) || !std::isfinite(q[1])) {
      throw invalid_input(errc::non_finite, "query", "spatial_index: query point is not finite");
    }
  }

  static double dist2(const vec3& a, const vec3& b) noexcept {
    const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
  }

  std::uint32_t build(std::size_t begin, std::size_t end) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back({begin, end});
    if (end - begin <= leaf_size) return id;
    vec3 lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t d = 0; d < 3; ++d) {
        lo[d] = std::min(lo[d], pts_[i][d]);
        hi[d] = std::max(hi[d], pts_[i][d]);
      }
    }
    std::uint8_t axis = 0;
    for (std::uint8_t d = 1; d < 3; ++d) {
      if (hi[d] - lo[d] > hi[axis] - lo[axis]) axis = d;
    }
    const std::size_t mid = begin + (end - begin) / 2;
    std::vector<item> tmp(end - begin);
    for (std::size_t i = begin; i < end; ++i) tmp[i - begin] = {pts_[i], order_[i]};
    std::nth_element(tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(mid - begin), tmp.end(),
                     [axis](const item& a, const item& b) {
                       return a.p[axis] < b.p[axis] || (a.p[axis] == b.p[axis] && a.index < b.index);
                     });
    for (std::size_t i = begin; i < end; ++i) {
      pts_[i] = tmp[i - begin].p;
      order_[i] = tmp[i - begin].index;
    }
    const double split = pts_[mid][axis];
    const auto l = build(begin, mid);
    const auto r = build(mid, end);
    nodes_[id].axis = axis;
    nodes_[id].split = split;
    nodes_[id].left = l;
    nodes_[id].right = r;
    return id;
  }

  static bool heap_less(const neighbor& a, const neighbor& b) noexcept {
    return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
  }

  // k-NN search; heap entries hold squared distances
  template <class Keep, class SkipNode>
  void knn(std::uint32_t id, const vec3& q, std::size_t k, Keep& keep, const SkipNode& skip,
           std::vector<neighbor>& heap) const {
    if (skip(id)) return;
    const node& nd = nodes_[id];
    if (nd.left == 0) {
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const neighbor c{order_[i], dist2(pts_[i], q)};
        if (heap.size() == k && !heap_less(c, heap.front())) continue;
        if (!keep(c.index)) continue;
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), heap_less);
        if (heap.size() > k) {
          std::pop_heap(heap.begin(), heap.end(), heap_less);
          heap.pop_back();
        }
      }
      return;
    }
    const double diff = q[nd.axis] - nd.split;
    const std::uint32_t near = diff < 0 ? nd.left : nd.right;
    const std::uint32_t far = diff < 0 ? nd.right : nd.left;
    knn(near, q, k, keep, skip, heap);
    if (heap.size() < k || diff * diff <= heap.front().distance) knn(far, q, k, keep, skip, heap);
  }

  void nn_group(std::uint32_t id, const vec3& q, const grouping& g, std::uint32_t own, double& best2,
                account_index& best, bool& found) const {
    if (g.node_group_[id] == own) return;
    const node& nd = nodes_[id];
    if (nd.left == 0) {
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const double d2 = dist2(pts_[i], q);
        const account_index a = order_[i];
        if ((d2 < best2 || (d2 == best2 && a < best)) && g.group_[a] != own) {
          best2 = d2;
          best = a;
          found = true;
        }
      }
      return;
    }
    const double diff = q[nd.axis] - nd.split;
    const std::uint32_t near = diff < 0 ? nd.left : nd.right;
    const std::uint32_t far = diff < 0 ? nd.right : nd.left;
    nn_group(near, q, g, own, best2, best, found);
    if (diff * diff <= best2) nn_group(far, q, g, own, best2, best, found);
  }

  void range(std::uint32_t id, const vec3& q, double r2, std::vector<cand>& out) const {
    const node& nd = nodes_[id];
    if (nd.left == 0) {
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const double d2 = dist2(pts_[i], q);
        if (d2 <= r2) out.push_back({d2, order_[i]});
      }
      return;
    }
    const double diff = q[nd.axis] - nd.split;
    if (diff < 0 || diff * diff <= r2) range(nd.left, q, r2, out);
    if (diff >= 0 || diff * diff <= r2) range(nd.right, q, r2, out);
  }

  coordinate_system system_ = coordinate_system::planar;
  double radius_km_ = 6371.0088;
  std::vector<vec3> pts_;             // in tree order
  std::vector<account_index> order_;  // tree position -> account index
  std::vector<node> nodes_;
};

}  // namespace territory
