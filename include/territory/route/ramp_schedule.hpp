#pragma once

/// @file ramp_schedule.hpp
/// Ramp schedule of a new rep: the share of a full load they take, by days since start.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "territory/core/error.hpp"

namespace territory {

/// From `day` days after the start date on, the rep takes `share` of a full load.
struct ramp_step {
  std::int32_t day = 0;
  double share = 1.0;
  friend bool operator==(const ramp_step&, const ramp_step&) = default;
};

/// Steps of a ramp, evaluated at a date. The default is 25 % in week 1 (days 0–13, i.e.
/// weeks 1 and 2), 50 % from week 3 (day 14) and 100 % after a month (day 30 on).
/// Before the start date the share is 0; after the last step it is the last step's share.
struct ramp_schedule {
  std::vector<ramp_step> steps{{0, 0.25}, {14, 0.5}, {30, 1.0}};

  /// Throws invalid_input{errc::invalid_parameter} (field "ramp.steps", index = step) if the
  /// steps are empty, days are not strictly increasing from ≥ 0, or a share is not in [0, 1].
  void check() const {
    if (steps.empty()) throw invalid_input(errc::invalid_parameter, "ramp.steps", "ramp_schedule: no steps");
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].day < 0 || (i > 0 && steps[i].day <= steps[i - 1].day)) {
        throw invalid_input(errc::invalid_parameter, "ramp.steps",
                            "ramp_schedule: step " + std::to_string(i) +
                                " day must be >= 0 and greater than the previous step's", i);
      }
      if (!(steps[i].share >= 0.0 && steps[i].share <= 1.0)) {
        throw invalid_input(errc::invalid_parameter, "ramp.steps",
                            "ramp_schedule: step " + std::to_string(i) + " share must lie in [0, 1]", i);
      }
    }
  }

  /// Share of a full load on `date` for a rep who started on `start`.
  /// Complexity: O(steps). Throws as `check()`.
  [[nodiscard]] double share(std::chrono::sys_days start, std::chrono::sys_days date) const {
    check();
    const auto days = (date - start).count();
    double s = 0.0;  // before the first step (and before the start date): no load
    for (const auto& st : steps) {
      if (days >= st.day) s = st.share;
    }
    return s;
  }
};

}  // namespace territory
