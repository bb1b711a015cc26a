#pragma once

// Disjoint sets over 0..n-1 with path halving, the smaller root surviving every union: a set's root
// is always its smallest element, so whatever is derived from the roots is deterministic and
// independent of the order of the unions. Shared by connected_components, the Borůvka links of
// connect_components and the balancing flow's quotient components.

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace territory::detail {

struct union_find {
  std::vector<std::uint32_t> parent;

  /// n singletons. O(n); throws std::bad_alloc.
  explicit union_find(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0U); }

  /// The root (smallest element) of x's set. Amortised O(α(n)); never throws.
  std::uint32_t find(std::uint32_t x) noexcept {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];  // path halving
      x = parent[x];
    }
    return x;
  }

  /// Joins the sets of a and b; false when they were one already. Never throws.
  bool unite(std::uint32_t a, std::uint32_t b) noexcept {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (b < a) std::swap(a, b);
    parent[b] = a;  // the smaller root survives
    return true;
  }
};

}  // namespace territory::detail
