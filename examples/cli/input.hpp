#pragma once

// Loading the exchange format (FORMAT.md) into the library's core types. Every error
// names the file, the line and the column or id at fault.

#include <optional>
#include <string>
#include <vector>

#include <territory/core.hpp>
#include <territory/graph/adjacency.hpp>

#include "csv.hpp"

namespace territory_cli {

/// Columns of accounts.csv that are always text, never activities.
[[nodiscard]] bool is_text_column(std::string_view name) noexcept;

struct loaded_accounts {
  territory::account_table table;
  std::vector<std::size_t> lines;  ///< physical line of each account, for messages
  std::string file;
};

/// Reads accounts.csv. Coordinates: `x,y` (planar km) if present, else `lat,lon` (WGS84).
/// Numeric columns become activities; known text columns (and columns whose first value
/// is not a number) become attributes; `owner` and `locked` are read as such.
/// Throws input_error for a missing column, an empty id, or a cell that is not a number
/// in a numeric column (naming file, line and column).
[[nodiscard]] loaded_accounts load_accounts(const std::string& path);

struct loaded_edges {
  std::vector<territory::edge> edges;
  std::vector<double> lengths;  ///< empty unless the file has a `length` column
  std::vector<std::size_t> lines;
};

/// Reads adjacency.csv (`a,b[,length]`) against the accounts. Throws input_error naming
/// file and line for an unknown id, a self-loop or a bad length.
[[nodiscard]] loaded_edges load_adjacency(const std::string& path, const loaded_accounts& accounts);

/// Reads reps.csv (`id` plus optional `x,y`/`lat,lon`, `capacity`, `team`, `start_date`,
/// `status`, `skills` separated by `;`). Throws input_error naming file, line and column.
/// `system`, if given, receives the coordinate system of the home columns (nullopt without them).
[[nodiscard]] std::vector<territory::rep> load_reps(const std::string& path,
                                                   std::optional<territory::coordinate_system>* system = nullptr);

/// "file:line: " of account `a`.
[[nodiscard]] std::string where_account(const loaded_accounts& acc, std::size_t a);

/// Turns a library validation problem into a message naming the file and line.
[[nodiscard]] std::string describe(const territory::problem& p, const loaded_accounts& acc,
                                   const loaded_edges* edges, const std::string& adjacency_file,
                                   const std::string& reps_file);

}  // namespace territory_cli
