#include "plan_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include <territory/geo/drive_time.hpp>
#include <territory/version.hpp>

namespace territory_cli {

namespace {

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "&mdash;";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

/// A number with thousands separators (0 decimals for large values, else 3 significant digits).
std::string amount(double x) {
  if (!std::isfinite(x)) return "&mdash;";
  const double a = std::abs(x);
  if (a < 1000 && a != std::floor(a)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", x);
    return buf;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f", std::abs(x));
  std::string digits = buf, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (x < 0 ? "-" : "") + out;
}

std::string percent(double x, int decimals = 1, bool sign = true) {
  if (!std::isfinite(x)) return "&mdash;";
  return (sign && x >= 0 ? "+" : "") + fixed(100.0 * x, decimals) + " %";
}

std::string status_cell(bool ok) { return ok ? "<td class=\"ok\">met</td>" : "<td class=\"bad\">violated</td>"; }

constexpr const char* css = R"(
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:#222;margin:24px auto;max-width:1360px;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 12px}
.verdict{display:inline-block;padding:6px 12px;border-radius:4px;font-weight:bold;margin:4px 0 12px}
.verdict.ok{background:#e3f4e1;color:#1d6b1d}.verdict.bad{background:#fbe3e3;color:#a40000}
.figures{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}
.figure{border:1px solid #ddd;border-radius:4px;padding:6px 12px;min-width:120px}
.figure b{display:block;font-size:18px}
.map svg{width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;margin:6px 0 12px}
th,td{border-bottom:1px solid #e4e4e4;padding:4px 10px;text-align:right;white-space:nowrap}
th{background:#f4f4f4;font-weight:600}
td.l,th.l{text-align:left;white-space:normal}
td.ok{color:#1d6b1d;font-weight:600}td.bad,span.bad{color:#a40000;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #555;vertical-align:-1px;margin-right:6px}
ul{margin:4px 0 12px}
footer{color:#777;font-size:12px;margin-top:32px}
@media print{body{margin:0}}
)";

}  // namespace

std::string plan_html(const plan_run& run, const plan_map& map) {
  const auto& m = run.metrics;
  const std::size_t p = run.assignment.territory_count();
  const std::size_t n = run.assignment.size();
  const std::size_t cols = run.balance.size();
  const std::string dist_unit = run.wgs84 ? " km" : "";
  std::string h;
  h.reserve(map.svg.size() + 64 * 1024);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>Territory plan: " + std::to_string(p) + " territories over " + std::to_string(n) + " accounts</title>\n";
  h += "<style>" + std::string(css) + "</style>\n</head>\n<body>\n";

  // ---- header and verdict
  h += "<header>\n<h1>Territory plan: " + std::to_string(p) + " territories over " + amount(static_cast<double>(n)) +
       " accounts</h1>\n";
  h += "<p class=\"sub\">accounts <code>" + xml_escape(run.accounts_file) + "</code>";
  if (!run.adjacency_file.empty()) h += ", adjacency <code>" + xml_escape(run.adjacency_file) + "</code>";
  h += " &middot; balanced: " + xml_escape([&] {
         std::string s;
         for (std::size_t c = 0; c < cols; ++c) s += (c ? ", " : "") + run.balance[c];
         return s;
       }());
  h += " &middot; seed " + std::to_string(run.seed) + " &middot; " + std::to_string(run.threads) + " thread" +
       (run.threads == 1 ? "" : "s") + " &middot; search " + fixed(run.seconds, 1) +
       " s, stopped: " + xml_escape(territory::to_string(run.why_stopped)) + "</p>\n";
  if (m.feasible()) {
    h += "<div class=\"verdict ok\" id=\"verdict\">Feasible: every hard constraint is met</div>\n";
  } else {
    h += "<div class=\"verdict bad\" id=\"verdict\">Not feasible: " + std::to_string(m.violations.size()) +
         " violation" + (m.violations.size() == 1 ? "" : "s") + " of hard constraints (listed below)</div>\n";
  }
  h += "<div class=\"figures\">";
  auto figure = [&](const std::string& value, const std::string& label) {
    h += "<div class=\"figure\"><b>" + value + "</b>" + label + "</div>";
  };
  figure(std::to_string(p), "territories");
  figure(amount(static_cast<double>(n)), "accounts");
  figure(percent(m.max_deviation, 2, false), "max deviation");
  if (cols > 0 && m.gini.size() > 0) figure(fixed(m.gini(0), 4), "Gini of " + xml_escape(run.balance[0]));
  figure(amount(m.max_diameter) + dist_unit, "max diameter");
  if (run.wgs84)
    figure(fixed(territory::drive_time{}.road_factor * m.max_diameter / territory::drive_time{}.speed_kmh, 1) + " h",
           "max diameter, drive time");
  h += "</div>\n</header>\n";

  // ---- map
  h += "<section class=\"map\" id=\"map\">\n<h2>Map</h2>\n";
  const auto svg_start = map.svg.find("<svg");
  std::string svg = svg_start == std::string::npos ? map.svg : map.svg.substr(svg_start);
  if (const auto ns = svg.find(" xmlns=\"http://www.w3.org/2000/svg\""); ns != std::string::npos && ns < 200) {
    svg.erase(ns, 35);  // inline SVG in HTML needs no namespace (and the page names no URL)
  }
  h += svg;
  h += "</section>\n";

  // ---- constraints
  h += "<section id=\"constraints\">\n<h2>Hard constraints</h2>\n";
  h += "<table id=\"constraints-table\">\n<tr><th "
       "class=\"l\">constraint</th><th>limit</th><th>worst</th><th>slack</th><th>status</th></tr>\n";
  for (std::size_t c = 0; c < cols; ++c) {
    const auto cc = static_cast<Eigen::Index>(c);
    double worst = 0;
    for (const auto& tm : m.territories) worst = std::max(worst, std::abs(tm.deviation(cc)));
    const double tol = run.tolerance[c];
    const bool ok = worst <= tol + 1e-9;
    h += "<tr class=\"constraint-row\"><td class=\"l\">balance of <b>" + xml_escape(run.balance[c]) +
         "</b>: every territory within &plusmn;" + fixed(100 * tol, 1) + " % of the mean (" + amount(m.means(cc)) +
         ")</td><td>" + percent(tol, 1, false) + "</td><td>" + percent(worst, 2, false) + "</td><td>" +
         percent(tol - worst, 2, false) + "</td>" + status_cell(ok) + "</tr>\n";
  }
  if (run.graph) {
    h += "<tr class=\"constraint-row\"><td class=\"l\">contiguity: every territory connected in the adjacency "
         "graph</td><td>0 split</td><td>" +
         std::to_string(m.noncontiguous) + " split</td><td>" +
         (m.noncontiguous == 0 ? "&mdash;" : "-" + std::to_string(m.noncontiguous)) + "</td>" +
         status_cell(m.noncontiguous == 0) + "</tr>\n";
  }
  std::size_t empty = 0;
  for (const auto& tm : m.territories) empty += tm.accounts == 0 ? 1 : 0;
  h += "<tr class=\"constraint-row\"><td class=\"l\">every account assigned, no territory empty</td><td>0</td><td>" +
       std::to_string(m.unassigned) + " unassigned, " + std::to_string(empty) + " empty</td><td>&mdash;</td>" +
       status_cell(m.unassigned == 0 && empty == 0) + "</tr>\n";
  if (run.staff) {
    h += "<tr class=\"constraint-row\"><td class=\"l\">staffing: one active rep per territory, load within "
         "capacity</td><td>0</td><td>" +
         std::to_string(run.staffing.violations.size()) + " problem" +
         (run.staffing.violations.size() == 1 ? "" : "s") + "</td><td>&mdash;</td>" +
         status_cell(run.staffing.violations.empty()) + "</tr>\n";
  }
  // business constraints (--locks, --min-count, --max-diameter): counted from the independent check's violations
  auto count_kind = [&](territory::constraint_kind k, const std::string& subject) {
    std::size_t c = 0;
    for (const auto& v : m.violations) c += v.kind == k && (subject.empty() || v.subject == subject) ? 1 : 0;
    return c;
  };
  if (!run.business.locked.empty()) {
    std::size_t locked = 0;
    for (auto t : run.business.locked) locked += t != territory::no_territory ? 1 : 0;
    const std::size_t bad = count_kind(territory::constraint_kind::locked, "");
    h += "<tr class=\"constraint-row\"><td class=\"l\">locks: " + std::to_string(locked) + " locked accounts stay with their " +
         std::to_string(run.business.lock_owner.size()) + " owners</td><td>0 moved</td><td>" + std::to_string(bad) +
         " moved</td><td>&mdash;</td>" + status_cell(bad == 0) + "</tr>\n";
  }
  for (const auto& mc : run.business.min_counts) {
    std::size_t lo = std::numeric_limits<std::size_t>::max();
    for (territory::territory_index t = 0; t < run.assignment.territory_count(); ++t) {
      std::size_t c = 0;
      for (territory::account_index a = 0; a < run.assignment.size(); ++a) c += run.assignment[a] == t ? mc.member[a] : 0;
      lo = std::min(lo, c);
    }
    const bool ok = lo >= mc.min;
    h += "<tr class=\"constraint-row\"><td class=\"l\">at least " + std::to_string(mc.min) + " accounts with <b>" +
         xml_escape(mc.name) + "</b> per territory</td><td>" + std::to_string(mc.min) + "</td><td>" + std::to_string(lo) +
         "</td><td>" + (ok ? std::to_string(lo - mc.min) : "-" + std::to_string(mc.min - lo)) + "</td>" + status_cell(ok) +
         "</tr>\n";
  }
  if (!std::isinf(run.max_diameter)) {
    const bool ok = m.max_diameter <= run.max_diameter * (1.0 + 1e-9);
    h += "<tr class=\"constraint-row\"><td class=\"l\">max diameter: no two accounts of a territory farther apart than " +
         xml_escape(run.max_diameter_label) + "</td><td>" + amount(run.max_diameter) + "</td><td>" + amount(m.max_diameter) +
         "</td><td>" + amount(run.max_diameter - m.max_diameter) + "</td>" + status_cell(ok) + "</tr>\n";
  }
  h += "</table>\n";
  if (m.graph_components > 1) {
    h += "<p>The adjacency graph has " + std::to_string(m.graph_components) +
         " connected components: territories cannot all be contiguous unless each component holds whole "
         "territories.</p>\n";
  }
  h += "<h3>Violations</h3>\n";
  if (m.violations.empty()) {
    h += "<p id=\"violations\">None.</p>\n";
  } else {
    h += "<ul id=\"violations\">\n";
    for (const auto& v : m.violations) {
      h += "<li><span class=\"bad\">" + xml_escape(territory::to_string(v.kind)) + "</span> " +
           xml_escape(with_account_names(v.reason, *run.accounts)) + " (amount " + fixed(v.amount, 4) + ")</li>\n";
    }
    h += "</ul>\n";
  }
  if (!run.precheck.empty()) {
    h += "<h3>Found before the search (provably impossible)</h3>\n<ul>\n";
    for (const auto& v : run.precheck) h += "<li>" + xml_escape(with_account_names(v.reason, *run.accounts)) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n";

  // ---- fairness
  h += "<section id=\"fairness\">\n<h2>Fairness per balanced column</h2>\n";
  h += "<table id=\"fairness-table\">\n<tr><th class=\"l\">column</th><th>total</th><th>mean "
       "(target)</th><th>min</th><th>max</th>"
       "<th>max / min</th><th>Gini</th><th>CV</th></tr>\n";
  for (std::size_t c = 0; c < cols; ++c) {
    const auto cc = static_cast<Eigen::Index>(c);
    const double lo = m.min_sums(cc), hi = m.max_sums(cc);
    h += "<tr class=\"fairness-row\"><td class=\"l\">" + xml_escape(run.balance[c]) + "</td><td>" + amount(m.totals(cc)) +
         "</td><td>" + amount(m.means(cc)) + "</td><td>" + amount(lo) + "</td><td>" + amount(hi) + "</td><td>" +
         (lo > 0 ? fixed(hi / lo, 3) : std::string("&mdash;")) + "</td><td>" + fixed(m.gini(cc), 4) + "</td><td>" +
         fixed(m.cv(cc), 4) + "</td></tr>\n";
  }
  h += "</table>\n<p class=\"sub\">Gini 0 and CV 0 mean perfectly equal territories; max / min 1.000 "
       "likewise.</p>\n</section>\n";

  // ---- territories
  const bool tier = run.accounts->has_attribute("tier");
  std::vector<std::size_t> tier_a(p, 0);
  if (tier) {
    const auto& tv = run.accounts->attribute("tier");
    for (std::size_t a = 0; a < n; ++a) {
      const auto t = run.assignment[static_cast<territory::account_index>(a)];
      if (t != territory::no_territory && tv[a] == "A") ++tier_a[t];
    }
  }
  h += "<section id=\"territories\">\n<h2>Territories</h2>\n<table id=\"territory-table\">\n<tr><th "
       "class=\"l\">territory</th><th>accounts</th>";
  for (const auto& b : run.balance) h += "<th>" + xml_escape(b) + "</th><th>deviation</th>";
  h += std::string("<th>diameter") + (run.wgs84 ? " (km)" : "") + "</th>";
  if (run.wgs84) h += "<th>drive hours</th>";
  if (run.graph) h += "<th>contiguous</th>";
  if (tier) h += "<th>A-tier accounts</th>";
  if (run.staff)
    h += std::string("<th class=\"l\">rep</th><th>rep home to centre") + (run.wgs84 ? " (km)" : "") +
         "</th><th>travel, mean / max" + (run.wgs84 ? " (km)" : "") + "</th>";
  h += "</tr>\n";
  const territory::drive_time drive{};
  for (std::size_t t = 0; t < p && t < m.territories.size(); ++t) {
    const auto& tm = m.territories[t];
    const auto colour = t < map.colours.size() ? map.colours[t] : std::string("#cccccc");
    h += "<tr class=\"territory-row\"><td class=\"l\"><span class=\"swatch\" style=\"background:" + colour +
         "\"></span>" + xml_escape(territory_label(run, static_cast<territory::territory_index>(t))) + "</td><td>" +
         amount(static_cast<double>(tm.accounts)) + "</td>";
    for (std::size_t c = 0; c < cols; ++c) {
      const auto cc = static_cast<Eigen::Index>(c);
      const bool ok = std::abs(tm.deviation(cc)) <= run.tolerance[c] + 1e-9;
      h += "<td>" + amount(tm.sums(cc)) + "</td><td" + (ok ? "" : " class=\"bad\"") + ">" +
           percent(tm.deviation(cc), 2) + "</td>";
    }
    h += "<td>" + (run.wgs84 ? fixed(tm.diameter, 0) : amount(tm.diameter)) + "</td>";
    if (run.wgs84) h += "<td>" + fixed(tm.diameter * drive.road_factor / drive.speed_kmh, 1) + "</td>";
    if (run.graph) {
      h += tm.contiguous ? std::string("<td>yes</td>")
                         : "<td class=\"bad\">no (" + std::to_string(tm.components) + " pieces)</td>";
    }
    if (tier) h += "<td>" + std::to_string(tier_a[t]) + "</td>";
    if (run.staff) {
      const auto r = t < run.staffing.rep_of.size() ? run.staffing.rep_of[t] : territory::rep_assignment::no_rep;
      if (r == territory::rep_assignment::no_rep) {
        h += "<td class=\"l bad\">none</td><td>&mdash;</td><td>&mdash;</td>";
      } else {
        const int dp = run.wgs84 ? 0 : 2;
        const bool home = run.reps[r].home.has_value() && t < run.travel_mean.size();
        h += "<td class=\"l\">" + xml_escape(run.reps[r].id) + "</td><td>" +
             (run.reps[r].home ? fixed(run.staffing.distance[t], dp) : std::string("&mdash;")) + "</td><td>" +
             (home ? fixed(run.travel_mean[t], dp) + " / " + fixed(run.travel_max[t], dp) : std::string("&mdash;")) +
             "</td>";
      }
    }
    h += "</tr>\n";
  }
  h += "</table>\n";
  if (run.wgs84) {
    h += "<p class=\"sub\">Diameter: the largest great-circle distance between two accounts of the territory; drive "
         "hours: "
         "the library's estimate (territory::drive_time: " +
         fixed(drive.road_factor, 1) + " &times; the great-circle distance at " + fixed(drive.speed_kmh, 0) +
         " km/h).</p>\n";
  }
  h += "</section>\n";

  // ---- notes
  std::vector<std::string> notes = run.notes;
  notes.insert(notes.end(), map.notes.begin(), map.notes.end());
  if (!notes.empty()) {
    h += "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n";
    for (const auto& s : notes) h += "<li>" + xml_escape(s) + "</li>\n";
    h += "</ul>\n</section>\n";
  }
  h += "<footer>territory-cli " + std::to_string(TERRITORY_VERSION_MAJOR) + "." +
       std::to_string(TERRITORY_VERSION_MINOR) + "." + std::to_string(TERRITORY_VERSION_PATCH) + " &middot; status " +
       xml_escape(territory::to_string(run.why_stopped)) + ", " + std::to_string(run.iterations) + " iterations, " +
       std::to_string(run.moves) + " moves</footer>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace territory_cli
