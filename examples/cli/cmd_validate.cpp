// territory-cli validate: reads accounts (and optionally adjacency and reps), runs the
// library's whole-input validation and prints every problem with its file and line.
// Exit 0: valid. Exit 2: problems found (listed on stdout). Exit 1: unreadable input.

#include <cstdio>
#include <string>

#include <territory/core.hpp>
#include <territory/graph/components.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input.hpp"

namespace territory_cli {

const command_spec& validate_spec() {
  static const command_spec spec{
      "validate",
      "Reads the accounts (and optionally the adjacency and the reps), runs the library's whole-input "
      "validation (territory::validate) and prints every problem with its file and line.",
      {
          {"--accounts", "FILE", "accounts.csv: id, x,y (planar) or lat,lon (WGS84), numeric and text columns.", "", true},
          {"--adjacency", "FILE", "a,b edges by account id: unknown ids, self-loops and the connected components are "
                                  "reported.",
           ""},
          {"--reps", "FILE", "reps.csv: ids, homes, capacities, dates and status are checked.", ""},
          {"--territories", "P", "Also check that P territories are possible (1 <= P <= number of accounts).", ""},
      },
      "Exit status: 0 valid; 2 problems found (listed on stdout); 1 unreadable input or usage (one line on "
      "stderr)."};
  return spec;
}

int cmd_validate(int argc, char** argv) {
  const args a(argc, argv, 2, validate_spec());
  const auto acc = load_accounts(a.require("--accounts"));
  const auto p = a.get_int("--territories", 0, 1LL << 31);

  // Adjacency is read leniently here (ids checked by the library validator, so every bad
  // edge is listed rather than only the first).
  std::vector<std::string> edge_ids;
  std::vector<territory::edge_ref> refs;
  std::vector<std::size_t> edge_lines;
  const std::string adj_file = a.get("--adjacency").value_or("");
  if (!adj_file.empty()) {
    const auto t = read_csv(adj_file);
    const auto ca = t.require("a");
    const auto cb = t.require("b");
    edge_ids.reserve(t.rows.size() * 2);
    for (const auto& r : t.rows) {
      edge_ids.emplace_back(trim(r.fields[ca]));
      edge_ids.emplace_back(trim(r.fields[cb]));
      edge_lines.push_back(r.line);
    }
    refs.reserve(t.rows.size());
    for (std::size_t e = 0; e < edge_lines.size(); ++e) refs.push_back({edge_ids[2 * e], edge_ids[2 * e + 1]});
  }
  const std::string reps_file = a.get("--reps").value_or("");
  std::vector<territory::rep> reps;
  if (!reps_file.empty()) reps = load_reps(reps_file);

  territory::validation_input in{.edges = refs, .reps = reps};
  if (p) in.territories = static_cast<std::size_t>(*p);
  const auto report = territory::validate(acc.table, in);

  loaded_edges le;
  le.lines = edge_lines;
  for (const auto& prob : report.problems) {
    std::printf("%s\n", one_line(abbreviate_quoted(describe(prob, acc, &le, adj_file, reps_file))).c_str());
  }
  if (report.truncated) std::printf("(more problems not listed)\n");

  const auto& t = acc.table;
  std::printf("accounts: %zu (%s coordinates), activities: %zu", t.size(),
              t.coordinates_system() == territory::coordinate_system::wgs84 ? "lat/lon" : "x/y",
              t.activity_names().size());
  for (std::size_t c = 0; c < t.activity_names().size(); ++c) {
    std::printf("%s%s", c == 0 ? " (" : ",", t.activity_names()[c].c_str());
  }
  std::printf("%s\n", t.activity_names().empty() ? "" : ")");
  if (!adj_file.empty() && report.count(territory::errc::unknown_id) == 0 &&
      report.count(territory::errc::self_loop) == 0) {
    std::vector<territory::edge> edges;
    edges.reserve(refs.size());
    for (const auto& r : refs) edges.push_back({*t.find(r.a), *t.find(r.b)});
    const auto g = territory::adjacency::from_edges(t.size(), edges);
    const auto comps = territory::connected_components(g);
    // a row that repeats an edge (a,b twice, or a,b and b,a) is harmless: counted once, and said so
    const std::size_t repeated = refs.size() - g.edge_count();
    std::printf("adjacency: %zu edges%s, %u connected component%s\n", g.edge_count(),
                repeated == 0 ? "" : (" (" + std::to_string(repeated) + " repeated row" + (repeated == 1 ? "" : "s") + " counted once)").c_str(),
                comps.count, comps.count == 1 ? "" : "s");
  }
  if (!reps.empty()) std::printf("reps: %zu\n", reps.size());
  std::printf("%s: %zu problem%s\n", report.ok() ? "valid" : "invalid", report.problems.size(),
              report.problems.size() == 1 ? "" : "s");
  return report.ok() ? 0 : 2;
}

}  // namespace territory_cli
