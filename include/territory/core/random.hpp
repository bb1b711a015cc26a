#pragma once

/// @file random.hpp
/// Seeded, portable random numbers.
///
/// `std::mt19937_64` is fully specified by the standard, but the `std::*_distribution`
/// types are not: libstdc++ and libc++ draw different values from them. `territory::rng`
/// wraps the engine with distributions of its own, so that a seed gives the same plan on
/// every platform. There is no global RNG; parallel work derives one stream per task with
/// `derive_seed(seed, task)`.

#include <cmath>
#include <cstdint>
#include <iterator>
#include <random>
#include <utility>

namespace territory {

/// Seed used when the caller gives none. A documented constant, never the clock.
inline constexpr std::uint64_t default_seed = 20261125;

/// SplitMix64 finaliser: mixes `seed` with `stream` into an independent seed.
/// Complexity O(1). Deterministic and platform independent.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

/// Portable random number generator: `std::mt19937_64` plus distributions defined here.
class rng {
  __extension__ typedef unsigned __int128 u128;

 public:
  using result_type = std::uint64_t;

  explicit rng(std::uint64_t seed = default_seed) : engine_(seed) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return ~result_type{0}; }
  result_type operator()() { return engine_(); }

  /// Uniform integer in [0, bound) without modulo bias (Lemire's method). bound must be > 0.
  [[nodiscard]] std::uint64_t below(std::uint64_t bound) {
    if (bound <= 1) return 0;
    u128 m = static_cast<u128>(engine_()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<u128>(engine_()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64U);
  }

  /// Uniform integer in [lo, hi] (inclusive). Requires lo <= hi.
  [[nodiscard]] std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    if (span == 0) return static_cast<std::int64_t>(engine_());  // full 64-bit range
    return lo + static_cast<std::int64_t>(below(span));
  }

  /// Uniform real in [0, 1) with 53 random bits.
  [[nodiscard]] double uniform01() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }

  /// Uniform real in [lo, hi).
  [[nodiscard]] double uniform_real(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

  /// Standard normal deviate (Box–Muller on this generator's uniforms).
  [[nodiscard]] double normal(double mean = 0.0, double stddev = 1.0) {
    double u1 = uniform01();
    while (u1 <= 0.0) u1 = uniform01();
    const double u2 = uniform01();
    return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  /// Fisher–Yates shuffle of a random-access range, portable across standard libraries.
  template <class RandomIt>
  void shuffle(RandomIt first, RandomIt last) {
    const auto n = static_cast<std::uint64_t>(std::distance(first, last));
    for (std::uint64_t i = n; i > 1; --i) {
      const auto j = below(i);
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

  /// The underlying engine, for algorithms that need one (never with std distributions).
  [[nodiscard]] std::mt19937_64& engine() noexcept { return engine_; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace territory
