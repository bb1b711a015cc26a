#pragma once

/// @file account_table.hpp
/// The account table: one row per account (or basic unit such as a county), in
/// structure-of-arrays form.
///
/// Holds the external ids and their dense indices, coordinates (planar km or WGS84
/// degrees), an activity matrix (Eigen, column-major, one named column per activity),
/// categorical attributes (tier, industry, region, …), the current owner and the locked
/// flag. Structural mistakes (a column of the wrong length, a name used twice) throw at
/// once; content problems (duplicate ids, NaN, negative values, locked accounts without
/// owner) are collected by `territory::validate()` so that a user sees all of them.

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"

namespace territory {

/// How the two coordinate columns are to be read.
enum class coordinate_system : std::uint8_t {
  planar,  ///< (x, y) in kilometres
  wgs84,   ///< (lat, lon) in degrees
};

/// Accounts in structure-of-arrays form. See the file comment.
class account_table {
 public:
  account_table() = default;

  /// Creates a table of `ids.size()` accounts.
  /// @param ids          external ids, one per account (uniqueness is checked by `validate()`).
  /// @param coordinates  n×2: (x, y) in km for `planar`, (lat, lon) in degrees for `wgs84`.
  /// @param system how to read the two coordinate columns: `planar` (default) or `wgs84`.
  /// Complexity: O(n) expected.
  /// Throws: invalid_input{errc::size_mismatch} if coordinates.rows() != ids.size();
  ///         invalid_input{errc::out_of_range} if there are more than `max_accounts` ids.
  account_table(std::vector<std::string> ids, Eigen::MatrixX2d coordinates,
                coordinate_system system = coordinate_system::planar)
      : ids_(std::move(ids)), coordinates_(std::move(coordinates)), system_(system) {
    if (ids_.size() > max_accounts) {
      throw invalid_input(errc::out_of_range, "ids",
                          "account_table(): more accounts than account_index can address");
    }
    if (static_cast<std::size_t>(coordinates_.rows()) != ids_.size()) {
      throw invalid_input(errc::size_mismatch, "coordinates",
                          "account_table(): coordinates has " + std::to_string(coordinates_.rows()) +
                              " rows, expected " + std::to_string(ids_.size()) + " (one per account)");
    }
    activities_.resize(static_cast<Eigen::Index>(ids_.size()), 0);
    index_.reserve(ids_.size());
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      auto [it, inserted] = index_.try_emplace(ids_[i], static_cast<account_index>(i));
      if (!inserted) duplicates_.push_back(static_cast<account_index>(i));
    }
  }

