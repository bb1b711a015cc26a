#pragma once

/// @file routing_accounts.hpp
/// Routing views of the accounts of an `account_table`.

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/route/routing_account.hpp"

namespace territory {

/// One `routing_account` per account of `table`, viewing its id and the text attributes
/// `domain`, `industry`, `region`, `size_band` where the table has them. Employees come
/// from `employees` if given, else from the activity column `employees_column` if it exists
/// (a NaN value means unknown), else are unknown.
/// The views point into `table` (and `employees`): keep them alive while routing.
/// Complexity: O(n).
/// Throws: invalid_input{errc::size_mismatch} (field "employees") if employees is neither
///         empty nor one value per account.
[[nodiscard]] inline std::vector<routing_account> routing_accounts(const account_table& table,
                                                                   std::span<const double> employees = {},
                                                                   std::string_view employees_column = "employees") {
  const std::size_t n = table.size();
  if (!employees.empty() && employees.size() != n) {
    throw invalid_input(errc::size_mismatch, "employees",
                        "routing_accounts(): employees has " + std::to_string(employees.size()) + " values, expected " +
                            std::to_string(n) + " (one per account)");
  }
  auto text = [&](std::string_view name) -> const std::vector<std::string>* {
    return table.has_attribute(name) ? &table.attribute(name) : nullptr;
  };
  const auto* domain = text("domain");
  const auto* industry = text("industry");
  const auto* region = text("region");
  const auto* band = text("size_band");
  const auto column = employees.empty() ? table.find_activity(employees_column) : std::nullopt;
  std::vector<routing_account> out(n);
  for (std::size_t a = 0; a < n; ++a) {
    auto& r = out[a];
    r.id = table.ids()[a];
    if (domain) r.domain = (*domain)[a];
    if (industry) r.industry = (*industry)[a];
    if (region) r.region = (*region)[a];
    if (band) r.size_band = (*band)[a];
    double e = std::nan("");
    if (!employees.empty()) e = employees[a];
    else if (column) e = table.activities()(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(*column));
    if (!std::isnan(e)) r.employees = e;
  }
  return out;
}

}  // namespace territory
