// Fuzz target: territory-cli's GeoJSON reader (plan --boundaries / --states) and the map drawn
// from what it accepts. The first byte chooses lat/lon (WGS84) or planar data; the rest is the
// file's text. parse_geojson() must either accept the text or throw input_error whose message
// starts with the file name and, printed as the CLI prints it, is one line. On an accepted file:
//   - every feature has a non-empty id and no two share one;
//   - every polygon has an outer ring; every ring has at least 4 positions, is closed, and every
//     position is finite (and a longitude/latitude in range for WGS84 data);
//   - the map of a small plan over these features (an account per feature id, at the feature's
//     first position, plus one account without a polygon) is drawn without throwing, is an SVG
//     document, and has no NaN or infinite number in it; drawing it twice gives the same bytes.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <territory/geo/haversine.hpp>
#include <territory/plan/metrics.hpp>

#include "csv.hpp"
#include "geojson.hpp"
#include "plan_report.hpp"
#include "plan_svg.hpp"

#include "fuzz/fuzz_support.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) { territory_fuzz::fail("geojson_fuzz", what); }

void check_features(const std::vector<territory_cli::geo_feature>& fs, bool wgs84) {
  std::unordered_set<std::string> ids;
  for (const auto& f : fs) {
    if (f.id.empty()) fail("a feature with an empty id");
    if (!ids.insert(f.id).second) fail("duplicate id accepted: " + f.id);
    for (const auto& pg : f.polygons) {
      if (pg.rings.empty()) fail("a polygon without rings in feature " + f.id);
      for (const auto& ring : pg.rings) {
        if (ring.size() < 4) fail("a ring of fewer than 4 positions in feature " + f.id);
        if (ring.front() != ring.back()) fail("an open ring in feature " + f.id);
        for (const auto& p : ring) {
          if (!std::isfinite(p[0]) || !std::isfinite(p[1])) fail("a non-finite position in feature " + f.id);
          if (wgs84 && (std::abs(p[0]) > 180.0 || std::abs(p[1]) > 90.0))
            fail("a longitude/latitude out of range in feature " + f.id);
        }
      }
    }
  }
}

/// Where `text` has "nan" or "inf" as a word of its own (a printed NaN or infinity, not part of
/// "dominant-baseline"), or npos.
std::size_t non_finite_number(const std::string& text) {
  const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (const std::string_view bad : {"nan", "inf"}) {
    for (auto at = text.find(bad); at != std::string::npos; at = text.find(bad, at + 1)) {
      const bool alone_before = at == 0 || !letter(text[at - 1]);
      const bool alone_after = at + 3 >= text.size() || !letter(text[at + 3]);
      if (alone_before && alone_after) return at;
    }
  }
  return std::string::npos;
}

/// The map of a plan over (up to 12 of) the features: must be a finite, deterministic SVG.
void check_map(const std::vector<territory_cli::geo_feature>& fs, bool wgs84) {
  const std::size_t n = std::min<std::size_t>(fs.size(), 12) + 1;
  std::vector<std::string> ids;
  Eigen::MatrixX2d xy(static_cast<Eigen::Index>(n), 2);
  for (std::size_t a = 0; a + 1 < n; ++a) {
    ids.push_back(fs[a].id);
    const auto& f = fs[a];
    const auto i = static_cast<Eigen::Index>(a);
    if (!f.polygons.empty()) {
      xy(i, 0) = f.polygons[0].rings[0][0][0];
      xy(i, 1) = f.polygons[0].rings[0][0][1];
    } else {
      xy(i, 0) = static_cast<double>(a);
      xy(i, 1) = static_cast<double>(a);
    }
  }
  ids.push_back("no polygon: " + std::to_string(n));
  xy(static_cast<Eigen::Index>(n - 1), 0) = 0.5;
  xy(static_cast<Eigen::Index>(n - 1), 1) = 0.5;
  const territory::account_table table(ids, xy,
                                       wgs84 ? territory::coordinate_system::wgs84 : territory::coordinate_system::planar);
  const auto p = static_cast<territory::territory_index>(std::min<std::size_t>(n, 3));
  territory::plan pl(n, p);
  for (std::size_t a = 0; a < n; ++a)
    pl.assign(static_cast<territory::account_index>(a), static_cast<territory::territory_index>(a % p));

  territory_cli::plan_run run;
  run.accounts = &table;
  run.accounts_file = "fuzz.csv";
  run.balance = {"count"};
  run.tolerance = {0.05};
  run.wgs84 = wgs84;
  run.activities = Eigen::MatrixXd::Ones(static_cast<Eigen::Index>(n), 1);
  run.assignment = pl;
  const territory::plan_metrics_options eo{.tolerance = run.tolerance, .activity_names = run.balance};
  run.metrics = wgs84 ? territory::evaluate_plan(run.activities, xy, nullptr, pl, eo, territory::haversine{})
                      : territory::evaluate_plan(run.activities, xy, nullptr, pl, eo);
  const territory_cli::map_layers layers{.units = &fs, .states = &fs};
  const auto map = territory_cli::draw_plan_map(run, layers);
  if (map.svg.rfind("<?xml", 0) != 0 || map.svg.find("<svg ") == std::string::npos) fail("not an SVG document");
  if (const auto at = non_finite_number(map.svg); at != std::string::npos)
    fail("the map has a NaN or infinite number: ..." + map.svg.substr(at < 60 ? 0 : at - 60, 120));
  if (map.svg != territory_cli::draw_plan_map(run, layers).svg) fail("the map is not deterministic");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool wgs84 = (data[0] & 1U) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<territory_cli::geo_feature> fs;
  try {
    fs = territory_cli::parse_geojson(text, "fuzz.geojson", wgs84);
  } catch (const territory_cli::input_error& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.geojson: ", 0) != 0) fail("a message that does not name the file: " + what);
    const auto line = territory_cli::one_line(territory_cli::abbreviate_quoted(what));
    for (const char c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) fail("a message that is not one printable line");
    }
    return 0;
  }
  check_features(fs, wgs84);
  if (!fs.empty()) check_map(fs, wgs84);
  return 0;
}
