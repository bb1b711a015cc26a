#pragma once

/// @file routing_account.hpp
/// The attributes of one account that routing rules look at, as non-owning views.

#include <optional>
#include <string_view>

namespace territory {

/// A new account as the router sees it. Views must outlive the call they are passed to.
/// Empty strings are "missing" and match only rules that leave the attribute empty.
struct routing_account {
  std::string_view id{};      ///< external id (named rules)
  std::string_view domain{};   ///< e.g. "example.com" (named rules); may be empty
  std::string_view industry{};
  std::string_view region{};
  std::string_view size_band{};
  std::optional<double> employees{};  ///< missing = matches only rules without an employee range
};

}  // namespace territory
