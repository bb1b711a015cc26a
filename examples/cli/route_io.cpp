#include "route_io.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include <territory/core/error.hpp>

#include "args.hpp"

namespace territory_cli {

namespace {

std::string cell(const csv_record& r, std::optional<std::size_t> c) {
  if (!c) return {};
  return std::string(trim(r.fields[*c]));
}

std::optional<double> bound(const csv_table& t, const csv_record& r, std::optional<std::size_t> c) {
  const std::string s = cell(r, c);
  if (s.empty()) return std::nullopt;
  const auto v = parse_number(s);
  if (!v || std::isnan(*v)) throw input_error(t.where(r, *c) + "'" + s + "' is not a number");
  return v;
}

}  // namespace

std::string loaded_rules::where(const std::string& field, std::size_t index) const {
  std::string prefix = file + ":" + (index < lines.size() ? std::to_string(lines[index]) : std::string("?")) + ": ";
  const auto dot = field.find("].");
  if (dot != std::string::npos) prefix += "column '" + field.substr(dot + 2) + "': ";
  return prefix;
}

loaded_rules load_rules(const std::string& path) {
  const csv_table t = read_csv(path);
  const auto c_rule = t.require("rule");
  const auto c_kind = t.require("kind");
  const auto c_prio = t.column("priority");
  const auto c_owner = t.column("owner");
  const auto c_team = t.column("team");
  if (!c_owner && !c_team) throw input_error(path + ":1: missing column 'owner' or 'team' (a rule names one of them)");
  const auto c_ind = t.column("industry");
  const auto c_reg = t.column("region");
  const auto c_band = t.column("size_band");
  const auto c_min = t.column("min_employees");
  const auto c_max = t.column("max_employees");
  const auto c_ids = t.column("account_ids");
  const auto c_dom = t.column("domains");

  loaded_rules out;
  out.file = path;
  std::vector<territory::rule> rules;
  rules.reserve(t.rows.size());
  std::map<std::string, std::size_t, std::less<>> first_line;
  for (const auto& r : t.rows) {
    territory::rule x;
    x.id = cell(r, c_rule);
    if (x.id.empty()) throw input_error(t.where(r, c_rule) + "empty rule id");
    if (auto [it, fresh] = first_line.try_emplace(x.id, r.line); !fresh) {
      throw input_error(t.where(r, c_rule) + "duplicate rule id '" + x.id + "' (first on line " + std::to_string(it->second) + ")");
    }
    const std::string prio = cell(r, c_prio);
    if (!prio.empty()) {
      auto [p, ec] = std::from_chars(prio.data(), prio.data() + prio.size(), x.priority);
      if (ec != std::errc{} || p != prio.data() + prio.size()) {
        throw input_error(t.where(r, *c_prio) + "'" + prio + "' is not an integer priority");
      }
    }
    const std::string kind = cell(r, c_kind);
    const auto k = territory::parse_rule_kind(kind);
    if (!k) throw input_error(t.where(r, c_kind) + "'" + kind + "', expected named, industry, segment or default");
    x.kind = *k;
    x.owner = cell(r, c_owner);
    x.team = cell(r, c_team);
    x.industry = cell(r, c_ind);
    x.region = cell(r, c_reg);
    x.size_band = cell(r, c_band);
    x.min_employees = bound(t, r, c_min);
    x.max_employees = bound(t, r, c_max);
    if (c_ids) x.account_ids = split_list(r.fields[*c_ids], ';');
    if (c_dom) x.domains = split_list(r.fields[*c_dom], ';');
    rules.push_back(std::move(x));
    out.lines.push_back(r.line);
  }
  try {
    out.table = territory::rule_table(std::move(rules));
  } catch (const territory::invalid_input& e) {
    std::string field = e.field();
    if (field.find("].rule") != std::string::npos) field = field.substr(0, field.find("].")) + "].rule";
    std::string msg = e.message();
    const auto pos = msg.find("'): ");  // drop "rule_table(): rule i ('x'): " — the line says which
    if (pos != std::string::npos) msg = msg.substr(pos + 4);
    throw input_error(out.where(field, e.index().value_or(0)) + std::string(territory::to_string(e.code())) + ": rule '" +
                      e.id() + "' " + msg);
  }
  return out;
}

routing_input load_routing_accounts(const std::string& path) {
  const csv_table t = read_csv(path);
  const auto c_id = t.require("id");
  const auto c_dom = t.column("domain");
  const auto c_ind = t.column("industry");
  const auto c_reg = t.column("region");
  const auto c_band = t.column("size_band");
  const auto c_emp = t.column("employees");
  const auto c_work = t.column("workload");
  routing_input in;
  std::map<std::string, std::size_t, std::less<>> seen;
  for (const auto& r : t.rows) {
    std::string id = cell(r, c_id);
    if (id.empty()) throw input_error(t.where(r, c_id) + "empty id, expected a unique non-empty string");
    if (auto [it, fresh] = seen.try_emplace(id, r.line); !fresh) {
      throw input_error(t.where(r, c_id) + "duplicate id '" + id + "' (first on line " + std::to_string(it->second) + ")");
    }
    in.id.push_back(std::move(id));
    in.domain.push_back(cell(r, c_dom));
    in.industry.push_back(cell(r, c_ind));
    in.region.push_back(cell(r, c_reg));
    in.size_band.push_back(cell(r, c_band));
    const std::string e = cell(r, c_emp);
    if (e.empty()) {
      in.employees.emplace_back(std::nullopt);
    } else {
      const auto v = parse_number(e);
      if (!v || !std::isfinite(*v)) throw input_error(t.where(r, *c_emp) + "'" + e + "' is not a finite number");
      in.employees.emplace_back(*v);
    }
    const std::string w = cell(r, c_work);
    if (w.empty()) {
      in.workload.push_back(1.0);
    } else {
      const auto v = parse_number(w);
      if (!v || !std::isfinite(*v)) throw input_error(t.where(r, *c_work) + "'" + w + "' is not a finite number");
      in.workload.push_back(*v);
    }
    in.lines.push_back(r.line);
  }
  return in;
}

owned_accounts load_owned_accounts(const std::string& path, const std::string& potential_column, bool potential_required) {
  const csv_table t = read_csv(path);
  const auto c_id = t.require("id");
  const auto c_owner = t.require("owner");
  const auto c_pot = potential_required ? std::optional<std::size_t>(t.require(potential_column)) : t.column(potential_column);
  owned_accounts out;
  std::map<std::string, territory::territory_index, std::less<>> names;
  for (const auto& r : t.rows) {
    std::string id = cell(r, c_id);
    if (id.empty()) throw input_error(t.where(r, c_id) + "empty id, expected a unique non-empty string");
    if (auto [it, fresh] = out.index.try_emplace(id, out.id.size()); !fresh) {
      throw input_error(t.where(r, c_id) + "duplicate id '" + id + "' (first on line " + std::to_string(out.lines[it->second]) + ")");
    }
    const std::string owner = cell(r, c_owner);
    if (owner.empty()) {
      out.territory.push_back(territory::no_territory);
    } else {
      auto [it, fresh] = names.try_emplace(owner, static_cast<territory::territory_index>(out.territory_names.size()));
      if (fresh) out.territory_names.push_back(owner);
      out.territory.push_back(it->second);
    }
    if (c_pot) {
      const std::string v = cell(r, c_pot);
      const auto x = parse_number(v);
      if (!x || !std::isfinite(*x) || *x < 0) throw input_error(t.where(r, *c_pot) + "'" + v + "', expected a finite number >= 0");
      out.potential.push_back(*x);
    }
    out.id.push_back(std::move(id));
    out.lines.push_back(r.line);
  }
  return out;
}

loaded_activity load_activity(const std::string& path, const owned_accounts& accounts) {
  return load_activity(path, [&](std::string_view id) -> std::optional<std::size_t> {
    const auto it = accounts.index.find(id);
    if (it == accounts.index.end()) return std::nullopt;
    return it->second;
  });
}

loaded_activity load_activity(const std::string& path,
                              const std::function<std::optional<std::size_t>(std::string_view)>& find) {
  const csv_table t = read_csv(path);
  const auto c_acc = t.require("account");
  const auto c_date = t.require("date");
  const auto c_kind = t.require("kind");
  const auto c_opp = t.column("opportunity");
  const auto c_amount = t.column("amount");
  loaded_activity out;
  out.opportunity_ids.reserve(t.rows.size());  // the events keep views into these strings
  for (const auto& r : t.rows) {
    const std::string acc = cell(r, c_acc);
    const auto found = find(acc);
    if (!found) throw input_error(t.where(r, c_acc) + "unknown account id '" + acc + "'");
    const std::string d = cell(r, c_date);
    const auto day = parse_date(d);
    if (!day) throw input_error(t.where(r, c_date) + "'" + d + "' is not an ISO 8601 date (YYYY-MM-DD)");
    const std::string k = cell(r, c_kind);
    const auto kind = territory::parse_activity_kind(k);
    if (!kind) throw input_error(t.where(r, c_kind) + "'" + k + "', expected contact, opportunity_open, opportunity_won or opportunity_lost");
    out.opportunity_ids.push_back(cell(r, c_opp));
    if (*kind != territory::activity_kind::contact && out.opportunity_ids.back().empty()) {
      throw input_error(t.where(r, c_opp ? *c_opp : c_kind) + "an opportunity row needs an opportunity id");
    }
    double amount = 0;
    const std::string a = cell(r, c_amount);
    if (!a.empty()) {
      const auto x = parse_number(a);
      if (!x || !std::isfinite(*x) || *x < 0) throw input_error(t.where(r, *c_amount) + "'" + a + "', expected a finite number >= 0");
      amount = *x;
    }
    out.events.push_back({static_cast<territory::account_index>(*found), *day, *kind, out.opportunity_ids.back(), amount});
    out.lines.push_back(r.line);
  }
  return out;
}

std::vector<territory::account_record> load_related(
    const std::string& path, const std::function<std::optional<std::size_t>(std::string_view)>& find) {
  const csv_table t = read_csv(path);
  const auto c_acc = t.require("account");
  const auto c_kind = t.require("kind");
  const auto c_id = t.require("id");
  std::vector<territory::account_record> out;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;  // (kind, id) -> line
  for (const auto& r : t.rows) {
    const std::string acc = cell(r, c_acc);
    const auto found = find(acc);
    if (!found) throw input_error(t.where(r, c_acc) + "unknown account id '" + acc + "'");
    std::string kind = cell(r, c_kind);
    std::string id = cell(r, c_id);
    if (kind.empty()) throw input_error(t.where(r, c_kind) + "empty kind (e.g. contact, task)");
    if (id.empty()) throw input_error(t.where(r, c_id) + "empty id");
    const auto [it, fresh] = seen.emplace(std::make_pair(kind, id), r.line);
    if (!fresh) {
      throw input_error(t.where(r, c_id) + kind + " '" + id + "' is listed twice (first on line " + std::to_string(it->second) + ")");
    }
    out.push_back({static_cast<territory::account_index>(*found), std::move(kind), std::move(id), 0.0});
  }
  return out;
}

}  // namespace territory_cli
