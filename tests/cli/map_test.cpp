// territory-cli maps and reports: the GeoJSON reader, the Albers projection, the territory
// colouring and the map / HTML writers (examples/cli/geojson.*, map_geometry.hpp, plan_svg.*,
// plan_html.*), on small inline inputs and on the shipped US counties data; and the flag table
// that parses every command's flags and generates its help (args.*).

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>

#include <territory/geo/haversine.hpp>
#include <territory/plan/metrics.hpp>

#include "args.hpp"
#include "csv.hpp"
#include "geojson.hpp"
#include "input.hpp"
#include "map_geometry.hpp"
#include "plan_html.hpp"
#include "plan_svg.hpp"

using namespace territory_cli;

namespace {

/// The message of the input_error that `f` throws ("" if it throws none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}

std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t k = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++k;
  return k;
}

}  // namespace

TEST_CASE("geojson: a Polygon feature, integer and string ids, properties.name") {
  const auto f = parse_geojson(R"({"type":"FeatureCollection","features":[
      {"type":"Feature","id":19001,"properties":{"name":"Adair"},
       "geometry":{"type":"Polygon","coordinates":[[[-94.7,41.5],[-94.2,41.5],[-94.2,41.2],[-94.7,41.2],[-94.7,41.5]]]}},
      {"type":"Feature","id":"x","properties":{},"geometry":null}]})",
                               "t.geojson", true);
  REQUIRE(f.size() == 2);
  CHECK(f[0].id == "19001");
  CHECK(f[0].name == "Adair");
  REQUIRE(f[0].polygons.size() == 1);
  REQUIRE(f[0].polygons[0].rings.size() == 1);
  CHECK(f[0].polygons[0].rings[0].size() == 5);
  CHECK(f[0].polygons[0].rings[0][1][0] == doctest::Approx(-94.2));
  CHECK(f[0].polygons[0].rings[0][1][1] == doctest::Approx(41.5));
  CHECK(f[1].id == "x");
  CHECK(f[1].polygons.empty());  // null geometry: drawn as a point
}

TEST_CASE("geojson: a MultiPolygon with a hole; degenerate rings are dropped") {
  const auto f = parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"m",
      "geometry":{"type":"MultiPolygon","coordinates":[
        [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[3,2],[3,3],[2,2]],[[5,5],[5,5]]],
        [[[20,0],[21,0],[21,1],[20,0]]]]}}]})",
                               "m.geojson", false);
  REQUIRE(f.size() == 1);
  REQUIRE(f[0].polygons.size() == 2);
  CHECK(f[0].polygons[0].rings.size() == 2);  // outer + hole; the 2-position ring is gone
  CHECK(f[0].polygons[1].rings.size() == 1);
}

