#pragma once

/// @file format.hpp
/// Opt-in fmt formatters for the library's enums and records, like fmt's own `ranges.h`:
/// include this header to `fmt::format("{}", x)` a `status`, `errc`, `constraint_kind`,
/// `rep_status`, `problem` or `violation`. Nothing else in the library includes it.
///
/// Output: an enum prints its `to_string()` name; a `problem` prints
/// `[territory.<code>] <message>` (the same text as `invalid_input::what()`); a `violation`
/// prints `<kind>[ territory <t>][ <subject>]: <amount> (<reason>)`.
///
/// Example:
/// @code
/// fmt::print("{}\n", result.why_stopped);             // "time_limit"
/// for (const auto& v : result.violations) fmt::print("{}\n", v);
/// // "balance territory 3 population: 0.02 (territory 3: population 7.0 % above the mean ...)"
/// @endcode

#include <fmt/format.h>

#include <string_view>

#include "territory/core/error.hpp"
#include "territory/core/rep.hpp"
#include "territory/core/status.hpp"

namespace territory::detail {
/// Formats any enum of the library that has a `to_string` overload.
template <class E>
struct enum_formatter : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(E value, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(to_string(value), ctx);
  }
};
}  // namespace territory::detail

/// @cond FMT_SPECIALIZATIONS
// fmt's customisation point (specialisations of a class of another library) is not part of
// the reference: Doxygen cannot place them (fmt's headers are not among its inputs); the
// formats are in the file comment above.
template <>
struct fmt::formatter<territory::status> : territory::detail::enum_formatter<territory::status> {};
template <>
struct fmt::formatter<territory::errc> : territory::detail::enum_formatter<territory::errc> {};
template <>
struct fmt::formatter<territory::constraint_kind> : territory::detail::enum_formatter<territory::constraint_kind> {};
template <>
struct fmt::formatter<territory::rep_status> : territory::detail::enum_formatter<territory::rep_status> {};

/// `[territory.<code>] <message>` — the same text as `invalid_input::what()`.
template <>
struct fmt::formatter<territory::problem> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const territory::problem& p, Context& ctx) const {
    return fmt::format_to(ctx.out(), "[territory.{}] {}", territory::to_string(p.code), p.message);
  }
};

/// `<kind>[ territory <t>][ <subject>]: <amount> (<reason>)`
template <>
struct fmt::formatter<territory::violation> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const territory::violation& v, Context& ctx) const {
    auto out = fmt::format_to(ctx.out(), "{}", territory::to_string(v.kind));
    if (v.territory != territory::no_territory) out = fmt::format_to(out, " territory {}", v.territory);
    if (!v.subject.empty()) out = fmt::format_to(out, " {}", v.subject);
    out = fmt::format_to(out, ": {:.4g}", v.amount);
    if (!v.reason.empty()) out = fmt::format_to(out, " ({})", v.reason);
    return out;
  }
};
/// @endcond
