#pragma once

/// @file error.hpp
/// Typed exceptions for bad input, and the `problem` record that validation collects.
///
/// Invalid input throws `territory::invalid_input` (derived from `std::invalid_argument`),
/// carrying a machine-readable `errc`, the field at fault, an optional index and an
/// optional external id. `what()` starts with `[territory.<code>]`, e.g.
/// `[territory.size_mismatch] balance(): activities has 118 rows, expected 120 (one per account)`.
///
/// Infeasibility, limits and cancellation are *not* exceptions: they are outcomes reported
/// in result objects (see `core/status.hpp`).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace territory {

/// Error codes of `invalid_input`. Stable: new codes are only appended.
enum class errc : std::uint8_t {
  size_mismatch,      ///< two inputs that must have the same length do not
  non_finite,         ///< a value is NaN or infinite
  negative_value,     ///< a value that must be ≥ 0 is negative
  duplicate_id,       ///< an id occurs twice
  unknown_id,         ///< an id refers to nothing known
  empty_id,           ///< an id is the empty string
  self_loop,          ///< an edge joins an account to itself
  out_of_range,       ///< an index or parameter lies outside its allowed range
  missing_owner,      ///< a locked account has no owner
  missing_column,     ///< a named column does not exist
  invalid_parameter,  ///< an option has a value that makes no sense (e.g. weights not summing to 1)
  parse_error,        ///< text that should hold a number, date or enum does not
};

/// Short, stable name of an error code, as used in `what()` (`"size_mismatch"`, …).
[[nodiscard]] constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::size_mismatch: return "size_mismatch";
    case errc::non_finite: return "non_finite";
    case errc::negative_value: return "negative_value";
    case errc::duplicate_id: return "duplicate_id";
    case errc::unknown_id: return "unknown_id";
    case errc::empty_id: return "empty_id";
    case errc::self_loop: return "self_loop";
    case errc::out_of_range: return "out_of_range";
    case errc::missing_owner: return "missing_owner";
    case errc::missing_column: return "missing_column";
    case errc::invalid_parameter: return "invalid_parameter";
    case errc::parse_error: return "parse_error";
  }
  return "unknown";
}

/// One thing wrong with an input: what, where, and a sentence for people.
struct problem {
  errc code = errc::invalid_parameter;
  std::string field;                  ///< the input or column at fault, e.g. "activities.revenue"
  std::optional<std::size_t> index;   ///< row, edge or rule index, where there is one
  std::string id;                     ///< external id, where there is one
  std::string message;                ///< full sentence, without the `[territory.x]` prefix

  friend bool operator==(const problem&, const problem&) = default;
};

/// Thrown for invalid input at the library's API boundary, before any work is done,
/// so that a throw leaves every output untouched.
class invalid_input : public std::invalid_argument {
 public:
  explicit invalid_input(problem p)
      : std::invalid_argument(make_what(p)), problem_(std::move(p)) {}

  invalid_input(errc code, std::string field, std::string message,
                std::optional<std::size_t> index = std::nullopt, std::string id = {})
      : invalid_input(problem{code, std::move(field), index, std::move(id), std::move(message)}) {}

  [[nodiscard]] errc code() const noexcept { return problem_.code; }
  [[nodiscard]] const std::string& field() const noexcept { return problem_.field; }
  [[nodiscard]] std::optional<std::size_t> index() const noexcept { return problem_.index; }
  [[nodiscard]] const std::string& id() const noexcept { return problem_.id; }
  [[nodiscard]] const std::string& message() const noexcept { return problem_.message; }
  [[nodiscard]] const problem& details() const noexcept { return problem_; }

 private:
  static std::string make_what(const problem& p) {
    std::string s = "[territory.";
    s += to_string(p.code);
    s += "] ";
    s += p.message;
    return s;
  }
  problem problem_;
};

}  // namespace territory