TEST_CASE("geojson: bad files give one line naming the file and the feature") {
  const auto missing_id = error_of([] {
    (void)parse_geojson(R"({"type":"FeatureCollection","features":[
        {"type":"Feature","id":"a","geometry":null},
        {"type":"Feature","properties":{"name":"b"},"geometry":null}]})",
                        "s.geojson", true);
  });
  CHECK(missing_id == "s.geojson: feature 1: no 'id' (the account id it outlines)");

  const auto bad_coordinate = error_of([] {
    (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"19001",
        "geometry":{"type":"Polygon","coordinates":[[[-94.7,41.5],["east",41.5],[-94.2,41.2],[-94.7,41.5]]]}}]})",
                        "s.geojson", true);
  });
  CHECK(bad_coordinate.find(
            "s.geojson: feature 0 (id '19001'): polygon ring 0 position 1: coordinate 0 is not a number") == 0);

  const auto out_of_range = error_of([] {
    (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"k",
        "geometry":{"type":"Polygon","coordinates":[[[-94.7,41.5],[-94.2,141.5],[-94.2,41.2],[-94.7,41.5]]]}}]})",
                        "s.geojson", true);
  });
  CHECK(out_of_range.find("feature 0 (id 'k'): polygon ring 0 position 1:") != std::string::npos);
  CHECK(out_of_range.find("latitude in [-90, 90]") != std::string::npos);

  CHECK(error_of([] {
          (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"u",
        "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]})",
                              "s.geojson", false);
        }).find("feature 0 (id 'u'): polygon ring 0: the ring is not closed") != std::string::npos);
  CHECK(error_of([] {
          (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"l",
        "geometry":{"type":"LineString","coordinates":[[0,0],[1,0]]}}]})",
                              "s.geojson", false);
        }) == "s.geojson: feature 0 (id 'l'): geometry type 'LineString' is not supported (Polygon or MultiPolygon)");
  CHECK(error_of([] {
          (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"d","geometry":null},
        {"type":"Feature","id":"d","geometry":null}]})",
                              "s.geojson", false);
        }) == "s.geojson: feature 1 (id 'd'): duplicate id (another feature has the same id)");
  CHECK(error_of([] {
          (void)parse_geojson(R"({"type":"FeatureCollection","features":[)", "s.geojson", false);
        }).find("s.geojson: not valid JSON: parse error at line 1") == 0);
  CHECK(error_of([] { (void)parse_geojson(R"([1, 2])", "s.geojson", false); }).find("s.geojson: expected a GeoJSON") ==
        0);
  CHECK(error_of([] { (void)load_geojson("/nonexistent/shapes.geojson", true); }) ==
        "/nonexistent/shapes.geojson: cannot open file");
  // a number beyond a double is nlohmann's out_of_range, not a parse_error (fuzzer finding)
  CHECK(error_of([] {
          (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"h",
        "geometry":{"type":"Polygon","coordinates":[[[0,0],[1e2300,0],[1,1],[0,0]]]}}]})",
                              "s.geojson", false);
        }) == "s.geojson: not valid JSON: number overflow parsing '1e2300'");
  // a geometry type with a newline in it: the message the CLI prints is still one line
  const auto newline = error_of([] {
    (void)parse_geojson(R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"n",
        "geometry":{"type":"Poly\ngon\u0001","coordinates":[]}}]})",
                        "s.geojson", false);
  });
  CHECK(newline.find('\n') != std::string::npos);
  CHECK(one_line(newline) ==
        "s.geojson: feature 0 (id 'n'): geometry type 'Poly\\ngon\\x01' is not supported (Polygon or MultiPolygon)");
}

TEST_CASE("plan map: planar data spanning more than the largest double still has finite positions") {
  const auto units = parse_geojson(R"({"type":"FeatureCollection","features":[
      {"type":"Feature","id":"a","geometry":{"type":"Polygon","coordinates":[[[-1.7e308,0],[-1.6e308,0],[-1.6e308,1],[-1.7e308,0]]]}},
      {"type":"Feature","id":"b","geometry":{"type":"Polygon","coordinates":[[[1.6e308,0],[1.7e308,0],[1.7e308,1],[1.6e308,0]]]}}]})",
                                   "x.geojson", false);
  Eigen::MatrixX2d xy(2, 2);
  xy << -1.65e308, 0.5, 1.65e308, 0.5;
  const territory::account_table table({"a", "b"}, xy);
  territory::plan pl(2, 2);
  pl.assign(0, 0);
  pl.assign(1, 1);
  plan_run run;
  run.accounts = &table;
  run.balance = {"count"};
  run.tolerance = {0.05};
  run.activities = Eigen::MatrixXd::Ones(2, 1);
  run.assignment = pl;
  run.metrics = territory::evaluate_plan(run.activities, xy, nullptr, pl, {.tolerance = run.tolerance});
  const auto map = draw_plan_map(run, {.units = &units});
  CHECK(map.accounts_with_polygon == 2);
  CHECK_FALSE(std::regex_search(map.svg, std::regex("[^a-z](nan|inf)[^a-z]")));  // not "dominant-baseline"
  CHECK(map.svg.find("width=\"-") == std::string::npos);
}

