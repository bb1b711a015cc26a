#include "plan_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include <string_view>

namespace territory_cli {

namespace {

// Tableau 10 plus two: a qualitative palette; greedy colouring of planar maps rarely needs more than 6.
constexpr std::array<const char*, 12> palette{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#edc948",
                                              "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac", "#bcbd22", "#6a3d9a"};

std::string num(double x, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string compact(double x) {
  const double a = std::abs(x);
  char buf[32];
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.2fG", x / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", x / 1e6);
  else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.1fk", x / 1e3);
  else if (a == std::floor(a) || a >= 100) std::snprintf(buf, sizeof buf, "%.0f", x);
  else std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

std::string xml_escape(std::string_view in) {
  std::string out;
  for (const char ch : in) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

double wrap180(double d) {
  while (d > 180.0) d -= 360.0;
  while (d <= -180.0) d += 360.0;
  return d;
}

}  // namespace

std::string plan_svg(const plan_run& run) {
  const auto& xy = run.accounts->coordinates();
  const std::size_t n = run.assignment.size();
  const std::size_t p = run.assignment.territory_count();
  constexpr double deg = 0.017453292519943295;

  // projection: planar as is; lat/lon equirectangular around the mean latitude and circular mean longitude
  std::vector<std::array<double, 2>> q(n);
  double lat0 = 0, sx = 0, sy = 0;
  if (run.wgs84) {
    for (std::size_t a = 0; a < n; ++a) {
      lat0 += xy(static_cast<Eigen::Index>(a), 0);
      sx += std::cos(xy(static_cast<Eigen::Index>(a), 1) * deg);
      sy += std::sin(xy(static_cast<Eigen::Index>(a), 1) * deg);
    }
    lat0 = n ? lat0 / static_cast<double>(n) : 0.0;
  }
  const double lon0 = run.wgs84 ? std::atan2(sy, sx) / deg : 0.0;
  const double c = std::cos(lat0 * deg);
  for (std::size_t a = 0; a < n; ++a) {
    const auto i = static_cast<Eigen::Index>(a);
    q[a] = run.wgs84 ? std::array<double, 2>{wrap180(xy(i, 1) - lon0) * c, xy(i, 0)} : std::array<double, 2>{xy(i, 0), xy(i, 1)};
  }
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& v : q) {
    x0 = std::min(x0, v[0]);
    x1 = std::max(x1, v[0]);
    y0 = std::min(y0, v[1]);
    y1 = std::max(y1, v[1]);
  }
  if (n == 0) x0 = x1 = y0 = y1 = 0;
  const double span = std::max({x1 - x0, y1 - y0, 1e-9});
  const double map_w = 1000.0 * std::max(0.35, (x1 - x0) / span);
  const double map_h = 1000.0 * std::max(0.35, (y1 - y0) / span);
  const double scale = std::min(map_w / std::max(x1 - x0, 1e-9), map_h / std::max(y1 - y0, 1e-9));
  constexpr double margin = 24.0, top = 40.0;
  auto X = [&](std::size_t a) { return margin + (q[a][0] - x0) * scale; };
  auto Y = [&](std::size_t a) { return top + (y1 - q[a][1]) * scale; };
  const double r = std::clamp(0.3 * std::sqrt(map_w * map_h / std::max<double>(1.0, static_cast<double>(n))), 0.9, 7.0);

  // territory adjacency: from graph edges; without a graph, the 3 nearest territory centres
  std::vector<std::array<double, 2>> centre(p, {0.0, 0.0});
  std::vector<std::size_t> size(p, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = run.assignment[static_cast<territory::account_index>(a)];
    if (t == territory::no_territory) continue;
    centre[t][0] += X(a);
    centre[t][1] += Y(a);
    ++size[t];
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (size[t]) {
      centre[t][0] /= static_cast<double>(size[t]);
      centre[t][1] /= static_cast<double>(size[t]);
    }
  }
  std::vector<std::vector<std::uint32_t>> tadj(p);
  auto link = [&](std::size_t s, std::size_t t) {
    tadj[s].push_back(static_cast<std::uint32_t>(t));
    tadj[t].push_back(static_cast<std::uint32_t>(s));
  };
  if (run.graph) {
    for (std::size_t a = 0; a < n; ++a) {
      const auto ta = run.assignment[static_cast<territory::account_index>(a)];
      for (auto b : run.graph->neighbors(static_cast<territory::account_index>(a))) {
        const auto tb = run.assignment[b];
        if (b > a && ta != tb && ta != territory::no_territory && tb != territory::no_territory) link(ta, tb);
      }
    }
  } else {
    for (std::size_t s = 0; s < p; ++s) {
      std::vector<std::pair<double, std::size_t>> d;
      for (std::size_t t = 0; t < p; ++t) {
        if (t != s) d.emplace_back(std::hypot(centre[s][0] - centre[t][0], centre[s][1] - centre[t][1]), t);
      }
      std::sort(d.begin(), d.end());
      for (std::size_t k = 0; k < std::min<std::size_t>(3, d.size()); ++k) link(s, d[k].second);
    }
  }
  for (auto& l : tadj) {
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
  }
  // greedy colouring, largest degree first (ties: smaller index): a colour no neighbour has,
  // preferring one that no neighbour's neighbour has either, then the least used one, so that
  // territories are told apart easily and neighbours always differ while the palette lasts
  std::vector<std::size_t> order(p);
  for (std::size_t t = 0; t < p; ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t s1, std::size_t t1) { return tadj[s1].size() > tadj[t1].size(); });
  std::vector<int> colour(p, -1);
  std::vector<std::size_t> uses(palette.size(), 0);
  for (std::size_t t : order) {
    std::vector<int> near(palette.size(), 0);  // 2 = used by a neighbour, 1 = by a neighbour's neighbour
    for (auto u : tadj[t]) {
      if (colour[u] >= 0) near[static_cast<std::size_t>(colour[u]) % palette.size()] = 2;
      for (auto w : tadj[u]) {
        if (w != t && colour[w] >= 0 && near[static_cast<std::size_t>(colour[w]) % palette.size()] == 0) {
          near[static_cast<std::size_t>(colour[w]) % palette.size()] = 1;
        }
      }
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < palette.size(); ++k) {
      if (near[k] < near[best] || (near[k] == near[best] && uses[k] < uses[best])) best = k;
    }
    colour[t] = static_cast<int>(best);
    ++uses[best];
  }
  auto fill = [&](territory::territory_index t) {
    return t == territory::no_territory ? std::string("#000000") : std::string(palette[static_cast<std::size_t>(colour[t]) % palette.size()]);
  };

