#include "geojson.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "csv.hpp"

namespace territory_cli {

namespace {

using json = nlohmann::json;

/// The one-line name of a feature in messages: "feature 3 (id '19001')".
std::string feature_name(std::size_t index, const std::string& id) {
  return "feature " + std::to_string(index) + (id.empty() ? std::string() : " (id '" + id + "')");
}

struct feature_reader {
  const std::string& file;
  bool wgs84;
  std::size_t index = 0;
  std::string id;

  [[noreturn]] void fail(const std::string& what) const {
    throw input_error(file + ": " + feature_name(index, id) + ": " + what);
  }

  std::array<double, 2> position(const json& p, const std::string& where) const {
    if (!p.is_array() || p.size() < 2 || p.size() > 3) fail(where + ": a position must be [x, y] (or [x, y, z])");
    std::array<double, 2> out{};
    for (std::size_t k = 0; k < 2; ++k) {
      if (!p[k].is_number())
        fail(where + ": coordinate " + std::to_string(k) + " is not a number (" + p[k].dump() + ")");
      out[k] = p[k].get<double>();
      if (!std::isfinite(out[k])) fail(where + ": coordinate " + std::to_string(k) + " is not finite");
    }
    if (wgs84 && (out[0] < -180.0 || out[0] > 180.0 || out[1] < -90.0 || out[1] > 90.0)) {
      std::ostringstream s;
      s << where << ": [" << out[0] << ", " << out[1]
        << "] is not a longitude in [-180, 180] and latitude in [-90, 90]";
      fail(s.str());
    }
    return out;
  }

  geo_ring ring(const json& r, const std::string& where) const {
    if (!r.is_array()) fail(where + ": a ring must be an array of positions");
    geo_ring out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) out.push_back(position(r[i], where + " position " + std::to_string(i)));
    if (out.size() < 4) return {};  // degenerate (no area): dropped, as cartographic data has some
    if (out.front() != out.back()) fail(where + ": the ring is not closed (first position != last)");
    return out;
  }

  geo_polygon polygon(const json& rings, const std::string& where) const {
    if (!rings.is_array() || rings.empty()) fail(where + ": a polygon must be a non-empty array of rings");
    geo_polygon out;
    for (std::size_t k = 0; k < rings.size(); ++k) {
      auto r = ring(rings[k], where + " ring " + std::to_string(k));
      if (r.empty() && k == 0) return out;  // a degenerate outer ring: no polygon
      if (!r.empty()) out.rings.push_back(std::move(r));
    }
    return out;
  }

  geo_feature feature(const json& f) {
    id.clear();
    if (!f.is_object()) fail("not a JSON object");
    const json* idv = nullptr;
    if (auto it = f.find("id"); it != f.end()) idv = &*it;
    const auto props = f.find("properties");
    if (!idv && props != f.end() && props->is_object()) {
      if (auto it = props->find("id"); it != props->end()) idv = &*it;
    }
    if (!idv || idv->is_null()) fail("no 'id' (the account id it outlines)");
    if (idv->is_string())
      id = idv->get<std::string>();
    else if (idv->is_number_integer() || idv->is_number_unsigned())
      id = idv->dump();
    else
      fail("'id' must be a string or an integer, got " + idv->dump());
    if (id.empty()) fail("empty 'id'");
    geo_feature out;
    out.id = id;
    if (props != f.end() && props->is_object()) {
      if (auto it = props->find("name"); it != props->end() && it->is_string()) out.name = it->get<std::string>();
    }
    const auto g = f.find("geometry");
    if (g == f.end()) fail("no 'geometry'");
    if (g->is_null()) return out;  // a feature without a shape: drawn as a point
    if (!g->is_object()) fail("'geometry' is not an object");
    const auto type = g->find("type");
    const auto coords = g->find("coordinates");
    if (type == g->end() || !type->is_string()) fail("geometry without a 'type'");
    const auto t = type->get<std::string>();
    if (t != "Polygon" && t != "MultiPolygon")
      fail("geometry type '" + t + "' is not supported (Polygon or MultiPolygon)");
    if (coords == g->end()) fail("geometry without 'coordinates'");
    if (t == "Polygon") {
      if (auto pg = polygon(*coords, "polygon"); !pg.rings.empty()) out.polygons.push_back(std::move(pg));
    } else {
      if (!coords->is_array()) fail("MultiPolygon coordinates must be an array of polygons");
      for (std::size_t k = 0; k < coords->size(); ++k) {
        if (auto pg = polygon((*coords)[k], "polygon " + std::to_string(k)); !pg.rings.empty())
          out.polygons.push_back(std::move(pg));
      }
    }
    return out;
  }
};

}  // namespace

std::vector<geo_feature> parse_geojson(std::string_view text, const std::string& file, bool wgs84) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    // or, for a number beyond the range of a double, "[json.exception.out_of_range.406] number overflow
    // parsing '1e400'" (not a parse_error)
    std::string what = e.what();
    if (const auto at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    throw input_error(file + ": not valid JSON: " + what);
  }
  std::vector<geo_feature> out;
  feature_reader r{file, wgs84, 0, {}};
  if (!doc.is_object()) throw input_error(file + ": expected a GeoJSON FeatureCollection object");
  const auto type = doc.find("type");
  if (type != doc.end() && *type == "Feature") {
    out.push_back(r.feature(doc));
    return out;
  }
  const auto feats = doc.find("features");
  if (type == doc.end() || *type != "FeatureCollection" || feats == doc.end() || !feats->is_array()) {
    throw input_error(
        file + ": expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" with a \"features\" array)");
  }
  out.reserve(feats->size());
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < feats->size(); ++i) {
    r.index = i;
    out.push_back(r.feature((*feats)[i]));
    if (!seen.insert(out.back().id).second) r.fail("duplicate id (another feature has the same id)");
  }
  return out;
}

std::vector<geo_feature> load_geojson(const std::string& path, bool wgs84) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_geojson(buf.str(), path, wgs84);
}

}  // namespace territory_cli