TEST_CASE("albers: origin, symmetry, Snyder's worked example and equal area") {
  const auto us = albers::conus();
  const auto o = us.forward(-96.0, 37.5);
  CHECK(o[0] == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(std::abs(o[1]) < 1e-9);
  for (double d : {1.0, 7.5, 30.0}) {
    for (double lat : {25.0, 37.5, 49.0}) {
      const auto e = us.forward(-96.0 + d, lat), w = us.forward(-96.0 - d, lat);
      CHECK(e[0] > 0);
      CHECK(e[0] == doctest::Approx(-w[0]).epsilon(1e-12));
      CHECK(e[1] == doctest::Approx(w[1]).epsilon(1e-12));
    }
  }
  // north is up on the central meridian
  CHECK(us.forward(-96.0, 45.0)[1] > us.forward(-96.0, 30.0)[1]);

  // Snyder (1987), Map Projections: A Working Manual, p. 292: R = 1, parallels 29.5/45.5,
  // origin 23° N 96° W; (35° N, 75° W) -> x = 0.2952720, y = 0.2416774
  const albers snyder(29.5, 45.5, 23.0, -96.0, 1.0);
  const auto s = snyder.forward(-75.0, 35.0);
  CHECK(s[0] == doctest::Approx(0.2952720).epsilon(1e-6));
  CHECK(s[1] == doctest::Approx(0.2416774).epsilon(1e-6));

  // equal area: a 2°×2° cell keeps its area on the sphere, R²·Δλ·(sin φ2 − sin φ1)
  const double lon0 = -80.0, lat1 = 40.0, lon1 = -78.0, lat2 = 42.0;
  double area = 0;  // shoelace over the cell's outline, parallels subdivided (they are arcs)
  std::vector<std::array<double, 2>> ring;
  constexpr int k = 200;
  for (int i = 0; i <= k; ++i) ring.push_back(us.forward(lon0 + (lon1 - lon0) * i / k, lat1));
  for (int i = 0; i <= k; ++i) ring.push_back(us.forward(lon1 - (lon1 - lon0) * i / k, lat2));
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto& a = ring[i];
    const auto& b = ring[(i + 1) % ring.size()];
    area += a[0] * b[1] - b[0] * a[1];
  }
  area = std::abs(area) / 2;
  const double r = us.radius, deg = albers::deg;
  const double sphere = r * r * (lon1 - lon0) * deg * (std::sin(lat2 * deg) - std::sin(lat1 * deg));
  CHECK(area == doctest::Approx(sphere).epsilon(1e-5));

  // antimeridian: 172° E is 92° west of the central meridian, next to 172° W... not 268° east
  CHECK(us.dlon(172.0) == doctest::Approx(-92.0));
  // the cylindrical fallback for parallels symmetric about the equator
  const albers cyl(-10.0, 10.0, 0.0, 0.0);
  CHECK(cyl.forward(0.0, 0.0)[0] == doctest::Approx(0.0));
  CHECK(cyl.forward(10.0, 0.0)[0] > 0);
}

TEST_CASE("colour_graph: neighbours always differ, deterministic, spread over the palette") {
  // a wheel: hub 0 and a 7-cycle (odd): needs 4 colours
  std::vector<std::vector<std::uint32_t>> wheel(8);
  auto link = [&](std::uint32_t a, std::uint32_t b) {
    wheel[a].push_back(b);
    wheel[b].push_back(a);
  };
  for (std::uint32_t i = 1; i <= 7; ++i) {
    link(0, i);
    link(i, i % 7 + 1);
  }
  for (bool spread : {false, true}) {
    const auto c = colour_graph(wheel, 10, spread);
    for (std::uint32_t a = 0; a < 8; ++a) {
      for (auto b : wheel[a]) CHECK(c[a] != c[b]);
    }
    CHECK(c == colour_graph(wheel, 10, spread));
    const std::set<int> used(c.begin(), c.end());
    if (!spread) CHECK(used.size() == 4);  // DSATUR is optimal on wheels
  }
  // a complete graph larger than the palette still gets distinct colours
  std::vector<std::vector<std::uint32_t>> k12(12);
  for (std::uint32_t a = 0; a < 12; ++a) {
    for (std::uint32_t b = 0; b < 12; ++b) {
      if (a != b) k12[a].push_back(b);
    }
  }
  const auto c = colour_graph(k12, 10);
  CHECK(std::set<int>(c.begin(), c.end()).size() == 12);
}

