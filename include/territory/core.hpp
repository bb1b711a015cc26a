#pragma once

/// @file core.hpp
/// All of `core/`: ids, errors, account table, plan, reps, status, progress, RNG, validation.

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/plan.hpp"
#include "territory/core/progress.hpp"
#include "territory/core/random.hpp"
#include "territory/core/rep.hpp"
#include "territory/core/status.hpp"
#include "territory/core/validate.hpp"
