#pragma once

// Building an `adjacency` from CSR arrays the engine has already made valid (the coarsening's
// contracted graphs), without the sort and the checks of adjacency::from_edges: at 10^6 accounts
// that sort was about a quarter of the coarsening's time.

#include <cstddef>
#include <utility>

#include "territory/core/ids.hpp"
#include "territory/detail/huge_pages.hpp"
#include "territory/graph/adjacency.hpp"

namespace territory::detail {

struct adjacency_access {
  /// The graph whose row v is targets[offsets[v] .. offsets[v+1]). Unchecked precondition: offsets
  /// start at 0, never decrease and end at targets.size(); every row is strictly increasing (sorted,
  /// no duplicates), holds no self-loop, only indices < offsets.size() - 1, and the graph is
  /// symmetric. O(1) (the vectors are moved in).
  [[nodiscard]] static adjacency from_valid_csr(huge_vector<std::size_t> offsets, huge_vector<account_index> targets) {
    adjacency g;
    g.offsets_ = std::move(offsets);
    g.targets_ = std::move(targets);
    return g;
  }
};

}  // namespace territory::detail
