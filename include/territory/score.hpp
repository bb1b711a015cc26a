#pragma once

/// @file score.hpp
/// Scoring and data hygiene: normalisers, scoring policy, composite scores, tiers.

#include "territory/score/duplicates.hpp"
#include "territory/score/normalizer.hpp"
#include "territory/score/score_accounts.hpp"
#include "territory/score/scoring_policy.hpp"
#include "territory/score/tier.hpp"
