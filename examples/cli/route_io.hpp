#pragma once

// Reading the router's inputs (FORMAT.md: rules.csv, new accounts, activity_log.csv) for
// territory-cli's route, rules and coverage commands. Every error names file, line and column.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

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

/// Parses an ISO 8601 date (YYYY-MM-DD).
[[nodiscard]] std::optional<std::chrono::sys_days> parse_date(std::string_view s);

}  // namespace territory_cli
