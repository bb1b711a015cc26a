#include "plan_report.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "output.hpp"

namespace territory_cli {

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  if (x == 0.0) return "0";  // also turns -0 into 0
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc{}) {
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
  }
  return std::string(buf, end);
}

std::string assignment_csv(const plan_run& run) {
  const auto& ids = run.accounts->ids();
  std::string out = "id,territory\n";
  out.reserve(ids.size() * 12);
  for (std::size_t a = 0; a < ids.size(); ++a) {
    out += csv_field(ids[a]);
    out += ',';
    const auto t = run.assignment[static_cast<territory::account_index>(a)];
    if (t != territory::no_territory) out += csv_field(territory_label(run, t));
    out += '\n';
  }
  return out;
}

namespace {

/// Keys a territory object already uses; a balanced column with such a name is only under "sums".
bool reserved_key(std::string_view k) {
  for (const char* r : {"id", "accounts", "sums", "deviation", "max_deviation", "diameter", "diameter_km",
                        "distance_to_centre", "distance_to_centre_km", "centre", "contiguous", "components", "rep",
                        "rep_distance", "rep_distance_km"}) {
    if (k == r) return true;
  }
  return false;
}

void violation_list(std::string& j, const std::vector<territory::violation>& vs, const plan_run& run) {
  j += "[";
  for (std::size_t i = 0; i < vs.size(); ++i) {
    const auto& v = vs[i];
    j += i == 0 ? "\n    " : ",\n    ";
    j += "{\"kind\": " + quoted(territory::to_string(v.kind));
    j += ", \"territory\": ";
    j += v.territory == territory::no_territory ? "null" : territory_json(run, v.territory);
    j += ", \"subject\": " + quoted(v.subject);
    j += ", \"amount\": " + json_number(v.amount);
    j += ", \"reason\": " + quoted(with_account_names(v.reason, *run.accounts)) + "}";
  }
  j += vs.empty() ? "]" : "\n  ]";
}

}  // namespace

std::string quoted(std::string_view s) { return "\"" + json_escape(s) + "\""; }

std::string column_object(const plan_run& run, const Eigen::VectorXd& v) {
  std::string j = "{";
  for (std::size_t c = 0; c < run.balance.size(); ++c) {
    if (c > 0) j += ", ";
    j += quoted(run.balance[c]) + ": " + json_number(v(static_cast<Eigen::Index>(c)));
  }
  return j + "}";
}

std::string territory_json(const plan_run& run, territory::territory_index t) {
  if (run.territory_names.empty()) return std::to_string(territory_id(t));
  return quoted(territory_label(run, t));
}

std::string with_account_names(const std::string& reason, const territory::account_table& accounts) {
  if (!accounts.has_attribute("name")) return reason;
  const auto& names = accounts.attribute("name");
  std::string out;
  std::size_t pos = 0;
  const std::string key = "account '";
  while (true) {
    const auto at = reason.find(key, pos);
    if (at == std::string::npos) break;
    const auto close = reason.find('\'', at + key.size());
    if (close == std::string::npos) break;
    out.append(reason, pos, close + 1 - pos);
    const auto id = reason.substr(at + key.size(), close - at - key.size());
    if (const auto a = accounts.find(id); a && !names[*a].empty()) out += " (" + names[*a] + ")";
    pos = close + 1;
  }
  out.append(reason, pos, std::string::npos);
  return out;
}

