#include "plan_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <territory/geo/spatial_index.hpp>

#include "map_geometry.hpp"

namespace territory_cli {

namespace {

// Tableau 10: a qualitative palette designed so that its colours are told apart easily.
constexpr std::array<const char*, 10> palette{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                              "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

using xy = std::array<double, 2>;

std::string num(double x, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s == "-0.0" || s == "-0") s.erase(0, 1);
  return s;
}

std::string compact(double x) {
  const double a = std::abs(x);
  char buf[32];
  if (a >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2fG", x / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2fM", x / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%.1fk", x / 1e3);
  else if (a == std::floor(a) || a >= 100)
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else
    std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}


/// A colour for index k beyond the palette (only if a graph needs more than 10 colours):
/// golden-angle hues at medium lightness.
std::string extra_colour(std::size_t k) {
  const double h = std::fmod(static_cast<double>(k) * 137.508, 360.0) / 60.0;
  const double c = 0.55, x = c * (1 - std::abs(std::fmod(h, 2.0) - 1)), m = 0.3;
  double r = 0, g = 0, b = 0;
  if (h < 1)
    r = c, g = x;
  else if (h < 2)
    r = x, g = c;
  else if (h < 3)
    g = c, b = x;
  else if (h < 4)
    g = x, b = c;
  else if (h < 5)
    r = x, b = c;
  else
    r = c, b = x;
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>((r + m) * 255), static_cast<int>((g + m) * 255),
                static_cast<int>((b + m) * 255));
  return buf;
}

// ---- polygon edges shared between units --------------------------------------------------

struct seg_key {
  long long ax, ay, bx, by;
  bool operator==(const seg_key&) const = default;
};
struct seg_hash {
  std::size_t operator()(const seg_key& k) const noexcept {
    std::size_t h = 1469598103934665603ULL;
    for (long long v : {k.ax, k.ay, k.bx, k.by}) h = (h ^ static_cast<std::size_t>(v)) * 1099511628211ULL;
    return h;
  }
};
seg_key make_key(const xy& a, const xy& b) {
  const long long ax = std::llround(a[0] * 1e6), ay = std::llround(a[1] * 1e6);
  const long long bx = std::llround(b[0] * 1e6), by = std::llround(b[1] * 1e6);
  if (std::tie(ax, ay) <= std::tie(bx, by)) return {ax, ay, bx, by};
  return {bx, by, ax, ay};
}
struct seg_sides {
  std::uint32_t first = 0;   ///< account of the first unit that has the edge
  std::uint32_t second = 0;  ///< account of another unit that has it
  std::uint32_t count = 0;
};

/// account -> feature index (or -1)
std::vector<long> polygon_of(const plan_run& run, const map_layers& layers) {
  std::vector<long> out(run.assignment.size(), -1);
  if (!layers.units) return out;
  std::unordered_map<std::string_view, long> by_id;
  for (std::size_t f = 0; f < layers.units->size(); ++f) by_id.emplace((*layers.units)[f].id, static_cast<long>(f));
  const auto& ids = run.accounts->ids();
  for (std::size_t a = 0; a < out.size(); ++a) {
    if (auto it = by_id.find(ids[a]); it != by_id.end() && !(*layers.units)[it->second].polygons.empty())
      out[a] = it->second;
  }
  return out;
}

std::unordered_map<seg_key, seg_sides, seg_hash> shared_edges(const map_layers& layers, const std::vector<long>& poly) {
  std::unordered_map<seg_key, seg_sides, seg_hash> edges;
  if (!layers.units) return edges;
  for (std::size_t a = 0; a < poly.size(); ++a) {
    if (poly[a] < 0) continue;
    for (const auto& pg : (*layers.units)[static_cast<std::size_t>(poly[a])].polygons) {
      for (const auto& ring : pg.rings) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          if (ring[i] == ring[i + 1]) continue;
          auto& s = edges[make_key(ring[i], ring[i + 1])];
          if (s.count == 0)
            s.first = static_cast<std::uint32_t>(a);
          else if (s.first != a)
            s.second = static_cast<std::uint32_t>(a);
          ++s.count;
        }
      }
    }
  }
  return edges;
}

// ---- frames: the main map and the insets --------------------------------------------------

struct frame {
  bool planar = false;
  albers proj = albers::conus();
  std::vector<std::uint32_t> accounts;                      ///< accounts drawn in this frame
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;  ///< projected bounding box
  double left = 0, top = 0, scale = 1;                      ///< placement on the page
  double width = 0, height = 0;
  std::string label;