  /// Number of accounts.
  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }
  [[nodiscard]] bool empty() const noexcept { return ids_.empty(); }

  [[nodiscard]] const std::vector<std::string>& ids() const noexcept { return ids_; }

  /// External id of account `a`. Throws invalid_input{errc::out_of_range} if a >= size().
  [[nodiscard]] const std::string& id(account_index a) const {
    check_index(a, "id");
    return ids_[a];
  }

  /// Index of the first account with this id, if any. O(1) expected.
  [[nodiscard]] std::optional<account_index> find(std::string_view id) const {
    auto it = index_.find(std::string(id));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  /// Index of the account with this id. Throws invalid_input{errc::unknown_id} if absent.
  [[nodiscard]] account_index index_of(std::string_view id) const {
    if (auto a = find(id)) return *a;
    throw invalid_input(errc::unknown_id, "id", "account_table::index_of(): no account has id '" +
                                                    std::string(id) + "'",
                        std::nullopt, std::string(id));
  }

  /// Rows that repeat an id seen earlier (the later occurrences), in row order.
  [[nodiscard]] std::span<const account_index> duplicate_rows() const noexcept { return duplicates_; }

  /// n×2 coordinates; see `coordinates_system()` for their meaning.
  [[nodiscard]] const Eigen::MatrixX2d& coordinates() const noexcept { return coordinates_; }
  [[nodiscard]] coordinate_system coordinates_system() const noexcept { return system_; }

  // ---- activities ---------------------------------------------------------------------

  /// Appends an activity column.
  /// Complexity: O(n·m) (the matrix grows by one column).
  /// Throws: invalid_input{errc::size_mismatch} if values.size() != size();
  ///         invalid_input{errc::duplicate_id} (field "activities") if the name exists;
  ///         invalid_input{errc::empty_id} if the name is empty.
  void add_activity(std::string name, const Eigen::Ref<const Eigen::VectorXd>& values) {
    if (name.empty()) {
      throw invalid_input(errc::empty_id, "activities", "account_table::add_activity(): empty column name");
    }
    if (static_cast<std::size_t>(values.size()) != size()) {
      throw invalid_input(errc::size_mismatch, "activities." + name,
                          "account_table::add_activity(): column '" + name + "' has " +
                              std::to_string(values.size()) + " values, expected " +
                              std::to_string(size()) + " (one per account)");
    }
    if (find_activity(name)) {
      throw invalid_input(errc::duplicate_id, "activities",
                          "account_table::add_activity(): column '" + name + "' exists already",
                          std::nullopt, name);
    }
    const Eigen::Index m = activities_.cols();
    activities_.conservativeResize(static_cast<Eigen::Index>(size()), m + 1);
    activities_.col(m) = values;
    activity_names_.push_back(std::move(name));
  }

  /// n×m activity matrix, one column per activity, rows = accounts (column-major).
  [[nodiscard]] const Eigen::MatrixXd& activities() const noexcept { return activities_; }
  [[nodiscard]] const std::vector<std::string>& activity_names() const noexcept { return activity_names_; }

  /// Column of the named activity, if it exists. O(m).
  [[nodiscard]] std::optional<std::size_t> find_activity(std::string_view name) const {
    auto it = std::find(activity_names_.begin(), activity_names_.end(), name);
    if (it == activity_names_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - activity_names_.begin());
  }

  /// Column of the named activity. Throws invalid_input{errc::missing_column} if absent.
  [[nodiscard]] std::size_t activity_column(std::string_view name) const {
    if (auto c = find_activity(name)) return *c;
    throw invalid_input(errc::missing_column, "activities",
                        "account_table: no activity column named '" + std::string(name) + "'",
                        std::nullopt, std::string(name));
  }

  /// n×k matrix with the named columns in the given order.
  /// Throws invalid_input{errc::missing_column} naming the first unknown column.
  [[nodiscard]] Eigen::MatrixXd select_activities(std::span<const std::string> names) const {
    Eigen::MatrixXd out(static_cast<Eigen::Index>(size()), static_cast<Eigen::Index>(names.size()));
    for (std::size_t k = 0; k < names.size(); ++k) {
      out.col(static_cast<Eigen::Index>(k)) = activities_.col(static_cast<Eigen::Index>(activity_column(names[k])));
    }
    return out;
  }

  // ---- categorical attributes (tier, industry, region, size_band, name, …) -------------

  /// Sets (or replaces) a text attribute column. Empty strings mean "missing".
  /// Throws: invalid_input{errc::size_mismatch} if values.size() != size();
  ///         invalid_input{errc::empty_id} if the name is empty.
  void set_attribute(std::string name, std::vector<std::string> values) {
    if (name.empty()) {
      throw invalid_input(errc::empty_id, "attributes", "account_table::set_attribute(): empty column name");
    }
    if (values.size() != size()) {
      throw invalid_input(errc::size_mismatch, "attributes." + name,
                          "account_table::set_attribute(): column '" + name + "' has " +
                              std::to_string(values.size()) + " values, expected " +
                              std::to_string(size()) + " (one per account)");
    }
    for (auto& [n, v] : attributes_) {
      if (n == name) {
        v = std::move(values);
        return;
      }
    }
    attributes_.emplace_back(std::move(name), std::move(values));
  }

  [[nodiscard]] bool has_attribute(std::string_view name) const noexcept {
    return std::any_of(attributes_.begin(), attributes_.end(), [&](const auto& a) { return a.first == name; });
  }

  /// The named text attribute. Throws invalid_input{errc::missing_column} if absent.
  [[nodiscard]] const std::vector<std::string>& attribute(std::string_view name) const {
    for (const auto& [n, v] : attributes_) {
      if (n == name) return v;
    }
    throw invalid_input(errc::missing_column, "attributes",
                        "account_table: no attribute column named '" + std::string(name) + "'",
                        std::nullopt, std::string(name));
  }

  /// Attribute names in the order they were set.
  [[nodiscard]] std::vector<std::string> attribute_names() const {
    std::vector<std::string> out;
    out.reserve(attributes_.size());
    for (const auto& a : attributes_) out.push_back(a.first);
    return out;
  }

  // ---- current owner and lock --------------------------------------------------------

  /// Current owner (territory or rep id) per account; "" = unassigned.
  /// Throws invalid_input{errc::size_mismatch} if owners.size() != size().
  void set_owners(std::vector<std::string> owners) {
    if (owners.size() != size()) {
      throw invalid_input(errc::size_mismatch, "owner",
                          "account_table::set_owners(): " + std::to_string(owners.size()) +
                              " owners, expected " + std::to_string(size()) + " (one per account)");
    }
    owners_ = std::move(owners);
  }
  /// Owners, or an empty vector when none were set.
  [[nodiscard]] const std::vector<std::string>& owners() const noexcept { return owners_; }

  /// Locked flags (1 = must stay with its owner).
  /// Throws invalid_input{errc::size_mismatch} if locked.size() != size().
  void set_locked(std::vector<std::uint8_t> locked) {
    if (locked.size() != size()) {
      throw invalid_input(errc::size_mismatch, "locked",
                          "account_table::set_locked(): " + std::to_string(locked.size()) +
                              " flags, expected " + std::to_string(size()) + " (one per account)");
    }
    locked_ = std::move(locked);
  }
  /// Locked flags, or an empty vector when none were set.
  [[nodiscard]] const std::vector<std::uint8_t>& locked() const noexcept { return locked_; }

 private:
  void check_index(account_index a, const char* what) const {
    if (a >= size()) {
      throw invalid_input(errc::out_of_range, what,
                          "account_table: account index " + std::to_string(a) + " out of range [0, " +
                              std::to_string(size()) + ")",
                          a);
    }
  }

  std::vector<std::string> ids_;
  std::unordered_map<std::string, account_index> index_;
  std::vector<account_index> duplicates_;
  Eigen::MatrixX2d coordinates_;
  coordinate_system system_ = coordinate_system::planar;
  Eigen::MatrixXd activities_;
  std::vector<std::string> activity_names_;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes_;
  std::vector<std::string> owners_;
  std::vector<std::uint8_t> locked_;
};

}  // namespace territory