TEST_CASE("plan map on the US counties: neighbouring territories never share a colour") {
  // the lower-48 counties, one territory per state (49 territories, a real planar map)
  const std::string dir = TERRITORY_DATA_DIR "/us_counties_lower48/";
  const auto acc = load_accounts(dir + "accounts.csv");
  const auto edges = load_adjacency(dir + "adjacency.csv", acc);
  const auto graph = territory::adjacency::from_edges(acc.table.size(), edges.edges);
  const auto units = load_geojson(dir + "shapes.geojson", true);
  const auto states = load_geojson(dir + "states.geojson", true);
  const auto& st = acc.table.attribute("state");
  std::map<std::string, territory::territory_index> index;
  for (const auto& s : st) index.emplace(s, 0);
  territory::territory_index k = 0;
  for (auto& [s, t] : index) t = k++;
  REQUIRE(index.size() == 49);
  territory::plan pl(acc.table.size(), k);
  for (std::size_t a = 0; a < acc.table.size(); ++a) pl.assign(static_cast<territory::account_index>(a), index[st[a]]);

  plan_run run;
  run.accounts = &acc.table;
  run.graph = &graph;
  run.accounts_file = "accounts.csv";
  run.balance = {"population"};
  run.tolerance = {0.05};
  run.wgs84 = true;
  run.activities = acc.table.select_activities(run.balance);
  run.assignment = pl;
  run.metrics =
      territory::evaluate_plan(run.activities, acc.table.coordinates(), &graph, pl,
                               {.tolerance = run.tolerance, .activity_names = run.balance}, territory::haversine{});

  const map_layers layers{.units = &units, .states = &states};
  const auto tadj = territory_adjacency(run, layers);
  const auto ia = index["IA"], mn = index["MN"], ca = index["CA"], me = index["ME"], nh = index["NH"];
  CHECK(std::find(tadj[ia].begin(), tadj[ia].end(), mn) != tadj[ia].end());
  CHECK(std::find(tadj[me].begin(), tadj[me].end(), nh) != tadj[me].end());
  CHECK(tadj[me].size() == 1);  // Maine borders New Hampshire only
  CHECK(std::find(tadj[ca].begin(), tadj[ca].end(), ia) == tadj[ca].end());

  const auto map = draw_plan_map(run, layers);
  REQUIRE(map.colours.size() == 49);
  std::size_t pairs = 0;
  for (std::size_t s = 0; s < tadj.size(); ++s) {
    for (auto t : tadj[s]) {
      CHECK(map.colours[s] != map.colours[t]);
      ++pairs;
    }
  }
  CHECK(pairs > 200);  // 49 states have ~110 borders, each listed from both sides
  // 51515 Bedford city has no polygon and 51610 Falls Church only a degenerate one (no area at
  // 1:10,000,000): two dots, plus the legend's dot
  CHECK(map.accounts_with_polygon == 3107);
  CHECK(map.svg.find("<svg ") != std::string::npos);
  CHECK(map.svg.find("Gini(population)") != std::string::npos);
  CHECK(count_of(map.svg, "<circle ") == 3);
  CHECK(map.svg.find("state line") != std::string::npos);
  CHECK(map.svg == draw_plan_map(run, layers).svg);  // deterministic

  const auto html = plan_html(run, map);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count_of(html, "<tr class=\"territory-row\">") == 49);
  CHECK(count_of(html, "<tr class=\"constraint-row\">") == 3);  // balance, contiguity, assignment
  CHECK(html.find("Not feasible") != std::string::npos);        // states are far from balanced
  CHECK(html.find("http") == std::string::npos);                // self-contained: nothing to fetch
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<svg ") != std::string::npos);
}

