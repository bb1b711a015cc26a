#pragma once

/// @file validate.hpp
/// Validation of a whole input in one call, collecting every problem.
///
/// `validate()` checks an account table together with an optional edge list (by external
/// id), rep list and territory count, and returns a `validation_report` with every problem
/// found: duplicate or empty ids, NaN/infinite or negative activities, coordinates that are
/// not finite or outside the WGS84 range, edges to unknown ids, self-loops, locked accounts
/// without owner, duplicate reps, bad capacities, p < 1 or p > n.

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/core/rep.hpp"

namespace territory {

/// An edge given by the external ids of its endpoints.
struct edge_ref {
  std::string_view a;
  std::string_view b;
};

/// What to validate besides the account table, and how strictly.
struct validation_input {
  std::span<const edge_ref> edges{};             ///< adjacency by id (may be empty)
  std::span<const rep> reps{};                   ///< reps (may be empty)
  std::optional<std::size_t> territories{};      ///< p, when a plan is to be made
  std::vector<std::string> nonnegative_columns{};///< activity columns that must be >= 0; empty = all
  std::size_t max_problems = 1000;               ///< stop collecting after this many
};

/// Every problem found by `validate()`, in input order.
struct validation_report {
  std::vector<problem> problems;
  bool truncated = false;  ///< true if more problems exist than `max_problems`

  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }

  /// Number of problems with the given code.
  [[nodiscard]] std::size_t count(errc code) const noexcept {
    std::size_t k = 0;
    for (const auto& p : problems) k += (p.code == code) ? 1 : 0;
    return k;
  }

  /// Throws invalid_input for the first problem (its message says how many others there are).
  void throw_if_invalid() const {
    if (problems.empty()) return;
    problem first = problems.front();
    if (problems.size() > 1) {
      first.message += " (and " + std::to_string(problems.size() - 1) + (truncated ? "+" : "") +
                       " more problem" + (problems.size() > 2 ? "s" : "") + ")";
    }
    throw invalid_input(std::move(first));
  }
};

