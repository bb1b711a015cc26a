#pragma once

/// @file score_accounts.hpp
/// `territory::score_accounts`: weighted composite scores of every account, vectorised over
/// the criteria columns (Eigen), with an explicit missing-value policy.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/detail/score/normalize.hpp"
#include "territory/score/scoring_policy.hpp"

namespace territory {

/// Extra inputs of the matrix form of `score_accounts`.
struct score_inputs {
  std::span<const std::string> segments{};  ///< segment per account (for imputation); empty = one segment
  std::span<const account_index> named{};   ///< named accounts (strategic value floored)
  std::span<const std::string> ids{};       ///< external ids, used only in error messages
};

/// Result of `score_accounts`.
struct [[nodiscard]] score_result {
  Eigen::VectorXd score;              ///< n composite scores, 0–100
  Eigen::MatrixXd normalized;         ///< n×k normalised criteria, 0–100 (after imputation / floors)
  std::vector<account_index> filled;  ///< accounts with at least one imputed or zeroed value, increasing
  std::size_t missing_values = 0;     ///< number of NaN entries handled by the missing policy
};

namespace detail {

inline std::string who(const std::vector<std::string>* ids, std::size_t i) {
  return ids != nullptr ? "'" + (*ids)[i] + "'" : std::to_string(i);
}

inline score_result score_impl(Eigen::MatrixXd m, const scoring_policy& policy, std::span<const std::string> segments,
                               std::span<const account_index> named, const std::vector<std::string>* ids) {
  const auto n = static_cast<std::size_t>(m.rows());
  const std::size_t k = policy.criteria.size();
  if (k == 0) {
    throw invalid_input(errc::invalid_parameter, "criteria", "score_accounts(): the policy has no criterion");
  }
  if (static_cast<std::size_t>(m.cols()) != k) {
    throw invalid_input(errc::size_mismatch, "criteria",
                        "score_accounts(): criteria has " + std::to_string(m.cols()) + " columns, expected " +
                            std::to_string(k) + " (one per criterion of the policy)");
  }
  double wsum = 0.0;
  for (std::size_t c = 0; c < k; ++c) {
    const double w = policy.criteria[c].weight;
    if (!std::isfinite(w)) {
      throw invalid_input(errc::non_finite, "weights",
                          "score_accounts(): weight of criterion '" + policy.criteria[c].name + "' is not finite", c,
                          policy.criteria[c].name);
    }
    if (w < 0) {
      throw invalid_input(errc::negative_value, "weights",
                          "score_accounts(): weight of criterion '" + policy.criteria[c].name + "' is " +
                              std::to_string(w) + ", expected >= 0",
                          c, policy.criteria[c].name);
    }
    wsum += w;
  }
  if (std::abs(wsum - 1.0) > 1e-9) {
    throw invalid_input(errc::invalid_parameter, "weights",
                        "score_accounts(): weights sum to " + std::to_string(wsum) + ", expected 1 (within 1e-9)");
  }
  if (!(std::isfinite(policy.z_clip) && policy.z_clip > 0)) {
    throw invalid_input(errc::out_of_range, "z_clip", "score_accounts(): z_clip must be finite and > 0");
  }
  if (!(policy.named_floor >= 0 && policy.named_floor <= 100)) {
    throw invalid_input(errc::out_of_range, "named_floor", "score_accounts(): named_floor must lie in [0, 100]");
  }
  if (!segments.empty() && segments.size() != n) {
    throw invalid_input(errc::size_mismatch, "segments",
                        "score_accounts(): segments has " + std::to_string(segments.size()) + " values, expected " +
                            std::to_string(n) + " (one per account)");
  }
  std::size_t strategic = k;
  if (!named.empty()) {
    for (std::size_t c = 0; c < k; ++c) {
      if (policy.criteria[c].name == policy.strategic_criterion) strategic = c;
    }
    if (strategic == k) {
      throw invalid_input(
          errc::missing_column, "strategic_criterion",
          "score_accounts(): named accounts given but the policy has no criterion '" + policy.strategic_criterion + "'",
          std::nullopt, policy.strategic_criterion);
    }
    for (std::size_t i = 0; i < named.size(); ++i) {
      if (named[i] >= n) {
        throw invalid_input(
            errc::out_of_range, "named",
            "score_accounts(): named account " + std::to_string(named[i]) + " outside [0, " + std::to_string(n) + ")",
            i);
      }
    }
  }
  // missing values: validate everything before any work
  std::vector<char> missing_any;
  score_result out;
  std::vector<std::vector<char>> valid(k);  // empty = every value of the column is present
  for (std::size_t c = 0; c < k; ++c) {
    if (m.col(static_cast<Eigen::Index>(c)).allFinite()) continue;
    valid[c].assign(n, 1);
    const std::string field = "criteria." + policy.criteria[c].name;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
      if (std::isnan(v)) {
        if (policy.missing == missing_policy::reject) {
          throw invalid_input(errc::non_finite, field,
                              "score_accounts(): account " + who(ids, i) + " has no value for " +
                                  policy.criteria[c].name + " (missing_policy::reject)",
                              i, ids ? (*ids)[i] : std::string());
        }
        valid[c][i] = 0;
        if (missing_any.empty()) missing_any.assign(n, 0);
        missing_any[i] = 1;
        ++out.missing_values;
      } else if (!std::isfinite(v)) {
        throw invalid_input(errc::non_finite, field,
                            "score_accounts(): account " + who(ids, i) + " has an infinite " + policy.criteria[c].name,
                            i, ids ? (*ids)[i] : std::string());
      }
    }
  }
  if (out.missing_values > 0 && policy.missing == missing_policy::impute_segment_median) {
    // segment ids by first appearance (deterministic)
    std::vector<std::size_t> seg(n, 0);
    std::size_t nseg = 1;
    if (!segments.empty()) {
      std::map<std::string_view, std::size_t> ids_of;
      for (std::size_t i = 0; i < n; ++i) seg[i] = ids_of.try_emplace(segments[i], ids_of.size()).first->second;
      nseg = ids_of.size();
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (valid[c].empty()) continue;
      std::vector<std::vector<double>> vals(nseg);
      std::vector<double> all;
      for (std::size_t i = 0; i < n; ++i) {
        if (!valid[c][i]) continue;
        vals[seg[i]].push_back(m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)));
      }
      std::vector<double> med(nseg, std::nan(""));
      for (std::size_t s = 0; s < nseg; ++s) {
        if (!vals[s].empty()) med[s] = detail::median(vals[s]);
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (valid[c][i]) continue;
        if (std::isnan(med[seg[i]])) {
          throw invalid_input(errc::non_finite, "criteria." + policy.criteria[c].name,
                              "score_accounts(): account " + who(ids, i) + " has no value for " +
                                  policy.criteria[c].name + " and no account of its segment" +
                                  (segments.empty() ? std::string() : " '" + segments[i] + "'") +
                                  " has one to impute from",
                              i, ids ? (*ids)[i] : std::string());
        }
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = med[seg[i]];
        valid[c][i] = 1;
      }
    }
  }
  for (std::size_t c = 0; c < k; ++c) {
    detail::normalize_column(m.col(static_cast<Eigen::Index>(c)), policy.criteria[c].norm, policy.z_clip, valid[c],
                             "criteria." + policy.criteria[c].name, ids);
    if (policy.missing == missing_policy::zero && !valid[c].empty()) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!valid[c][i]) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = 0.0;
      }
    }
  }
  if (strategic < k) {
    for (auto a : named) {
      double& v = m(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(strategic));
      v = std::max(v, policy.named_floor);
    }
  }
  Eigen::VectorXd w(static_cast<Eigen::Index>(k));
  for (std::size_t c = 0; c < k; ++c) w(static_cast<Eigen::Index>(c)) = policy.criteria[c].weight;
  out.score = m * w;
  out.normalized = std::move(m);
  for (std::size_t i = 0; i < missing_any.size(); ++i) {
    if (missing_any[i]) out.filled.push_back(static_cast<account_index>(i));
  }
  return out;
}

}  // namespace detail

