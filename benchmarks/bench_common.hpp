#pragma once

// Helpers shared by the benchmarks.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string>

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

/// A result contradicts what it claims (the engine's feasible() disagrees with the independent
/// checker, two checkers disagree, a figure that must hold does not): marks the benchmark with an
/// error that starts with "WRONG CLAIM", which fails its CTest smoke run (FAIL_REGULAR_EXPRESSION in
/// benchmarks/CMakeLists.txt). Counters are not enough: nobody reads them in CTest.
inline void wrong_claim(benchmark::State& state, const std::string& what) {
  state.SkipWithError(("WRONG CLAIM: " + what).c_str());
}

/// A benchmark that cannot run here (no METIS, no instances): marked with an error that starts
/// with "SKIPPED", so that its output says so plainly; not a failure.
inline void skipped(benchmark::State& state, const std::string& why) {
  state.SkipWithError(("SKIPPED (not a failure): " + why).c_str());
}

/// Exit code of a benchmark binary whose every benchmark was skipped: CTest reports the smoke
/// run as "Skipped" (SKIP_RETURN_CODE in benchmarks/CMakeLists.txt), not as passed.
inline constexpr int all_skipped_exit_code = 77;

}  // namespace territory::bench
