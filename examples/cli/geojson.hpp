#pragma once

// territory-cli: reading polygons for maps (plan --boundaries, --states) from GeoJSON
// (RFC 7946) with nlohmann/json. Only the CLI reads GeoJSON; the library does no I/O and
// does not depend on nlohmann/json.

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace territory_cli {

/// One ring of a polygon: positions as (x, y) = (lon, lat) for WGS84 data; closed (first == last).
using geo_ring = std::vector<std::array<double, 2>>;

/// A polygon: the outer ring first, then its holes.
struct geo_polygon {
  std::vector<geo_ring> rings;
};

/// One feature: its id (a string, or an integer written in decimal) and its polygons
/// (one for a Polygon, several for a MultiPolygon, none for a null geometry).
struct geo_feature {
  std::string id;
  std::string name;  ///< properties.name when it is a string, else empty
  std::vector<geo_polygon> polygons;
};

/// Parses a GeoJSON FeatureCollection (or a single Feature) of Polygon / MultiPolygon
/// features. `file` is used in messages only. Each feature needs an `id` (string or
/// integer; `properties.id` is accepted too). Throws input_error with one line naming the
/// file and the feature (index and id) for: JSON syntax errors, a missing id, an unsupported
/// geometry type, a position that is not two or three finite numbers, a ring that is not closed;
/// with `wgs84`, a longitude outside [-180, 180] or latitude outside [-90, 90]. A duplicate id
/// is an error too. Rings of fewer than 4 positions (degenerate, no area; the Census
/// cartographic files have a few) are dropped, and a polygon whose outer ring is dropped with
/// them. Complexity: O(size of the text).
[[nodiscard]] std::vector<geo_feature> parse_geojson(std::string_view text, const std::string& file, bool wgs84);

/// Reads and parses a GeoJSON file (see parse_geojson). Throws input_error when the file cannot be read.
[[nodiscard]] std::vector<geo_feature> load_geojson(const std::string& path, bool wgs84);

}  // namespace territory_cli
