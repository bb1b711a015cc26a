#pragma once

/// @file ids.hpp
/// Dense indices for accounts and territories.
///
/// External string ids are mapped to dense indices once, by `account_table`;
/// everything inside the library works on indices.

#include <cstdint>
#include <limits>

namespace territory {

/// Dense index of an account (row of the account table), 0 … n−1.
using account_index = std::uint32_t;

/// Dense index of a territory, 0 … p−1.
using territory_index = std::uint32_t;

/// Marks an account that is not assigned to any territory.
inline constexpr territory_index no_territory = std::numeric_limits<territory_index>::max();

/// Marks "no account" (e.g. a snapshot account that is gone, a territory without a home account).
inline constexpr account_index no_account = std::numeric_limits<account_index>::max();

/// Largest number of accounts the index type can address.
inline constexpr std::size_t max_accounts = std::numeric_limits<account_index>::max() - 1;

}  // namespace territory