  [[nodiscard]] xy project(double lon_or_x, double lat_or_y) const {
    return planar ? xy{lon_or_x, lat_or_y} : proj.forward(lon_or_x, lat_or_y);
  }
  void grow(const xy& p) {
    x0 = std::min(x0, p[0]);
    x1 = std::max(x1, p[0]);
    y0 = std::min(y0, p[1]);
    y1 = std::max(y1, p[1]);
  }
  /// Page position of a projected point.
  /// (Differences are taken of halves, exact in binary floating point, so that planar data spanning more
  /// than the largest double, e.g. -1.7e308 to 1.7e308, still gives finite page positions.)
  [[nodiscard]] xy page(const xy& p) const {
    return {left + (p[0] * 0.5 - x0 * 0.5) * (scale * 2.0), top + (y1 * 0.5 - p[1] * 0.5) * (scale * 2.0)};
  }
  [[nodiscard]] xy page_of(double lon_or_x, double lat_or_y) const { return page(project(lon_or_x, lat_or_y)); }
  void fit(double max_w, double max_h) {
    if (x0 > x1) x0 = x1 = y0 = y1 = 0;
    const double hw = std::max(x1 * 0.5 - x0 * 0.5, 0.5e-9), hh = std::max(y1 * 0.5 - y0 * 0.5, 0.5e-9);  // half extents
    scale = std::min(max_w / hw, max_h / hh) * 0.5;
    width = hw * (scale * 2.0);
    height = hh * (scale * 2.0);
  }
};

/// An SVG path builder that drops points closer than `min_step` pixels to the previous one.
struct path_builder {
  std::string d;
  double min_step = 0.4;
  xy last{1e300, 1e300};
  xy pending{0, 0};
  bool has_pending = false;

  void move(const xy& p) {
    flush();
    d += "M" + num(p[0]) + " " + num(p[1]);
    last = p;
  }
  void line(const xy& p) {
    if (std::abs(p[0] - last[0]) + std::abs(p[1] - last[1]) < min_step) {
      pending = p;
      has_pending = true;
      return;
    }
    d += "L" + num(p[0]) + " " + num(p[1]);
    last = p;
    has_pending = false;
  }
  void flush() {
    if (has_pending) d += "L" + num(pending[0]) + " " + num(pending[1]);
    has_pending = false;
  }
  void close() {
    has_pending = false;
    d += "Z";
  }
};

/// Whether `pt` lies inside the feature's polygons (even-odd rule over all rings). O(vertices).
bool inside(const geo_feature& f, const xy& pt) {
  bool in = false;
  for (const auto& pg : f.polygons) {
    for (const auto& ring : pg.rings) {
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const auto& a = ring[i];
        const auto& b = ring[j];
        if ((a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0] - a[0]) * (pt[1] - a[1]) / (b[1] - a[1]) + a[0]) in = !in;
      }
    }
  }
  return in;
}

/// 3109 -> "3,109"
std::string grouped(std::size_t v) {
  const std::string d = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

}  // namespace

