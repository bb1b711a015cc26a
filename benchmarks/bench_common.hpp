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

/// The number in environment variable `name`, or `fallback` when it is unset or empty.
inline double env_double(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atof(v) : fallback;
}

}  // namespace territory::bench
