#pragma once

// Reading the router's inputs (FORMAT.md: rules.csv, new accounts, activity_log.csv) for
// territory-cli's route, rules and coverage commands. Every error names file, line and column.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <functional>
#include <map>

#include <territory/core/ids.hpp>
#include <territory/plan/change_set.hpp>
#include <territory/route/activity_event.hpp>
#include <territory/route/rule_table.hpp>
#include <territory/route/routing_account.hpp>

#include "csv.hpp"

namespace territory_cli {

struct loaded_rules {
  territory::rule_table table;
  std::vector<std::size_t> lines;  ///< physical line of each rule
  std::string file;
  /// "file:line: column 'c': " for a library field such as "rules[3].owner".
  [[nodiscard]] std::string where(const std::string& field, std::size_t index) const;
};

/// Reads rules.csv (`rule,priority,kind,owner,team,industry,region,size_band,min_employees,
/// max_employees,account_ids[,domains]`; `rule` and `kind` required, the others optional).
/// Throws input_error naming file, line and column for any malformed rule (including the
/// library's rule_table checks).
[[nodiscard]] loaded_rules load_rules(const std::string& path);

struct routing_input {
  std::vector<std::string> id, domain, industry, region, size_band;
  std::vector<std::optional<double>> employees;
  std::vector<double> workload;  ///< 1 per account unless a `workload` column is given
  std::vector<std::size_t> lines;
  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
  [[nodiscard]] territory::routing_account view(std::size_t i) const noexcept {
    return {id[i], domain[i], industry[i], region[i], size_band[i], employees[i]};
  }
};

/// Reads the accounts to route: `id` required; `domain`, `industry`, `region`, `size_band`,
/// `employees` (empty = unknown) and `workload` optional; other columns ignored.
[[nodiscard]] routing_input load_routing_accounts(const std::string& path);

struct owned_accounts {
  std::vector<std::string> id;
  std::vector<std::string> territory_names;  ///< in order of first appearance
  std::vector<territory::territory_index> territory;  ///< per account; no_territory when `owner` is empty
  std::vector<double> potential;             ///< empty unless the potential column exists
  std::vector<std::size_t> lines;
  std::map<std::string, std::size_t, std::less<>> index;  ///< id → account
};

/// Reads accounts with their current `owner` (territory or rep) and, if present, the named
/// potential column. Throws input_error naming file, line and column.
[[nodiscard]] owned_accounts load_owned_accounts(const std::string& path, const std::string& potential_column,
                                                 bool potential_required);

struct loaded_activity {
  std::vector<territory::activity_event> events;
  std::vector<std::string> opportunity_ids;  ///< storage for the events' views
  std::vector<std::size_t> lines;
};

/// Reads activity_log.csv (`account,date,kind,opportunity,amount`) against the accounts.
[[nodiscard]] loaded_activity load_activity(const std::string& path, const owned_accounts& accounts);
/// The same against any id lookup (`find(id)`: the account index, or nullopt for an unknown id).
/// Throws input_error naming file, line and column.
[[nodiscard]] loaded_activity load_activity(const std::string& path,
                                            const std::function<std::optional<std::size_t>(std::string_view)>& find);

/// Reads related.csv (`account,kind,id`: records owned through an account, e.g. contacts and tasks)
/// against an id lookup. Every cell is required; an unknown account, or a (kind, id) given twice, is
/// input_error naming file, line and column.
[[nodiscard]] std::vector<territory::account_record> load_related(
    const std::string& path, const std::function<std::optional<std::size_t>(std::string_view)>& find);

}  // namespace territory_cli