std::string xml_escape(std::string_view in) {
  std::string out;
  for (const char ch : in) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> territory_adjacency(const plan_run& run, const map_layers& layers) {
  const std::size_t n = run.assignment.size();
  const std::size_t p = run.assignment.territory_count();
  std::vector<std::vector<std::uint32_t>> tadj(p);
  auto link = [&](std::size_t a, std::size_t b) {
    const auto s = run.assignment[static_cast<territory::account_index>(a)];
    const auto t = run.assignment[static_cast<territory::account_index>(b)];
    if (s == t || s == territory::no_territory || t == territory::no_territory) return;
    tadj[s].push_back(static_cast<std::uint32_t>(t));
    tadj[t].push_back(static_cast<std::uint32_t>(s));
  };
  if (run.graph) {
    for (std::size_t a = 0; a < n; ++a) {
      for (auto b : run.graph->neighbors(static_cast<territory::account_index>(a))) {
        if (b > a) link(a, b);
      }
    }
  }
  const auto poly = polygon_of(run, layers);
  for (const auto& [key, s] : shared_edges(layers, poly)) {
    if (s.count >= 2 && s.first != s.second) link(s.first, s.second);
  }
  bool any = false;
  for (const auto& l : tadj) any = any || !l.empty();
  if (!any && p > 1) {
    // neither graph nor shared borders: the 3 nearest territory centres
    const auto& m = run.metrics;
    for (std::size_t s = 0; s < p && s < m.territories.size(); ++s) {
      std::vector<std::pair<double, std::size_t>> d;
      for (std::size_t t = 0; t < p && t < m.territories.size(); ++t) {
        if (t == s) continue;
        const auto& cs = m.territories[s].centre;
        const auto& ct = m.territories[t].centre;
        double dx = cs[0] - ct[0], dy = cs[1] - ct[1];
        if (run.wgs84) {  // (lat, lon): longitude difference wrapped and scaled by the cosine of the latitude
          dy = std::remainder(cs[1] - ct[1], 360.0) * std::cos(0.5 * (cs[0] + ct[0]) * albers::deg);
        }
        d.emplace_back(std::hypot(dx, dy), t);
      }
      std::sort(d.begin(), d.end());
      for (std::size_t k = 0; k < std::min<std::size_t>(3, d.size()); ++k) {
        tadj[s].push_back(static_cast<std::uint32_t>(d[k].second));
        tadj[d[k].second].push_back(static_cast<std::uint32_t>(s));
      }
    }
  }
  for (auto& l : tadj) {
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
  }
  return tadj;
}

plan_map draw_plan_map(const plan_run& run, const map_layers& layers) {
  plan_map out;
  const auto& coords = run.accounts->coordinates();
  const std::size_t n = run.assignment.size();
  const std::size_t p = run.assignment.territory_count();
  const auto& m = run.metrics;
  auto lonlat = [&](std::size_t a) {  // (lon, lat) or (x, y)
    const auto i = static_cast<Eigen::Index>(a);
    return run.wgs84 ? xy{coords(i, 1), coords(i, 0)} : xy{coords(i, 0), coords(i, 1)};
  };
  auto terr = [&](std::size_t a) { return run.assignment[static_cast<territory::account_index>(a)]; };

  // colours
  const auto tadj = territory_adjacency(run, layers);
  const auto colour_index = colour_graph(tadj, palette.size());
  out.colours.resize(p);
  for (std::size_t t = 0; t < p; ++t) {
    const auto k = static_cast<std::size_t>(colour_index[t]);
    out.colours[t] = k < palette.size() ? palette[k] : extra_colour(k);
  }
  auto fill = [&](territory::territory_index t) {
    return t == territory::no_territory ? std::string("#cccccc") : out.colours[t];
  };

  const auto poly = polygon_of(run, layers);
  for (auto f : poly) out.accounts_with_polygon += f >= 0 ? 1 : 0;

  // ---- frames: main projection, then far-away groups of lat/lon accounts get insets
  std::vector<frame> frames(1);
  frames[0].planar = !run.wgs84;
  std::vector<std::size_t> frame_of(n, 0);
  if (run.wgs84 && n > 0) {
    std::vector<double> lats(n), lons(n);
    for (std::size_t a = 0; a < n; ++a) {
      lons[a] = lonlat(a)[0];
      lats[a] = lonlat(a)[1];
    }
    auto median = [](std::vector<double> v) {
      std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
      return v[v.size() / 2];
    };
    const double mlat = median(lats), mlon = median(lons);
    const bool conus = mlat > 24.0 && mlat < 50.0 && mlon > -125.0 && mlon < -66.0;
    auto fitted = [&](const std::vector<std::uint32_t>& acc) {
      double lo = 90, hi = -90, sx = 0, sy = 0;
      for (auto a : acc) {
        lo = std::min(lo, lats[a]);
        hi = std::max(hi, lats[a]);
        sx += std::cos(lons[a] * albers::deg);
        sy += std::sin(lons[a] * albers::deg);
      }
      return albers::fit(lo, hi, std::atan2(sy, sx) / albers::deg);
    };
    std::vector<std::uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0u);
    frames[0].proj = conus ? albers::conus() : fitted(all);
    // groups: accounts joined by adjacency edges or lying in touching grid cells (cell = 3 % of
    // the larger extent); the largest group is the main one, and a group whose nearest account is
    // farther than 5 % of the main group's extent from it is "far away" (gets an inset)
    std::vector<xy> q(n);
    double bx0 = 1e300, bx1 = -1e300, by0 = 1e300, by1 = -1e300;
    for (std::size_t a = 0; a < n; ++a) {
      q[a] = frames[0].proj.forward(lons[a], lats[a]);
      bx0 = std::min(bx0, q[a][0]);
      bx1 = std::max(bx1, q[a][0]);
      by0 = std::min(by0, q[a][1]);
      by1 = std::max(by1, q[a][1]);
    }
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto find = [&](std::size_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    auto unite = [&](std::size_t x, std::size_t y) {
      x = find(x);
      y = find(y);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    };
    if (run.graph) {
      for (std::size_t a = 0; a < n; ++a) {
        for (auto b : run.graph->neighbors(static_cast<territory::account_index>(a))) unite(a, b);
      }
    }
    const double cell = std::max(0.03 * std::max(bx1 - bx0, by1 - by0), 1e-6);
    std::map<std::pair<long long, long long>, std::size_t> cells;  // cell -> first account in it
    for (std::size_t a = 0; a < n; ++a) {
      const auto key = std::pair{static_cast<long long>(std::floor((q[a][0] - bx0) / cell)),
                                 static_cast<long long>(std::floor((q[a][1] - by0) / cell))};
      const auto [it, fresh] = cells.emplace(key, a);
      if (!fresh) unite(a, it->second);
    }
    for (const auto& [key, a] : cells) {
      for (long long dx = -1; dx <= 1; ++dx) {
        for (long long dy = -1; dy <= 1; ++dy) {
          if (auto it = cells.find({key.first + dx, key.second + dy}); it != cells.end()) unite(a, it->second);
        }
      }
    }
    std::map<std::size_t, std::vector<std::uint32_t>> groups;  // root -> accounts
    for (std::size_t a = 0; a < n; ++a) groups[find(a)].push_back(static_cast<std::uint32_t>(a));
    std::vector<std::vector<std::uint32_t>> gs;
    for (auto& [r, acc] : groups) gs.push_back(std::move(acc));
    std::stable_sort(gs.begin(), gs.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    {
      // near groups (islands off the coast) join the main group
      double mx0 = 1e300, mx1 = -1e300, my0 = 1e300, my1 = -1e300;
      for (auto a : gs[0]) {
        mx0 = std::min(mx0, q[a][0]);
        mx1 = std::max(mx1, q[a][0]);
        my0 = std::min(my0, q[a][1]);
        my1 = std::max(my1, q[a][1]);
      }
      const double near = 0.05 * std::max(mx1 - mx0, my1 - my0);
      std::vector<std::vector<std::uint32_t>> kept{gs[0]};
      Eigen::MatrixX2d main_xy(static_cast<Eigen::Index>(gs[0].size()), 2);
      for (std::size_t i = 0; i < gs[0].size(); ++i) {
        main_xy(static_cast<Eigen::Index>(i), 0) = q[gs[0][i]][0];
        main_xy(static_cast<Eigen::Index>(i), 1) = q[gs[0][i]][1];
      }
      const territory::spatial_index main_index(main_xy);  // nearest main account: O(log n) per query
      for (std::size_t g = 1; g < gs.size(); ++g) {
        double d = 1e300;
        for (auto a : gs[g]) {
          for (const auto& nb : main_index.nearest({q[a][0], q[a][1]}, 1)) d = std::min(d, nb.distance);
        }
        if (d <= near)
          kept[0].insert(kept[0].end(), gs[g].begin(), gs[g].end());
        else
          kept.push_back(std::move(gs[g]));
      }
      gs = std::move(kept);
      std::sort(gs[0].begin(), gs[0].end());
    }
    std::size_t far = 0;
    for (std::size_t g = 1; g < gs.size(); ++g) far += gs[g].size();
    if (gs.size() > 1 && far * 4 <= n) {
      constexpr std::size_t max_insets = 4;
      std::size_t hidden = 0, hidden_groups = 0;
      for (std::size_t g = 1; g < gs.size(); ++g) {
        if (g > max_insets) {
          for (auto a : gs[g]) frame_of[a] = std::size_t(-1);
          hidden += gs[g].size();
          ++hidden_groups;
          continue;
        }
        frame f;
        f.proj = fitted(gs[g]);
        for (auto a : gs[g]) frame_of[a] = frames.size();
        // label: the most common `state` value of the group, if the accounts have one
        std::string label;
        if (run.accounts->has_attribute("state")) {
          std::map<std::string, std::size_t> count;
          for (auto a : gs[g]) ++count[run.accounts->attribute("state")[a]];
          std::size_t best = 0;
          for (const auto& [s, c] : count) {
            if (c > best && !s.empty()) label = s, best = c;
          }
          if (!label.empty()) label += ": ";
        }
        f.label =
            label + std::to_string(gs[g].size()) + " account" + (gs[g].size() == 1 ? "" : "s") + " (inset, own scale)";
        frames.push_back(std::move(f));
      }
      if (hidden > 0) {
        out.notes.push_back(std::to_string(hidden) + " accounts in " + std::to_string(hidden_groups) +
                            " further far-away areas are not drawn on the map");
      }
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (frame_of[a] < frames.size()) frames[frame_of[a]].accounts.push_back(static_cast<std::uint32_t>(a));
  }
  // bounding boxes: polygons and points
  for (auto& f : frames) {
    for (auto a : f.accounts) {
      const auto ll = lonlat(a);
      f.grow(f.project(ll[0], ll[1]));
      if (poly[a] < 0) continue;
      for (const auto& pg : (*layers.units)[static_cast<std::size_t>(poly[a])].polygons) {
        for (const auto& pt : pg.rings.front()) f.grow(f.project(pt[0], pt[1]));
      }
    }
  }

  // ---- layout
  constexpr double margin = 20.0, title_h = 64.0, map_w = 960.0, map_h = 620.0;
  // wide enough for the legend's longest line: id, accounts, one "sum (deviation)" per column, rep
  const double legend_w = 230.0 + 110.0 * static_cast<double>(run.balance.size()) + (run.staff ? 60.0 : 0.0);
  frames[0].fit(map_w, map_h);
  frames[0].left = margin;
  frames[0].top = title_h;
  double inset_bottom = frames[0].top + frames[0].height;
  if (frames.size() > 1) {
    const double row_top = frames[0].top + frames[0].height + 24.0, row_h = 170.0;
    const double each_w = std::min(
        300.0, (map_w - 16.0 * static_cast<double>(frames.size() - 2)) / static_cast<double>(frames.size() - 1));
    double x = margin;
    for (std::size_t k = 1; k < frames.size(); ++k) {
      auto& f = frames[k];
      f.fit(each_w - 12.0, row_h - 30.0);
      f.left = x + 6.0;
      f.top = row_top + 20.0;
      x += std::max(f.width + 12.0, 150.0) + 16.0;
      inset_bottom = std::max(inset_bottom, f.top + f.height + 8.0);
    }
  }
  const std::size_t legend_rows = std::min<std::size_t>(p, 60);
  const double width = margin * 3 + map_w + legend_w;
  const double legend_h = 60.0 + 16.0 * static_cast<double>(legend_rows + 4);
  const double height = std::max(inset_bottom + margin + 18.0, title_h + legend_h);
  const double px_scale = frames[0].scale;  // pixels per projected unit in the main frame

  std::string s;
  s.reserve(64 * n + (std::size_t{1} << 16));
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width, 0) + "\" height=\"" + num(height, 0) +
       "\" viewBox=\"0 0 " + num(width, 0) + " " + num(height, 0) +
       "\" font-family=\"Helvetica, Arial, sans-serif\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s += "<defs>\n";
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const auto& f = frames[k];
    s += "<clipPath id=\"frame" + std::to_string(k) + "\"><rect x=\"" + num(f.left - 4) + "\" y=\"" + num(f.top - 4) +
         "\" width=\"" + num(f.width + 8) + "\" height=\"" + num(f.height + 8) + "\"/></clipPath>\n";
  }
  s += "</defs>\n";

  // title: key figures
  std::string title =
      grouped(p) + " territor" + (p == 1 ? "y" : "ies") + " over " + grouped(n) + " account" + (n == 1 ? "" : "s");
  std::string sub = std::string(m.feasible() ? "feasible"
                                             : std::to_string(m.violations.size()) + " violation" +
                                                   (m.violations.size() == 1 ? "" : "s")) +
                    "  ·  max deviation " + num(100 * m.max_deviation) + " %";
  if (!run.balance.empty() && m.gini.size() > 0) {
    sub += "  ·  Gini(" + run.balance[0] + ") " + num(m.gini(0), 4);
  }
  sub += "  ·  max diameter " + compact(m.max_diameter) + (run.wgs84 ? " km" : "");
  s += "<text x=\"" + num(margin, 0) + "\" y=\"28\" font-size=\"20\" font-weight=\"bold\" fill=\"#222222\">" +
       xml_escape(title) + "</text>\n";
  s += "<text x=\"" + num(margin, 0) + "\" y=\"50\" font-size=\"13\" fill=\"" + (m.feasible() ? "#333333" : "#b00000") +
       "\">" + xml_escape(sub) + "</text>\n";

  const bool polygons = out.accounts_with_polygon > 0;
  const double dot_r =
      polygons ? 2.2
               : std::clamp(0.35 * std::sqrt(frames[0].width * frames[0].height /
                                             std::max<double>(1.0, static_cast<double>(frames[0].accounts.size()))),
                            1.0, 7.0);

  // ---- polygons: one path per territory and frame (even-odd: units do not overlap, holes stay holes)
  const auto edges = shared_edges(layers, poly);
  bool states_drawn = false;
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const auto& f = frames[k];
    if (polygons) {
      std::vector<path_builder> paths(p + 1);
      for (auto a : f.accounts) {
        if (poly[a] < 0) continue;
        const auto t = terr(a);
        auto& pb = paths[t == territory::no_territory ? p : t];
        for (const auto& pg : (*layers.units)[static_cast<std::size_t>(poly[a])].polygons) {
          for (const auto& ring : pg.rings) {
            pb.move(f.page_of(ring[0][0], ring[0][1]));
            for (std::size_t i = 1; i + 1 < ring.size(); ++i) pb.line(f.page_of(ring[i][0], ring[i][1]));
            pb.close();
          }
        }
      }
      s += "<g fill-rule=\"evenodd\" stroke=\"#ffffff\" stroke-width=\"0.35\" stroke-linejoin=\"round\">\n";
      for (std::size_t t = 0; t <= p; ++t) {
        if (paths[t].d.empty()) continue;
        s += "<path fill=\"" + fill(t == p ? territory::no_territory : static_cast<territory::territory_index>(t)) +
             "\" d=\"" + paths[t].d + "\"/>\n";
      }
      s += "</g>\n";
    }
    // state (region) outlines over the units, clipped to the frame: the regions that hold an
    // account of the frame (a neighbouring state's edge would only be a stray line)
    if (layers.states) {
      path_builder pb;
      pb.min_step = 0.6;
      for (const auto& st : *layers.states) {
        double sx0 = 1e300, sx1 = -1e300, sy0 = 1e300, sy1 = -1e300;
        for (const auto& pg : st.polygons) {
          for (const auto& pt : pg.rings.front()) {
            sx0 = std::min(sx0, pt[0]);
            sx1 = std::max(sx1, pt[0]);
            sy0 = std::min(sy0, pt[1]);
            sy1 = std::max(sy1, pt[1]);
          }
        }
        bool holds = false;
        for (std::size_t i = 0; i < f.accounts.size() && !holds; ++i) {
          const auto pt = lonlat(f.accounts[i]);
          holds = pt[0] >= sx0 && pt[0] <= sx1 && pt[1] >= sy0 && pt[1] <= sy1 && inside(st, pt);
        }
        if (!holds) continue;
        for (const auto& pg : st.polygons) {
          for (const auto& ring : pg.rings) {
            pb.move(f.page_of(ring[0][0], ring[0][1]));
            for (std::size_t i = 1; i + 1 < ring.size(); ++i) pb.line(f.page_of(ring[i][0], ring[i][1]));
            pb.close();
          }
        }
      }
      if (!pb.d.empty()) {
        states_drawn = true;
        s += "<path clip-path=\"url(#frame" + std::to_string(k) +
             ")\" fill=\"none\" stroke=\"#3a3a3a\" stroke-opacity=\"0.55\" stroke-width=\"0.7\" "
             "stroke-linejoin=\"round\" d=\"" +
             pb.d + "\"/>\n";
      }
    }
    // territory boundaries: polygon edges whose two units are in different territories (each
    // drawn once, from the side of the smaller territory index); the outer outline thinner
    if (polygons) {
      path_builder between, outline;
      for (auto a : f.accounts) {
        if (poly[a] < 0) continue;
        const auto t = terr(a);
        for (const auto& pg : (*layers.units)[static_cast<std::size_t>(poly[a])].polygons) {
          for (const auto& ring : pg.rings) {
            bool open_b = false, open_o = false;
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
              if (ring[i] == ring[i + 1]) continue;
              const auto it = edges.find(make_key(ring[i], ring[i + 1]));
              bool draw_b = false, draw_o = false;
              if (it != edges.end()) {
                const auto& e = it->second;
                if (e.count == 1) {
                  draw_o = true;
                } else if (e.first != e.second) {
                  const auto other = e.first == a ? e.second : e.first;
                  const auto u = terr(other);
                  draw_b = u != t && (t < u || frame_of[other] != frame_of[a] || u == territory::no_territory);
                }
              }
              auto step = [&](path_builder& pb, bool& open, bool draw) {
                if (!draw) {
                  if (open) pb.flush();
                  open = false;
                  return;
                }
                if (!open) pb.move(f.page_of(ring[i][0], ring[i][1]));
                pb.line(f.page_of(ring[i + 1][0], ring[i + 1][1]));
                open = true;
              };
              step(between, open_b, draw_b);
              step(outline, open_o, draw_o);
            }
            between.flush();
            outline.flush();
          }
        }
      }
      if (!outline.d.empty()) {
        s += "<path fill=\"none\" stroke=\"#555555\" stroke-width=\"0.8\" stroke-linejoin=\"round\" d=\"" + outline.d +
             "\"/>\n";
      }
      if (!between.d.empty()) {
        s += "<path fill=\"none\" stroke=\"#1b1b1b\" stroke-width=\"1.8\" stroke-linejoin=\"round\" "
             "stroke-linecap=\"round\" d=\"" +
             between.d + "\"/>\n";
      }
    } else if (run.graph) {
      // dots only: a short stroke across the midpoint of every adjacency edge between territories
      std::string borders;
      for (auto a : f.accounts) {
        const auto ta = terr(a);
        const auto pa = f.page_of(lonlat(a)[0], lonlat(a)[1]);
        for (auto b : run.graph->neighbors(static_cast<territory::account_index>(a))) {
          if (b <= a || frame_of[b] != frame_of[a] || terr(b) == ta) continue;
          const auto pbp = f.page_of(lonlat(b)[0], lonlat(b)[1]);
          const double mx = (pa[0] + pbp[0]) / 2, my = (pa[1] + pbp[1]) / 2;
          const double dx = pbp[0] - pa[0], dy = pbp[1] - pa[1];
          const double len = std::hypot(dx, dy);
          if (len <= 0) continue;
          const double h = std::min(0.38 * len, 4.0 * dot_r) / len;
          borders += "M" + num(mx - dy * h) + " " + num(my + dx * h) + "L" + num(mx + dy * h) + " " + num(my - dx * h);
        }
      }
      if (!borders.empty()) {
        s += "<path fill=\"none\" stroke=\"#222222\" stroke-width=\"1.3\" stroke-linecap=\"round\" d=\"" + borders +
             "\"/>\n";
      }
    }
    // accounts without a polygon: dots
    std::vector<std::string> dots(p + 1);
    for (auto a : f.accounts) {
      if (poly[a] >= 0) continue;
      const auto t = terr(a);
      const auto q = f.page_of(lonlat(a)[0], lonlat(a)[1]);
      dots[t == territory::no_territory ? p : t] +=
          "<circle cx=\"" + num(q[0]) + "\" cy=\"" + num(q[1]) + "\" r=\"" + num(dot_r, 2) + "\"/>";
    }
    for (std::size_t t = 0; t <= p; ++t) {
      if (dots[t].empty()) continue;
      s += "<g fill=\"" + fill(t == p ? territory::no_territory : static_cast<territory::territory_index>(t)) + "\"" +
           (polygons ? " stroke=\"#222222\" stroke-width=\"0.6\"" : "") + ">" + dots[t] + "</g>\n";
    }
    if (k > 0) {
      s += "<rect x=\"" + num(f.left - 6) + "\" y=\"" + num(f.top - 6) + "\" width=\"" + num(f.width + 12) +
           "\" height=\"" + num(f.height + 12) + "\" fill=\"none\" stroke=\"#999999\" stroke-width=\"0.8\"/>\n";
      s += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(f.top - 10) + "\" font-size=\"11\" fill=\"#555555\">" +
           xml_escape(f.label) + "</text>\n";
    }
  }

  // links added by --connect-islands: dashed, from page point to page point (across insets too)
  if (!run.added_links.empty()) {
    std::vector<int> frame_of(n, -1);
    for (std::size_t k = 0; k < frames.size(); ++k) {
      for (auto a : frames[k].accounts) frame_of[a] = static_cast<int>(k);
    }
    std::string lines, ends;
    for (const auto& l : run.added_links) {
      if (frame_of[l.a] < 0 || frame_of[l.b] < 0) continue;  // an account the map leaves out
      const auto qa = frames[static_cast<std::size_t>(frame_of[l.a])].page_of(lonlat(l.a)[0], lonlat(l.a)[1]);
      const auto qb = frames[static_cast<std::size_t>(frame_of[l.b])].page_of(lonlat(l.b)[0], lonlat(l.b)[1]);
      lines += "<path d=\"M" + num(qa[0]) + " " + num(qa[1]) + "L" + num(qb[0]) + " " + num(qb[1]) + "\"><title>" +
               xml_escape("added link " + l.from + " - " + l.to) + "</title></path>";
      for (const auto& q : {qa, qb}) ends += "<circle cx=\"" + num(q[0]) + "\" cy=\"" + num(q[1]) + "\" r=\"2.5\"/>";
    }
    s += "<g fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.6\" stroke-dasharray=\"5 3\">" + lines + "</g>\n";
    s += "<g fill=\"#c0392b\" stroke=\"none\">" + ends + "</g>\n";
  }

  // rep homes (with --reps): in the frame whose box holds them
  std::size_t homes_drawn = 0;
  if (run.staff) {
    std::string marks, names;
    for (std::size_t r = 0; r < run.reps.size(); ++r) {
      if (!run.reps[r].home) continue;
      const auto& h = *run.reps[r].home;
      const xy ll = run.wgs84 ? xy{h[1], h[0]} : xy{h[0], h[1]};
      for (const auto& f : frames) {
        const auto q = f.project(ll[0], ll[1]);
        const double slack = 0.02 * std::max(f.x1 - f.x0, f.y1 - f.y0);
        if (q[0] < f.x0 - slack || q[0] > f.x1 + slack || q[1] < f.y0 - slack || q[1] > f.y1 + slack) continue;
        const auto pg = f.page(q);
        marks += "<path d=\"M" + num(pg[0]) + " " + num(pg[1] - 6) + "l5.2 9h-10.4z\"><title>" +
                 xml_escape("rep " + run.reps[r].id) + "</title></path>";
        names +=
            "<text x=\"" + num(pg[0] + 7) + "\" y=\"" + num(pg[1] + 2) + "\">" + xml_escape(run.reps[r].id) + "</text>";
        ++homes_drawn;
        break;
      }
    }
    if (!marks.empty())
      s += "<g fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"1.4\" stroke-linejoin=\"round\">" + marks + "</g>\n";
    if (!names.empty() && homes_drawn <= 60) {  // rep ids beside their homes, unless they would crowd the map
      s += "<g font-size=\"10\" font-style=\"italic\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"2.5\" "
           "stroke-linejoin=\"round\" paint-order=\"stroke\">" +
           names + "</g>\n";
    }
  }

  // territory labels: on the account nearest to the mean of its territory's page positions
  // (inside the territory even when it is not convex), in the main frame when it has any
  std::vector<xy> centre(p, {0.0, 0.0});
  std::vector<std::size_t> size(p, 0);
  std::vector<std::size_t> main_count(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = terr(a);
    if (t != territory::no_territory && frame_of[a] == 0) ++main_count[t];
  }
  std::vector<xy> pos(n);
  for (std::size_t a = 0; a < n; ++a) {
    if (frame_of[a] >= frames.size()) continue;
    pos[a] = frames[frame_of[a]].page_of(lonlat(a)[0], lonlat(a)[1]);
    const auto t = terr(a);
    if (t == territory::no_territory || (main_count[t] > 0 && frame_of[a] != 0)) continue;
    centre[t][0] += pos[a][0];
    centre[t][1] += pos[a][1];
    ++size[t];
  }
  std::vector<std::size_t> anchor(p, n);
  std::vector<double> anchor_d(p, 1e300);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = terr(a);
    if (t == territory::no_territory || frame_of[a] >= frames.size() || (main_count[t] > 0 && frame_of[a] != 0))
      continue;
    const double d = std::hypot(pos[a][0] - centre[t][0] / static_cast<double>(size[t]),
                                pos[a][1] - centre[t][1] / static_cast<double>(size[t]));
    if (d < anchor_d[t]) {
      anchor_d[t] = d;
      anchor[t] = a;
    }
  }
  s += "<g font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#111111\" "
       "stroke=\"#ffffff\" stroke-width=\"3.2\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n";
  for (std::size_t t = 0; t < p; ++t) {
    if (anchor[t] < n) {
      s += "<text x=\"" + num(pos[anchor[t]][0]) + "\" y=\"" + num(pos[anchor[t]][1]) + "\">" +
           xml_escape(territory_label(run, static_cast<territory::territory_index>(t))) + "</text>\n";
    }
  }
  s += "</g>\n";

  // scale bar (main frame, lat/lon: km on the equal-area map; exact along the standard parallels)
  if (run.wgs84 && px_scale > 0) {
    const double target = 120.0 / px_scale;  // km in ~120 px
    const double pow10 = std::pow(10.0, std::floor(std::log10(target)));
    double km = pow10;
    for (double f : {2.0, 5.0, 10.0}) {
      if (pow10 * f <= target) km = pow10 * f;
    }
    const double len = km * px_scale;
    const double bx = frames[0].left, by = frames[0].top + frames[0].height + 14;
    s += "<g font-size=\"10\" fill=\"#444444\"><path d=\"M" + num(bx) + " " + num(by) + "h" + num(len) +
         "\" stroke=\"#444444\" stroke-width=\"2\"/><text x=\"" + num(bx + len + 6) + "\" y=\"" + num(by + 3) + "\">" +
         compact(km) + " km (Albers equal-area)</text></g>\n";
  }

  // ---- legend
  const double lx = margin * 2 + map_w;
  double ly = title_h + 6;
  s += "<g font-size=\"11\" fill=\"#222222\">\n";
  std::string head = "territory · accounts";
  for (const auto& b : run.balance) head += " · " + b + " (dev.)";
  if (run.staff) head += " · rep";
  s += "<text x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" font-weight=\"bold\">" + xml_escape(head) + "</text>\n";
  for (std::size_t t = 0; t < legend_rows && t < m.territories.size(); ++t) {
    ly += 16;
    const auto& tm = m.territories[t];
    std::string line =
        xml_escape(territory_label(run, static_cast<territory::territory_index>(t))) + " · " + std::to_string(tm.accounts);
    bool bad = !tm.contiguous || tm.accounts == 0;
    for (std::size_t c = 0; c < run.balance.size(); ++c) {
      const auto cc = static_cast<Eigen::Index>(c);
      const double d = tm.deviation(cc);
      line += " · " + compact(tm.sums(cc)) + " (" + (d >= 0 ? "+" : "") + num(100 * d) + "%)";
      bad = bad || std::abs(d) > run.tolerance[c] + 1e-9;
    }
    if (run.staff && t < run.staffing.rep_of.size()) {
      const auto r = run.staffing.rep_of[t];
      line += " · " + (r == territory::rep_assignment::no_rep ? std::string("(none)") : run.reps[r].id);
    }
    s += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 10) +
         "\" width=\"12\" height=\"12\" stroke=\"#333333\" stroke-width=\"0.5\" fill=\"" +
         fill(static_cast<territory::territory_index>(t)) + "\"/>";
    s += "<text x=\"" + num(lx + 18) + "\" y=\"" + num(ly) + "\"" + (bad ? " fill=\"#c00000\"" : "") + ">" +
         xml_escape(line + (bad ? "  !" : "")) + "</text>\n";
  }
  if (p > legend_rows) {
    ly += 16;
    s +=
        "<text x=\"" + num(lx) + "\" y=\"" + num(ly) + "\">… and " + std::to_string(p - legend_rows) + " more</text>\n";
  }
  ly += 24;
  auto key_line = [&](const std::string& glyph, const std::string& text) {
    s += glyph + "<text x=\"" + num(lx + 18) + "\" y=\"" + num(ly) + "\">" + xml_escape(text) + "</text>\n";
    ly += 16;
  };
  if (polygons) {
    key_line("<path d=\"M" + num(lx) + " " + num(ly - 4) + "h12\" stroke=\"#1b1b1b\" stroke-width=\"1.8\"/>",
             "territory boundary");
  } else if (run.graph) {
    key_line("<path d=\"M" + num(lx + 6) + " " + num(ly - 9) + "v10\" stroke=\"#222222\" stroke-width=\"1.3\"/>",
             "adjacency edge between two territories");
  }
  if (states_drawn)
    key_line("<path d=\"M" + num(lx) + " " + num(ly - 4) +
                 "h12\" stroke=\"#3a3a3a\" stroke-opacity=\"0.55\" stroke-width=\"0.7\"/>",
             "state line");
  if (homes_drawn > 0) {
    key_line("<path d=\"M" + num(lx + 6) + " " + num(ly - 10) +
                 "l5.2 9h-10.4z\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"1.4\"/>",
             "rep home");
  }
  if (polygons && out.accounts_with_polygon < n) {
    key_line("<circle cx=\"" + num(lx + 6) + "\" cy=\"" + num(ly - 4) +
                 "\" r=\"2.2\" fill=\"#bbbbbb\" stroke=\"#222222\" stroke-width=\"0.6\"/>",
             std::to_string(n - out.accounts_with_polygon) + " account" +
                 (n - out.accounts_with_polygon == 1 ? "" : "s") + " without a polygon");
  }
  if (!run.added_links.empty()) {
    key_line("<path d=\"M" + num(lx) + " " + num(ly - 4) +
                 "h12\" stroke=\"#c0392b\" stroke-width=\"1.6\" stroke-dasharray=\"5 3\"/>",
             std::to_string(run.added_links.size()) + " link" + (run.added_links.size() == 1 ? "" : "s") +
                 " added by --connect-islands");
  }
  key_line("", "! = outside tolerance, empty or not contiguous");
  for (const auto& note : out.notes) key_line("", note);
  s += "</g>\n</svg>\n";
  out.svg = std::move(s);
  return out;
}

std::string plan_svg(const plan_run& run, const map_layers& layers) { return draw_plan_map(run, layers).svg; }

}  // namespace territory_cli