  const auto& m = run.metrics;
  const std::size_t legend_rows = std::min<std::size_t>(p, 60);
  const double legend_w = 330.0;
  const double width = margin * 2 + map_w + legend_w;
  const double height = std::max(top + map_h + margin, top + 60.0 + 15.0 * static_cast<double>(legend_rows + 2));

  std::string s;
  s.reserve(200 * n + 4096);
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width, 0) + "\" height=\"" + num(height, 0) +
       "\" viewBox=\"0 0 " + num(width, 0) + " " + num(height, 0) + "\" font-family=\"sans-serif\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s += "<text x=\"" + num(margin, 0) + "\" y=\"24\" font-size=\"16\">" +
       xml_escape(std::to_string(p) + " territories, " + std::to_string(n) + " accounts: " +
                   (m.feasible() ? "feasible" : std::to_string(m.violations.size()) + " violations") +
                   ", max deviation " + num(100 * m.max_deviation) + " %, max diameter " + compact(m.max_diameter) +
                   (run.wgs84 ? " km" : "")) +
       "</text>\n";

  // edges inside territories, faint, one path per territory (skipped on very large maps,
  // where they would only add megabytes)
  constexpr std::size_t large_map = 200000;
  if (run.graph) {
    std::vector<std::string> paths(p);
    std::string borders;
    for (std::size_t a = 0; a < n; ++a) {
      const auto ta = run.assignment[static_cast<territory::account_index>(a)];
      for (auto b : run.graph->neighbors(static_cast<territory::account_index>(a))) {
        if (b <= a) continue;
        const auto tb = run.assignment[b];
        if (ta == tb && ta != territory::no_territory) {
          if (n > large_map) continue;  // the dots alone fill the territories
          paths[ta] += "M" + num(X(a)) + " " + num(Y(a)) + "L" + num(X(b)) + " " + num(Y(b));
        } else {
          // a short segment across the midpoint, perpendicular to the edge: the borders emerge from these
          const double mx = (X(a) + X(b)) / 2, my = (Y(a) + Y(b)) / 2;
          const double dx = X(b) - X(a), dy = Y(b) - Y(a);
          const double len = std::hypot(dx, dy);
          if (len <= 0) continue;
          const double h = std::min(0.38 * len, 4.0 * r) / len;
          borders += "M" + num(mx - dy * h) + " " + num(my + dx * h) + "L" + num(mx + dy * h) + " " + num(my - dx * h);
        }
      }
    }
    s += "<g fill=\"none\" stroke-linecap=\"round\" stroke-opacity=\"0.45\" stroke-width=\"" + num(std::max(0.8, 0.9 * r)) + "\">\n";
    for (std::size_t t = 0; t < p; ++t) {
      if (!paths[t].empty()) s += "<path stroke=\"" + fill(static_cast<territory::territory_index>(t)) + "\" d=\"" + paths[t] + "\"/>\n";
    }
    s += "</g>\n";
    if (!borders.empty()) {
      s += "<path fill=\"none\" stroke=\"#333333\" stroke-width=\"1.1\" stroke-linecap=\"round\" d=\"" + borders + "\"/>\n";
    }
  }
  // accounts
  std::vector<std::string> dots(p + 1);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = run.assignment[static_cast<territory::account_index>(a)];
    dots[t == territory::no_territory ? p : t] += "<circle cx=\"" + num(X(a)) + "\" cy=\"" + num(Y(a)) + "\" r=\"" + num(r, 2) + "\"/>";
  }
  for (std::size_t t = 0; t <= p; ++t) {
    if (dots[t].empty()) continue;
    s += "<g fill=\"" + fill(t == p ? territory::no_territory : static_cast<territory::territory_index>(t)) + "\">" + dots[t] + "</g>\n";
  }
  // territory labels on the account nearest to the centre of their dots (inside the territory
  // even when it is not convex)
  std::vector<std::size_t> anchor(p, n);
  std::vector<double> anchor_d(p, 1e300);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = run.assignment[static_cast<territory::account_index>(a)];
    if (t == territory::no_territory) continue;
    const double d = std::hypot(X(a) - centre[t][0], Y(a) - centre[t][1]);
    if (d < anchor_d[t]) {
      anchor_d[t] = d;
      anchor[t] = a;
    }
  }
  s += "<g font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#111111\" "
       "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\n";
  for (std::size_t t = 0; t < p; ++t) {
    if (size[t]) {
      s += "<text x=\"" + num(X(anchor[t])) + "\" y=\"" + num(Y(anchor[t])) + "\">" +
           std::to_string(territory_id(static_cast<territory::territory_index>(t))) + "</text>\n";
    }
  }
  s += "</g>\n";

  // legend
  const double lx = margin * 2 + map_w;
  double ly = top + 10;
  std::string head = "territory  accounts";
  for (const auto& b : run.balance) head += "  " + b;
  s += "<g font-size=\"11\">\n<text x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" font-weight=\"bold\">" + xml_escape(head) + "</text>\n";
  for (std::size_t t = 0; t < legend_rows; ++t) {
    ly += 15;
    const auto& tm = m.territories[t];
    std::string line = std::to_string(territory_id(static_cast<territory::territory_index>(t))) + "  n=" + std::to_string(tm.accounts);
    for (std::size_t k = 0; k < run.balance.size(); ++k) {
      const auto kk = static_cast<Eigen::Index>(k);
      const double d = tm.deviation(kk);
      line += "  " + compact(tm.sums(kk)) + " (" + (d >= 0 ? "+" : "") + num(100 * d) + "%)";
    }
    bool bad = !tm.contiguous || tm.accounts == 0;
    for (std::size_t k = 0; k < run.balance.size(); ++k) {
      bad = bad || std::abs(tm.deviation(static_cast<Eigen::Index>(k))) > run.tolerance[k] + 1e-9;
    }
    s += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         fill(static_cast<territory::territory_index>(t)) + "\"/>";
    s += "<text x=\"" + num(lx + 14) + "\" y=\"" + num(ly) + "\"" + (bad ? " fill=\"#c00000\"" : "") + ">" +
         xml_escape(line + (bad ? "  !" : "")) + "</text>\n";
  }
  if (p > legend_rows) {
    ly += 15;
    s += "<text x=\"" + num(lx) + "\" y=\"" + num(ly) + "\">… and " + std::to_string(p - legend_rows) + " more</text>\n";
  }
  s += "</g>\n</svg>\n";
  return s;
}

}  // namespace territory_cli
