#include "input.hpp"

#include "args.hpp"

#include <algorithm>
#include <array>
#include <chrono>

namespace territory_cli {

namespace {
constexpr std::array text_columns{"id",     "name",   "state",     "tier",  "industry", "region",
                                  "size_band", "owner", "team",    "domain", "status",  "skills",
                                  "start_date", "county", "city", "country"};

std::string cell(const csv_record& r, std::size_t c) { return std::string(trim(r.fields[c])); }

double number_cell(const csv_table& t, const csv_record& r, std::size_t c) {
  const auto s = trim(r.fields[c]);
  if (s.empty()) throw input_error(t.where(r, c) + "empty value, expected a number");
  auto v = parse_number(s);
  if (!v) throw input_error(t.where(r, c) + "'" + std::string(s) + "' is not a number");
  return *v;
}

struct coordinate_columns {
  std::size_t c0, c1;
  territory::coordinate_system system;
};

std::optional<coordinate_columns> find_coordinates(const csv_table& t) {
  if (auto x = t.column("x"), y = t.column("y"); x && y) return coordinate_columns{*x, *y, territory::coordinate_system::planar};
  if (auto la = t.column("lat"), lo = t.column("lon"); la && lo) {
    return coordinate_columns{*la, *lo, territory::coordinate_system::wgs84};
  }
  return std::nullopt;
}
}  // namespace

bool is_text_column(std::string_view name) noexcept {
  return std::find(text_columns.begin(), text_columns.end(), name) != text_columns.end();
}

loaded_accounts load_accounts(const std::string& path) {
  const csv_table t = read_csv(path);
  const std::size_t id_col = t.require("id");
  const auto coords = find_coordinates(t);
  if (!coords) throw input_error(path + ":1: missing coordinate columns, expected x,y or lat,lon");
  const std::size_t n = t.rows.size();
  if (n == 0) throw input_error(path + ":1: no account rows after the header, expected at least one account");

  std::vector<std::string> ids;
  ids.reserve(n);
  Eigen::MatrixX2d xy(static_cast<Eigen::Index>(n), 2);
  loaded_accounts out;
  out.file = path;
  out.lines.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = t.rows[i];
    ids.push_back(cell(r, id_col));
    if (ids.back().empty()) throw input_error(t.where(r, id_col) + "empty id, expected a unique non-empty string");
    xy(static_cast<Eigen::Index>(i), 0) = number_cell(t, r, coords->c0);
    xy(static_cast<Eigen::Index>(i), 1) = number_cell(t, r, coords->c1);
    out.lines.push_back(r.line);
  }
  out.table = territory::account_table(std::move(ids), std::move(xy), coords->system);

  for (std::size_t c = 0; c < t.header.size(); ++c) {
    const std::string& name = t.header[c];
    if (c == id_col || c == coords->c0 || c == coords->c1) continue;
    if (name == "owner") {
      std::vector<std::string> owners(n);
      for (std::size_t i = 0; i < n; ++i) owners[i] = cell(t.rows[i], c);
      out.table.set_owners(std::move(owners));
      continue;
    }
    if (name == "locked") {
      std::vector<std::uint8_t> locked(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto v = cell(t.rows[i], c);
        if (v == "1" || v == "true") locked[i] = 1;
        else if (v.empty() || v == "0" || v == "false") locked[i] = 0;
        else throw input_error(t.where(t.rows[i], c) + "'" + v + "', expected 1 or 0");
      }
      out.table.set_locked(std::move(locked));
      continue;
    }
    // a second coordinate pair (lat,lon beside x,y) is kept as text, never balanced
    bool numeric = !is_text_column(name) && name != "lat" && name != "lon" && name != "x" && name != "y";
    if (numeric) {
      // A column is numeric when at least half of its non-empty values are numbers. A column that is numeric
      // in most rows but not in all is almost always a data error: the first offending row is named.
      std::size_t numbers = 0, texts = 0;
      const csv_record* first_text = nullptr;
      for (const auto& r : t.rows) {
        const auto s = trim(r.fields[c]);
        if (s.empty()) continue;
        if (parse_number(s)) {
          ++numbers;
        } else {
          ++texts;
          if (first_text == nullptr) first_text = &r;
        }
      }
      numeric = numbers > 0 && numbers >= texts;
      if (numeric && first_text != nullptr) {
        throw input_error(t.where(*first_text, c) + "'" + std::string(trim(first_text->fields[c])) +
                          "' is not a number (the column is numeric in " + std::to_string(numbers) + " of " +
                          std::to_string(numbers + texts) + " non-empty rows)");
      }
    }
    if (numeric) {
      Eigen::VectorXd v(static_cast<Eigen::Index>(n));
      for (std::size_t i = 0; i < n; ++i) v(static_cast<Eigen::Index>(i)) = number_cell(t, t.rows[i], c);
      out.table.add_activity(name, v);
    } else {
      std::vector<std::string> v(n);
      for (std::size_t i = 0; i < n; ++i) v[i] = cell(t.rows[i], c);
      out.table.set_attribute(name, std::move(v));
    }
  }
  return out;
}

