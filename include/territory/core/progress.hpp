#pragma once

/// @file progress.hpp
/// Progress reporting and cooperative cancellation for long calls.
///
/// Long calls (clustering, balancing, sweeps) take, in their options, a `progress_callback`
/// and a `std::stop_token`. The callback runs on the calling thread, at most every few
/// thousand moves or every 100 ms. Returning `true` from it, or a stop request, ends the
/// search at the next safe point with `status::cancelled` and the best plan found so far.

#include <concepts>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string_view>
#include <type_traits>
#include <utility>

namespace territory {

/// A snapshot of a running search, passed to the progress callback.
struct progress {
  std::string_view phase;       ///< e.g. "construct", "balance", "compact"
  std::uint64_t iteration = 0;  ///< iterations so far
  double seconds = 0.0;         ///< wall time since the call started
  double best_objective = 0.0;  ///< objective of the best plan so far (lower is better)
  std::size_t violations = 0;   ///< hard-constraint violations of the best plan so far
};

/// A callable that observes progress: `f(p)` with `const progress& p` is valid and returns
/// `void` (observe only) or something convertible to `bool` (`true` requests a stop).
///
/// Example model:
/// @code
/// auto log = [](const territory::progress& p) { last_seen = p.iteration; };        // void
/// auto stop_after = [](const territory::progress& p) { return p.seconds > 2.0; };  // bool
/// @endcode
template <class F>
concept progress_observer =
    std::invocable<F&, const progress&> &&
    (std::is_void_v<std::invoke_result_t<F&, const progress&>> ||
     std::convertible_to<std::invoke_result_t<F&, const progress&>, bool>);

/// Type-erased progress callback held by option structs. Empty means "no observer".
/// Returns true to request a stop.
using progress_callback = std::function<bool(const progress&)>;

/// Wraps any `progress_observer` (void- or bool-returning) into a `progress_callback`.
template <progress_observer F>
[[nodiscard]] progress_callback make_progress_callback(F f) {
  return [f = std::move(f)](const progress& p) mutable -> bool {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, const progress&>>) {
      f(p);
      return false;
    } else {
      return static_cast<bool>(f(p));
    }
  };
}

/// Calls `callback` (if any) and checks `stop`; true when the caller must stop.
[[nodiscard]] inline bool should_stop(const progress_callback& callback, const std::stop_token& stop,
                                      const progress& p) {
  if (stop.stop_requested()) return true;
  return callback && callback(p);
}

}  // namespace territory
