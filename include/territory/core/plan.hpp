#pragma once

/// @file plan.hpp
/// A plan: the territory of every account.

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"

namespace territory {

/// Assignment of n accounts to p territories (`no_territory` = unassigned).
class plan {
 public:
  plan() = default;

  /// n accounts, p territories, every account unassigned.
  plan(std::size_t accounts, territory_index territories)
      : assignment_(accounts, no_territory), territories_(territories) {}

  /// From an explicit assignment.
  /// Complexity: O(n).
  /// Throws: invalid_input{errc::out_of_range} (field "assignment", index = account) if an
  ///         entry is neither < territories nor `no_territory`.
  plan(std::vector<territory_index> assignment, territory_index territories)
      : assignment_(std::move(assignment)), territories_(territories) {
    for (std::size_t a = 0; a < assignment_.size(); ++a) check_territory(assignment_[a], a);
  }

  [[nodiscard]] std::size_t size() const noexcept { return assignment_.size(); }
  [[nodiscard]] territory_index territory_count() const noexcept { return territories_; }

  /// Territory of account a (unchecked).
  [[nodiscard]] territory_index operator[](account_index a) const noexcept { return assignment_[a]; }

  /// Territory of account a. Throws invalid_input{errc::out_of_range} if a >= size().
  [[nodiscard]] territory_index at(account_index a) const {
    check_account(a);
    return assignment_[a];
  }

  /// Moves account a to territory t (or unassigns it with `no_territory`).
  /// Throws invalid_input{errc::out_of_range} for a bad account or territory.
  void assign(account_index a, territory_index t) {
    check_account(a);
    check_territory(t, a);
    assignment_[a] = t;
  }

  [[nodiscard]] std::span<const territory_index> assignment() const noexcept { return assignment_; }

  /// True when every account has a territory.
  [[nodiscard]] bool complete() const noexcept {
    for (auto t : assignment_) {
      if (t == no_territory) return false;
    }
    return true;
  }

  /// Number of accounts per territory. O(n + p).
  [[nodiscard]] std::vector<std::size_t> sizes() const {
    std::vector<std::size_t> out(territories_, 0);
    for (auto t : assignment_) {
      if (t != no_territory) ++out[t];
    }
    return out;
  }

  /// Accounts of territory t in increasing index order. O(n).
  [[nodiscard]] std::vector<account_index> members(territory_index t) const {
    std::vector<account_index> out;
    for (std::size_t a = 0; a < assignment_.size(); ++a) {
      if (assignment_[a] == t) out.push_back(static_cast<account_index>(a));
    }
    return out;
  }

  friend bool operator==(const plan&, const plan&) = default;

 private:
  void check_account(account_index a) const {
    if (a >= assignment_.size()) {
      throw invalid_input(errc::out_of_range, "account",
                          "plan: account index " + std::to_string(a) + " out of range [0, " +
                              std::to_string(assignment_.size()) + ")",
                          a);
    }
  }
  void check_territory(territory_index t, std::size_t a) const {
    if (t != no_territory && t >= territories_) {
      throw invalid_input(errc::out_of_range, "assignment",
                          "plan: account " + std::to_string(a) + " has territory " + std::to_string(t) +
                              ", expected < " + std::to_string(territories_),
                          a);
    }
  }

  std::vector<territory_index> assignment_;
  territory_index territories_ = 0;
};

}  // namespace territory
