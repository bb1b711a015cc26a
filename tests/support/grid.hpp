#pragma once

// Tiny deterministic instances for tests: a rows×cols grid of unit cells.

#include <string>
#include <utility>
#include <vector>

#include <territory/core/account_table.hpp>
#include <territory/graph/adjacency.hpp>

namespace territory::test {

/// Grid accounts "r<i>c<j>" at (j, i) with activity "revenue" = 1 and "workload" = 1 + (i+j) % 3.
inline account_table grid_table(int rows, int cols) {
  std::vector<std::string> ids;
  Eigen::MatrixX2d xy(rows * cols, 2);
  Eigen::VectorXd rev(rows * cols);
  Eigen::VectorXd work(rows * cols);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const int k = i * cols + j;
      ids.push_back("r" + std::to_string(i) + "c" + std::to_string(j));
      xy(k, 0) = j;
      xy(k, 1) = i;
      rev(k) = 1.0;
      work(k) = 1.0 + (i + j) % 3;
    }
  }
  account_table t(std::move(ids), std::move(xy));
  t.add_activity("revenue", rev);
  t.add_activity("workload", work);
  return t;
}

/// 4-neighbour grid edges by index.
inline std::vector<edge> grid_edges(int rows, int cols) {
  std::vector<edge> out;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const auto k = static_cast<account_index>(i * cols + j);
      if (j + 1 < cols) out.push_back({k, k + 1});
      if (i + 1 < rows) out.push_back({k, static_cast<account_index>(k + cols)});
    }
  }
  return out;
}

/// The same edges by external id.
inline std::vector<std::pair<std::string, std::string>> grid_edge_ids(int rows, int cols) {
  std::vector<std::pair<std::string, std::string>> out;
  auto name = [](int i, int j) { return "r" + std::to_string(i) + "c" + std::to_string(j); };
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      if (j + 1 < cols) out.emplace_back(name(i, j), name(i, j + 1));
      if (i + 1 < rows) out.emplace_back(name(i, j), name(i + 1, j));
    }
  }
  return out;
}

}  // namespace territory::test