/// Validates an input; see the file comment for the checks.
/// Complexity: O(n·m + e + r) expected (hash look-ups of ids).
/// Throws: nothing but std::bad_alloc; problems are returned, not thrown.
[[nodiscard]] inline validation_report validate(const account_table& accounts, const validation_input& in = {}) {
  validation_report r;
  auto add = [&](errc code, std::string field, std::string message, std::optional<std::size_t> index = std::nullopt,
                 std::string id = {}) {
    if (r.problems.size() >= in.max_problems) {
      r.truncated = true;
      return;
    }
    r.problems.push_back(problem{code, std::move(field), index, std::move(id), std::move(message)});
  };
  const std::size_t n = accounts.size();
  const auto& ids = accounts.ids();

  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i].empty()) add(errc::empty_id, "id", "account " + std::to_string(i) + " has an empty id", i);
  }
  for (account_index d : accounts.duplicate_rows()) {
    const auto first = *accounts.find(ids[d]);
    add(errc::duplicate_id, "id",
        "account id '" + ids[d] + "' at row " + std::to_string(d) + " repeats row " + std::to_string(first), d, ids[d]);
  }

  const auto& xy = accounts.coordinates();
  const bool geo = accounts.coordinates_system() == coordinate_system::wgs84;
  for (std::size_t i = 0; i < n; ++i) {
    const double c0 = xy(static_cast<Eigen::Index>(i), 0);
    const double c1 = xy(static_cast<Eigen::Index>(i), 1);
    if (!std::isfinite(c0) || !std::isfinite(c1)) {
      add(errc::non_finite, "coordinates", "account '" + ids[i] + "' has a coordinate that is not finite", i, ids[i]);
    } else if (geo && (c0 < -90.0 || c0 > 90.0)) {
      add(errc::out_of_range, "lat",
          "account '" + ids[i] + "' has lat " + std::to_string(c0) + ", expected within [-90, 90]", i, ids[i]);
    } else if (geo && (c1 < -180.0 || c1 > 180.0)) {
      add(errc::out_of_range, "lon",
          "account '" + ids[i] + "' has lon " + std::to_string(c1) + ", expected within [-180, 180]", i, ids[i]);
    }
  }

  const auto& acts = accounts.activities();
  const auto& names = accounts.activity_names();
  for (std::size_t c = 0; c < names.size(); ++c) {
    bool must_be_nonnegative = in.nonnegative_columns.empty();
    for (const auto& nn : in.nonnegative_columns) must_be_nonnegative = must_be_nonnegative || nn == names[c];
    for (std::size_t i = 0; i < n; ++i) {
      const double v = acts(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
      if (!std::isfinite(v)) {
        add(errc::non_finite, names[c], "account '" + ids[i] + "' has " + names[c] + " = " + std::to_string(v) +
                                            ", expected a finite number", i, ids[i]);
      } else if (must_be_nonnegative && v < 0) {
        add(errc::negative_value, names[c], "account '" + ids[i] + "' has " + names[c] + " = " + std::to_string(v) +
                                                ", expected a value >= 0", i, ids[i]);
      }
    }
  }
  for (const auto& nn : in.nonnegative_columns) {
    if (!accounts.find_activity(nn)) {
      add(errc::missing_column, nn, "no activity column named '" + nn + "'", std::nullopt, nn);
    }
  }

  const auto& locked = accounts.locked();
  const auto& owners = accounts.owners();
  for (std::size_t i = 0; i < locked.size(); ++i) {
    if (locked[i] != 0 && (owners.empty() || owners[i].empty())) {
      add(errc::missing_owner, "locked", "account '" + ids[i] + "' is locked but has no owner", i, ids[i]);
    }
  }

  for (std::size_t e = 0; e < in.edges.size(); ++e) {
    const auto& [a, b] = in.edges[e];
    const auto ia = accounts.find(a);
    const auto ib = accounts.find(b);
    if (!ia) {
      add(errc::unknown_id, "adjacency", "edge " + std::to_string(e) + " names unknown account '" + std::string(a) + "'",
          e, std::string(a));
    }
    if (!ib) {
      add(errc::unknown_id, "adjacency", "edge " + std::to_string(e) + " names unknown account '" + std::string(b) + "'",
          e, std::string(b));
    }
    if (ia && ib && *ia == *ib) {
      add(errc::self_loop, "adjacency", "edge " + std::to_string(e) + " joins account '" + std::string(a) + "' to itself",
          e, std::string(a));
    }
  }

  std::unordered_set<std::string_view> rep_ids;
  for (std::size_t k = 0; k < in.reps.size(); ++k) {
    const auto& rp = in.reps[k];
    if (rp.id.empty()) {
      add(errc::empty_id, "reps.id", "rep " + std::to_string(k) + " has an empty id", k);
    } else if (!rep_ids.insert(rp.id).second) {
      add(errc::duplicate_id, "reps.id", "rep id '" + rp.id + "' occurs twice", k, rp.id);
    }
    if (!std::isfinite(rp.capacity) || rp.capacity < 0) {
      add(errc::out_of_range, "reps.capacity",
          "rep '" + rp.id + "' has capacity " + std::to_string(rp.capacity) + ", expected a finite value >= 0", k, rp.id);
    }
    if (rp.home && (!std::isfinite((*rp.home)[0]) || !std::isfinite((*rp.home)[1]))) {
      add(errc::non_finite, "reps.home", "rep '" + rp.id + "' has a home coordinate that is not finite", k, rp.id);
    }
  }

  if (in.territories) {
    const std::size_t p = *in.territories;
    if (p < 1 || p > n) {
      add(errc::out_of_range, "territories",
          "territories = " + std::to_string(p) + ", expected between 1 and the number of accounts (" +
              std::to_string(n) + ")");
    }
  }
  return r;
}

}  // namespace territory
