#pragma once

// territory-cli plan --svg: the map of a plan.
//
// With --boundaries (GeoJSON polygons whose feature id is the account id) every account is
// drawn as its polygon filled with its territory's colour, with thin white unit borders and a
// thick dark line along every border between two territories (edges of unit polygons shared by
// different territories); accounts without a polygon are drawn as dots. Without polygons every
// account is a dot and short dark strokes across adjacency edges between territories trace the
// borders. Territory colours come from a DSATUR colouring of the territory adjacency graph
// (shared polygon edges, adjacency edges; without either, the 3 nearest territory centres) over
// the Tableau 10 palette, so neighbouring territories always differ and colours are spread out.
//
// Lat/lon data is drawn in an Albers equal-area conic projection: the USGS conterminous-US one
// (standard parallels 29.5° and 45.5° N, origin 37.5° N 96° W) when the data's median point is in
// the conterminous US, else one fitted to the data's latitude range; planar x,y data as is.
// Groups of lat/lon accounts far from the main group (Alaska, Hawaii, Puerto Rico in the
// all-US data) get insets below the map, each in its own fitted projection and scale.
// --states draws state (or any region) outlines over the units. With --reps, rep homes are
// marked. The title states p, n, feasibility, the max deviation and the Gini coefficient of the
// first balanced column; the legend lists every territory (up to 60) with its accounts, its
// balanced sums and deviations, and its rep.

#include <string>
#include <string_view>
#include <vector>

#include "geojson.hpp"
#include "plan_report.hpp"

namespace territory_cli {

/// Optional layers of the map.
struct map_layers {
  const std::vector<geo_feature>* units = nullptr;   ///< --boundaries: polygon per account id
  const std::vector<geo_feature>* states = nullptr;  ///< --states: outlines drawn over the units
};

/// The map and what a report needs to refer to it.
struct plan_map {
  std::string svg;                   ///< the SVG document, with an XML declaration
  std::vector<std::string> colours;  ///< per territory index: its fill colour (#rrggbb)
  std::size_t accounts_with_polygon = 0;
  std::vector<std::string> notes;  ///< e.g. accounts in far-away areas that are not drawn
};

/// Draws the map. Deterministic (a pure function of its inputs). O(n + vertices + p²).
[[nodiscard]] plan_map draw_plan_map(const plan_run& run, const map_layers& layers = {});

/// The SVG document of the map (draw_plan_map(run, layers).svg).
[[nodiscard]] std::string plan_svg(const plan_run& run, const map_layers& layers = {});

/// Territory adjacency used for colouring: territories s and t are adjacent when an adjacency
/// edge or a shared polygon edge joins an account of s and one of t. Sorted, unique lists.
[[nodiscard]] std::vector<std::vector<std::uint32_t>> territory_adjacency(const plan_run& run,
                                                                          const map_layers& layers);

/// `in` with &, <, > and " replaced by their XML entities (SVG text and HTML). O(|in|).
std::string xml_escape(std::string_view in);

}  // namespace territory_cli