TEST_CASE("cli flag table: one table parses the flags and generates the help") {
  const command_spec spec{"demo",
                          "Demonstrates the flag table.",
                          {{"--in", "FILE", "Input file.", "", true},
                           {"--limit", "N", "How many.", "10"},
                           {"--out", "FILE", "Output file.", ""},
                           {"--quiet", "", "Say less.", ""}},
                          "Exit status: 0."};
  auto parse = [&](std::vector<std::string> words) {
    std::vector<char*> argv{const_cast<char*>("territory-cli"), const_cast<char*>("demo")};
    for (auto& w : words) argv.push_back(w.data());
    return args(static_cast<int>(argv.size()), argv.data(), 2, spec);
  };
  auto usage_message = [&](std::vector<std::string> words) -> std::string {
    try {
      (void)parse(std::move(words));
    } catch (const usage_error& e) {
      return e.what();
    }
    return "";
  };

  SUBCASE("the help lists every flag of the table, its value, default and the required marker") {
    const std::string h = spec.help();
    CHECK(h.rfind("usage: territory-cli demo --in FILE [--limit N] [--out FILE] [--quiet]\n", 0) == 0);
    for (const auto& f : spec.flags) CHECK(h.find("\n  " + f.name) != std::string::npos);
    CHECK(h.find("Required. Input file.") != std::string::npos);
    CHECK(h.find("How many. Default: 10.") != std::string::npos);
    CHECK(h.find("-h, --help") != std::string::npos);
    CHECK(h.find("Exit status: 0.") != std::string::npos);
  }
  SUBCASE("--help or -h where a flag is expected wins over every other problem") {
    for (const char* h : {"--help", "-h"}) {
      CHECK_THROWS_AS((void)parse({"--bogus", h}), help_requested);
      CHECK_THROWS_AS((void)parse({"--limit", "x", "--limit", "y", h}), help_requested);
    }
    // as the value of a flag it is a value
    const auto a = parse({"--in", "a.csv", "--out", "-h"});
    CHECK(*a.get("--out") == "-h");
  }
  SUBCASE("parsing: defaults, switches, required flags, errors with the contract's messages") {
    const auto a = parse({"--in", "a.csv", "--quiet"});
    CHECK(a.require("--in") == "a.csv");
    CHECK(*a.get_int("--limit", 0, 100) == 10);  // the table's default
    CHECK_FALSE(a.has("--limit"));               // ... which was not given
    CHECK_FALSE(a.get("--out").has_value());
    CHECK(a.has("--quiet"));
    CHECK(usage_message({}) == "missing required argument '--in'");
    CHECK(usage_message({"--in", "a", "--bogus"}) == "unknown argument '--bogus'");
    CHECK(usage_message({"--in", "a", "--in", "b"}) == "'--in' given twice");
    CHECK(usage_message({"--in"}) == "'--in' needs a value");
    CHECK(usage_message({"--in", "a", "--limit", "x"}).empty());  // values are checked when read
    CHECK_THROWS_WITH_AS((void)parse({"--in", "a", "--limit", "x"}).get_int("--limit", 0, 100),
                         "'--limit' must be an integer in [0, 100], got 'x'", usage_error);
  }
  SUBCASE("reading a flag the table does not declare is a programming error, not a silent nullopt") {
    const auto a = parse({"--in", "a.csv"});
    CHECK_THROWS_AS((void)a.get("--limits"), std::logic_error);
    CHECK_THROWS_AS((void)a.has("--verbose"), std::logic_error);
    CHECK_THROWS_AS((void)a.require("--input"), std::logic_error);
  }
}
