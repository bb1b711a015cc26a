#pragma once

// Helpers shared by the benchmarks.

#include <cstdlib>
#include <cstring>

namespace territory::bench {

/// True under CTest's smoke run (TERRITORY_BENCH_SMOKE=1): register the smallest size only.
inline bool smoke() {
  const char* v = std::getenv("TERRITORY_BENCH_SMOKE");
  return v != nullptr && std::strcmp(v, "0") != 0;
}

}  // namespace territory::bench