loaded_edges load_adjacency(const std::string& path, const loaded_accounts& acc) {
  const csv_table t = read_csv(path);
  const std::size_t ca = t.require("a");
  const std::size_t cb = t.require("b");
  const auto cl = t.column("length");
  loaded_edges out;
  out.edges.reserve(t.rows.size());
  for (const auto& r : t.rows) {
    const std::string a = cell(r, ca);
    const std::string b = cell(r, cb);
    const auto ia = acc.table.find(a);
    if (!ia) throw input_error(t.where(r, ca) + "unknown account id '" + a + "' (not in " + acc.file + ")");
    const auto ib = acc.table.find(b);
    if (!ib) throw input_error(t.where(r, cb) + "unknown account id '" + b + "' (not in " + acc.file + ")");
    if (*ia == *ib) throw input_error(t.where(r) + "self-loop: edge joins '" + a + "' to itself");
    out.edges.push_back({*ia, *ib});
    out.lines.push_back(r.line);
    if (cl) {
      const double len = number_cell(t, r, *cl);
      if (!std::isfinite(len) || len < 0) {
        throw input_error(t.where(r, *cl) + "length must be a finite number >= 0");
      }
      out.lengths.push_back(len);
    }
  }
  return out;
}

std::vector<territory::rep> load_reps(const std::string& path, std::optional<territory::coordinate_system>* system) {
  const csv_table t = read_csv(path);
  const std::size_t id_col = t.require("id");
  const auto coords = find_coordinates(t);
  if (system != nullptr) *system = coords ? std::optional(coords->system) : std::nullopt;
  const auto cap = t.column("capacity");
  const auto team = t.column("team");
  const auto start = t.column("start_date");
  const auto status = t.column("status");
  const auto skills = t.column("skills");
  std::vector<territory::rep> out;
  for (const auto& r : t.rows) {
    territory::rep rp;
    rp.id = cell(r, id_col);
    if (rp.id.empty()) throw input_error(t.where(r, id_col) + "empty rep id");
    if (coords && !trim(r.fields[coords->c0]).empty()) {
      rp.home = std::array<double, 2>{number_cell(t, r, coords->c0), number_cell(t, r, coords->c1)};
    }
    if (cap && !trim(r.fields[*cap]).empty()) rp.capacity = number_cell(t, r, *cap);
    if (team) rp.team = cell(r, *team);
    if (start && !trim(r.fields[*start]).empty()) {
      const auto s = cell(r, *start);
      const auto day = parse_date(s);
      if (!day) throw input_error(t.where(r, *start) + "'" + s + "' is not an ISO 8601 date (YYYY-MM-DD)");
      rp.start_date = std::chrono::year_month_day{*day};
    }
    if (status) {
      const auto s = cell(r, *status);
      if (s.empty() || s == "active") rp.status = territory::rep_status::active;
      else if (s == "departed") rp.status = territory::rep_status::departed;
      else throw input_error(t.where(r, *status) + "'" + s + "', expected active or departed");
    }
    if (skills) rp.skills = split_list(r.fields[*skills], ';');
    out.push_back(std::move(rp));
  }
  return out;
}

std::string where_account(const loaded_accounts& acc, std::size_t a) {
  return acc.file + ":" + std::to_string(acc.lines.at(a)) + ": ";
}

std::string describe(const territory::problem& p, const loaded_accounts& acc, const loaded_edges* edges,
                     const std::string& adjacency_file, const std::string& reps_file) {
  std::string prefix;
  if (p.index) {
    if (p.field == "adjacency" && edges && *p.index < edges->lines.size()) {
      prefix = adjacency_file + ":" + std::to_string(edges->lines[*p.index]) + ": ";
    } else if (p.field.rfind("reps.", 0) == 0) {
      prefix = reps_file + ": rep " + std::to_string(*p.index + 1) + ": ";
    } else if (*p.index < acc.lines.size()) {
      prefix = where_account(acc, *p.index);
      if (p.field != "id" && p.field != "coordinates" && p.field != "locked") prefix += "column '" + p.field + "': ";
    }
  } else {
    prefix = acc.file + ": ";
  }
  return prefix + std::string(territory::to_string(p.code)) + ": " + p.message;
}

}  // namespace territory_cli