/// Scores n accounts from an n×k criteria matrix whose column c is `policy.criteria[c]`.
///
/// Each column is normalised to 0–100 by its criterion's normaliser, missing values (NaN)
/// are handled by `policy.missing`, named accounts get at least `policy.named_floor` on the
/// strategic criterion, and the score is the weighted sum (a matrix–vector product).
///
/// @param criteria n×k, rows = accounts (copied once: the normalised matrix is returned).
/// @param policy the criteria (normaliser and weight of each column), the missing-value policy, the
///        z-score clip and the named floor (`scoring_policy`).
/// @param inputs segments (for imputation), named accounts and ids for messages (`score_inputs`); all optional.
/// Complexity: O(n·k) for min–max, z-score and identity; O(n log n) per percentile-rank
/// column; O(n log n) per column with missing values under imputation.
/// Throws: invalid_input{errc::size_mismatch} (field "criteria") if the column count differs
///   from the policy; {errc::invalid_parameter} (field "weights") if the weights do not sum
///   to 1 within 1e-9, {errc::negative_value}/{errc::non_finite} (field "weights", index =
///   criterion) for a bad weight; {errc::non_finite} (field "criteria.<name>", index =
///   account, id) for a missing value under `reject`, an infinite value, or a missing value
///   whose segment has nothing to impute from; {errc::out_of_range} (field
///   "criteria.<name>") for an identity-normalised value outside 0–100; {errc::size_mismatch}
///   (field "segments"); {errc::out_of_range} (field "named"); {errc::missing_column} (field
///   "strategic_criterion") if named accounts are given and the policy lacks that criterion.
/// Example (examples/score_accounts.cpp):
/// @code
/// territory::scoring_policy policy{};  // the default 40/25/20/15 policy
/// policy.missing = territory::missing_policy::impute_segment_median;
/// const auto scored = territory::score_accounts(table, policy, named);
/// const auto tiers = territory::assign_tiers(scored.score, territory::tier_quantiles{.a = 0.2, .b = 0.5, .c = 0.8});
/// @endcode
/// Determinism: a pure function of its input.
[[nodiscard]] inline score_result score_accounts(const Eigen::Ref<const Eigen::MatrixXd>& criteria,
                                                 const scoring_policy& policy = {}, const score_inputs& inputs = {}) {
  std::vector<std::string> ids;
  if (!inputs.ids.empty()) {
    if (inputs.ids.size() != static_cast<std::size_t>(criteria.rows())) {
      throw invalid_input(errc::size_mismatch, "ids",
                          "score_accounts(): ids has " + std::to_string(inputs.ids.size()) + " values, expected " +
                              std::to_string(criteria.rows()) + " (one per account)");
    }
    ids.assign(inputs.ids.begin(), inputs.ids.end());
  }
  return detail::score_impl(criteria, policy, inputs.segments, inputs.named, ids.empty() ? nullptr : &ids);
}

/// Scores the accounts of a table: the criteria are the activity columns named by the
/// policy, segments the attribute `policy.segment_attribute` (needed only to impute).
/// Throws: invalid_input{errc::missing_column} (field "activities", id = name) for an
///   unknown criterion column, (field "attributes") for a missing segment attribute when a
///   value must be imputed; otherwise as the matrix form, with the account ids in messages.
[[nodiscard]] inline score_result score_accounts(const account_table& accounts, const scoring_policy& policy = {},
                                                 std::span<const account_index> named = {}) {
  std::vector<std::string> names;
  for (const auto& c : policy.criteria) names.push_back(c.name);
  const Eigen::MatrixXd m = accounts.select_activities(names);
  std::span<const std::string> segments;
  if (policy.missing == missing_policy::impute_segment_median && m.hasNaN() && !policy.segment_attribute.empty()) {
    segments = accounts.attribute(policy.segment_attribute);
  }
  return detail::score_impl(m, policy, segments, named, &accounts.ids());
}

}  // namespace territory