std::string report_json(const plan_run& run) {
  const auto& m = run.metrics;
  const std::string dkey = run.wgs84 ? "diameter_km" : "diameter";
  const std::string ckey = run.wgs84 ? "distance_to_centre_km" : "distance_to_centre";
  std::string j = "{\n";
  j += "  \"format\": \"territory-plan-report/1\",\n";
  j += "  \"accounts_file\": " + quoted(run.accounts_file) + ",\n";
  j += "  \"adjacency_file\": " + (run.adjacency_file.empty() ? std::string("null") : quoted(run.adjacency_file)) + ",\n";
  j += "  \"n\": " + std::to_string(run.assignment.size()) + ",\n";
  j += "  \"p\": " + std::to_string(run.assignment.territory_count()) + ",\n";
  j += std::string("  \"territory_ids\": ") + (run.territory_names.empty() ? "\"1..p\"" : "\"owner\"") + ",\n";
  j += "  \"coordinates\": " + quoted(run.wgs84 ? "wgs84" : "planar") + ",\n";
  j += "  \"distance\": " + quoted(run.wgs84 ? "haversine_km" : "euclidean") + ",\n";
  j += "  \"balance\": [";
  for (std::size_t c = 0; c < run.balance.size(); ++c) j += (c ? ", " : "") + quoted(run.balance[c]);
  j += "],\n";
  j += "  \"tolerance\": {";
  for (std::size_t c = 0; c < run.balance.size(); ++c) {
    j += (c ? ", " : "") + quoted(run.balance[c]) + ": " + json_number(run.tolerance[c]);
  }
  j += "},\n";
  j += "  \"seed\": " + std::to_string(run.seed) + ",\n";
  j += "  \"threads\": " + std::to_string(run.threads) + ",\n";
  j += "  \"time_limit\": " + json_number(run.time_limit) + ",\n";
  j += "  \"compactness\": " + quoted(territory::to_string(run.compactness)) + ",\n";
  j += "  \"seconds\": " + json_number(run.seconds) + ",\n";
  j += "  \"seconds_to_feasible\": " + (run.seconds_to_feasible >= 0 ? json_number(run.seconds_to_feasible) : std::string("null")) + ",\n";
  j += "  \"status\": " + quoted(territory::to_string(run.why_stopped)) + ",\n";
  j += "  \"iterations\": " + std::to_string(run.iterations) + ",\n";
  j += "  \"moves\": " + (run.moves_json.empty() ? std::to_string(run.moves) : run.moves_json) + ",\n";
  j += "  \"graph_components\": " + std::to_string(m.graph_components) + ",\n";
  if (run.connect_islands) {  // --connect-islands: the links added to the adjacency, shortest first
    j += "  \"graph_components_before\": " + std::to_string(run.components_before) + ",\n";
    j += "  \"added_links\": [";
    for (std::size_t i = 0; i < run.added_links.size(); ++i) {
      const auto& l = run.added_links[i];
      j += std::string(i ? ", " : "") + "{\"from\": " + quoted(l.from) + ", \"to\": " + quoted(l.to) + ", \"" +
           (run.wgs84 ? "distance_km" : "distance") + "\": " + json_number(l.distance) + "}";
    }
    j += "],\n";
  }
  j += "  \"feasible\": " + std::string(m.feasible() ? "true" : "false") + ",\n";
  j += "  \"engine_feasible\": " + std::string(run.engine_feasible ? "true" : "false") + ",\n";
  j += "  \"max_deviation\": " + json_number(m.max_deviation) + ",\n";
  j += "  \"max_" + dkey + "\": " + json_number(m.max_diameter) + ",\n";
  j += "  \"diameters_exact\": " + std::string(m.diameters_exact ? "true" : "false") + ",\n";
  j += "  \"total_" + ckey + "\": " + json_number(m.total_distance_to_centres) + ",\n";
  j += "  \"noncontiguous_territories\": " + std::to_string(m.noncontiguous) + ",\n";
  j += "  \"cut_edges\": " + std::to_string(m.cut_edges) + ",\n";
  j += "  \"totals\": " + column_object(run, m.totals) + ",\n";
  j += "  \"means\": " + column_object(run, m.means) + ",\n";
  j += "  \"gini\": " + column_object(run, m.gini) + ",\n";
  j += "  \"cv\": " + column_object(run, m.cv) + ",\n";
  j += "  \"min\": " + column_object(run, m.min_sums) + ",\n";
  j += "  \"max\": " + column_object(run, m.max_sums) + ",\n";
  j += "  \"territories\": [";
  for (std::size_t t = 0; t < m.territories.size(); ++t) {
    const auto& tm = m.territories[t];
    j += t == 0 ? "\n    " : ",\n    ";
    j += "{\"id\": " + territory_json(run, static_cast<territory::territory_index>(t));
    j += ", \"accounts\": " + std::to_string(tm.accounts);
    for (std::size_t c = 0; c < run.balance.size(); ++c) {
      if (reserved_key(run.balance[c])) continue;
      j += ", " + quoted(run.balance[c]) + ": " + json_number(tm.sums(static_cast<Eigen::Index>(c)));
    }
    j += ", \"sums\": " + column_object(run, tm.sums);
    j += ", \"deviation\": " + column_object(run, tm.deviation);
    j += ", \"max_deviation\": " + json_number(tm.max_deviation);
    j += ", \"" + dkey + "\": " + json_number(tm.diameter);
    j += ", \"" + ckey + "\": " + json_number(tm.distance_to_centre);
    j += ", \"centre\": [" + json_number(tm.centre[0]) + ", " + json_number(tm.centre[1]) + "]";
    j += ", \"contiguous\": " + std::string(tm.contiguous ? "true" : "false");
    j += ", \"components\": " + std::to_string(tm.components);
    if (run.staff) {  // with --reps: who staffs the territory, and how far they live from its centre
      const auto r = run.staffing.rep_of[t];
      const bool none = r == territory::rep_assignment::no_rep;
      j += ", \"rep\": " + (none ? std::string("null") : quoted(run.reps[r].id));
      j += ", \"" + std::string(run.wgs84 ? "rep_distance_km" : "rep_distance") + "\": " +
           (none || !run.reps[r].home ? std::string("null") : json_number(run.staffing.distance[t]));
      // travel: from the rep's home to the territory's accounts (mean and farthest)
      const bool far = t < run.travel_mean.size() && !none && run.reps[r].home;
      j += ", \"" + std::string(run.wgs84 ? "travel_mean_km" : "travel_mean") + "\": " +
           (far ? json_number(run.travel_mean[t]) : std::string("null"));
      j += ", \"" + std::string(run.wgs84 ? "travel_max_km" : "travel_max") + "\": " +
           (far ? json_number(run.travel_max[t]) : std::string("null"));
      if (t < run.rep_capacity.size()) j += ", \"target_capacity\": " + json_number(run.rep_capacity[t]);
    }
    j += "}";
  }
  j += m.territories.empty() ? "],\n" : "\n  ],\n";
  j += "  \"violations\": ";
  violation_list(j, m.violations, run);
  j += ",\n  \"precheck\": ";
  violation_list(j, run.precheck, run);
  // every hard constraint of the engine's call: whether it holds, its slack or largest violation
  j += ",\n  \"constraints\": [";
  for (std::size_t i = 0; i < run.engine_constraints.size(); ++i) {
    const auto& c = run.engine_constraints[i];
    j += std::string(i ? "," : "") + "\n    {\"name\": " + quoted(c.name) + ", \"kind\": " +
         quoted(std::string(territory::to_string(c.kind))) + ", \"holds\": " + (c.holds ? "true" : "false") +
         ", \"" + (c.holds ? "slack" : "worst_violation") + "\": " + json_number(c.slack) + ", \"unit\": " +
         quoted(c.kind == territory::constraint_kind::max_distance && run.accounts != nullptr &&
                        run.accounts->coordinates_system() == territory::coordinate_system::wgs84
                    ? std::string("km")
                    : std::string(territory::slack_unit(c.kind))) +
         ", \"violated\": " + std::to_string(c.violated_territories) + "}";
  }
  j += run.engine_constraints.empty() ? "]" : "\n  ]";
  j += ",\n  \"notes\": [";
  for (std::size_t i = 0; i < run.notes.size(); ++i) j += (i ? ", " : "") + quoted(run.notes[i]);
  j += "]";
  j += run.report_extra;
  j += "\n}\n";
  return j;
}

}  // namespace territory_cli
