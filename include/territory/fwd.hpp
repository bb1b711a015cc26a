#pragma once

/// @file fwd.hpp
/// Forward declarations of the core types, for headers that only name them.

#include <cstdint>

namespace territory {
using account_index = std::uint32_t;
using territory_index = std::uint32_t;
class account_table;
class adjacency;
class plan;
class invalid_input;
class rng;
struct edge;
struct problem;
struct progress;
struct rep;
struct solve_stats;
struct validation_input;
struct validation_report;
struct violation;
enum class errc : std::uint8_t;
enum class status : std::uint8_t;
enum class constraint_kind : std::uint8_t;
enum class coordinate_system : std::uint8_t;
}  // namespace territory
