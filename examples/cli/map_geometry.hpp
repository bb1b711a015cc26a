#pragma once

// territory-cli maps: the projection and the colouring behind plan --svg / --html.
// Header-only so that the CLI tests can check them directly (tests/cli/map_test.cpp).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace territory_cli {

/// Albers equal-area conic projection on a sphere (Snyder, Map Projections: A Working Manual,
/// USGS PP 1395, eq. 14-1 to 14-4). forward(lon, lat) gives (x, y) in the unit of `radius`
/// (km by default), x east, y north, (0, 0) at (lon0, lat0). Areas are preserved exactly;
/// shapes are true along the two standard parallels. Complexity O(1) per point; never throws.
/// When the standard parallels are symmetric about the equator (n = 0) the cone becomes a
/// cylinder: the Lambert cylindrical equal-area projection is used instead.
struct albers {
  double lon0 = -96.0;  ///< central meridian, degrees
  double n = 0.0;
  double c = 0.0;
  double rho0 = 0.0;
  double radius = 6371.0088;  ///< mean Earth radius, km
  double cyl_scale = 1.0;     ///< cylindrical fallback: cos of the standard parallel

  static constexpr double deg = 0.017453292519943295;

  albers(double lat1, double lat2, double lat0, double central_lon, double r = 6371.0088)
      : lon0(central_lon), radius(r) {
    const double s1 = std::sin(lat1 * deg), s2 = std::sin(lat2 * deg);
    n = (s1 + s2) / 2.0;
    if (std::abs(n) < 1e-9) {
      n = 0.0;
      cyl_scale = std::cos(lat1 * deg);
      rho0 = radius * std::sin(lat0 * deg) / cyl_scale;
      return;
    }
    c = std::cos(lat1 * deg) * std::cos(lat1 * deg) + 2.0 * n * s1;
    rho0 = radius / n * std::sqrt(std::max(0.0, c - 2.0 * n * std::sin(lat0 * deg)));
  }

  /// The usual projection of the conterminous United States (USGS): standard parallels
  /// 29.5° N and 45.5° N, origin 37.5° N 96° W.
  [[nodiscard]] static albers conus() { return {29.5, 45.5, 37.5, -96.0}; }

  /// A projection fitted to data spanning [lat_min, lat_max] around `central_lon`: standard
  /// parallels at 1/6 and 5/6 of the latitude range (Deetz and Adams' rule), origin at its middle.
  [[nodiscard]] static albers fit(double lat_min, double lat_max, double central_lon) {
    const double r = lat_max - lat_min;
    return {lat_min + r / 6.0, lat_max - r / 6.0, (lat_min + lat_max) / 2.0, central_lon};
  }

  /// Longitude difference from the central meridian, in (-180, 180].
  [[nodiscard]] double dlon(double lon) const {
    double d = lon - lon0;
    while (d > 180.0) d -= 360.0;
    while (d <= -180.0) d += 360.0;
    return d;
  }

  [[nodiscard]] std::array<double, 2> forward(double lon, double lat) const {
    if (n == 0.0) return {radius * dlon(lon) * deg * cyl_scale, radius * std::sin(lat * deg) / cyl_scale - rho0};
    const double rho = radius / n * std::sqrt(std::max(0.0, c - 2.0 * n * std::sin(lat * deg)));
    const double theta = n * dlon(lon) * deg;
    return {rho * std::sin(theta), rho0 - rho * std::cos(theta)};
  }
};

/// Colours the vertices of a graph (adjacency lists, symmetric, no self loops) so that
/// neighbours always differ: DSATUR (Brélaz 1979): repeatedly colour the uncoloured vertex
/// whose neighbours use the most distinct colours (ties: more uncoloured neighbours, then the
/// smaller index). Among the colours no neighbour uses, it takes one that no vertex two steps
/// away uses either when `spread` is set and one of the first `preferred` colours allows it,
/// then the least used, then the smallest; otherwise the smallest free colour. Returns a colour
/// index per vertex; it can exceed `preferred` - 1 only when the graph needs more colours.
/// Deterministic. Complexity O(V² + E·deg) (territory graphs are small). Never throws except bad_alloc.
[[nodiscard]] inline std::vector<int> colour_graph(const std::vector<std::vector<std::uint32_t>>& adj,
                                                   std::size_t preferred, bool spread = true) {
  const std::size_t v = adj.size();
  std::vector<int> colour(v, -1);
  std::vector<std::size_t> uses;
  for (std::size_t step = 0; step < v; ++step) {
    // the most saturated uncoloured vertex
    std::size_t best = v, best_sat = 0, best_deg = 0;
    for (std::size_t u = 0; u < v; ++u) {
      if (colour[u] >= 0) continue;
      std::vector<int> seen;
      std::size_t deg = 0;
      for (auto w : adj[u]) {
        if (colour[w] >= 0)
          seen.push_back(colour[w]);
        else
          ++deg;
      }
      std::sort(seen.begin(), seen.end());
      const auto sat = static_cast<std::size_t>(std::unique(seen.begin(), seen.end()) - seen.begin());
      if (best == v || sat > best_sat || (sat == best_sat && deg > best_deg)) {
        best = u;
        best_sat = sat;
        best_deg = deg;
      }
    }
    // 2 = a neighbour has it, 1 = a vertex two steps away has it
    std::vector<int> near(std::max(preferred, uses.size()) + 1, 0);
    for (auto w : adj[best]) {
      if (colour[w] >= 0) near[static_cast<std::size_t>(colour[w])] = 2;
    }
    if (spread) {
      for (auto w : adj[best]) {
        for (auto x : adj[w]) {
          if (x != best && colour[x] >= 0 && near[static_cast<std::size_t>(colour[x])] == 0)
            near[static_cast<std::size_t>(colour[x])] = 1;
        }
      }
    }
    std::size_t pick = near.size();
    if (spread) {
      for (std::size_t k = 0; k < preferred; ++k) {
        if (near[k] == 2) continue;
        const std::size_t used = k < uses.size() ? uses[k] : 0;
        const std::size_t pick_used = pick < uses.size() ? uses[pick] : 0;
        if (pick == near.size() || near[k] < near[pick] || (near[k] == near[pick] && used < pick_used)) pick = k;
      }
    }
    if (pick == near.size()) {
      pick = 0;
      while (near[pick] == 2) ++pick;
    }
    colour[best] = static_cast<int>(pick);
    if (uses.size() <= pick) uses.resize(pick + 1, 0);
    ++uses[pick];
  }
  return colour;
}

}  // namespace territory_cli
