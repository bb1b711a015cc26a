#pragma once

// Implementation of plan/scenario.hpp (included at its end).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "territory/geo/drive_time.hpp"
#include "territory/geo/haversine.hpp"
#include "territory/plan/scenario.hpp"

namespace territory {

namespace detail::scen {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

/// The column a preset puts 60 % on: `exact` (case-insensitive), else the first containing `part`;
/// columns.size() when none.
inline std::size_t find_column(std::span<const std::string> columns, std::string_view exact, std::string_view part) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (lower(columns[c]) == exact) return c;
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (lower(columns[c]).find(part) != std::string::npos) return c;
  }
  return columns.size();
}

/// The distances' unit for the summary sentences.
template <class Distance>
constexpr std::string_view unit_of() {
  if constexpr (std::is_same_v<Distance, haversine>) return "km";
  else if constexpr (std::is_same_v<Distance, drive_time>) return "h";
  else return "";
}

inline std::string with_unit(double x, std::string_view unit, int decimals) {
  return unit.empty() ? fmt::format("{:.{}f}", x, decimals) : fmt::format("{:.{}f} {}", x, decimals, unit);
}

/// |a − b| is more than 1 % of the larger (and not a rounding speck).
inline bool material(double a, double b, double abs_floor) {
  const double d = std::abs(a - b);
  return d > abs_floor && d > 0.01 * std::max(std::abs(a), std::abs(b));
}

/// `a` and `b` with `decimals` decimals, or more (up to 9) until the two texts differ.
inline std::pair<std::string, std::string> distinct(double a, double b, int decimals) {
  for (int d = decimals;; ++d) {
    auto sa = fmt::format("{:.{}f}", a, d), sb = fmt::format("{:.{}f}", b, d);
    if (sa != sb || d >= 9) return {std::move(sa), std::move(sb)};
  }
}

inline std::string join_and(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i == 0 ? "" : i + 1 == v.size() ? " and " : ", ") + v[i];
  return s;
}

/// What `a` gains (first) and gives up (second) against `b`, measure by measure, with the numbers.
inline std::pair<std::vector<std::string>, std::vector<std::string>> compare(const scenario_scorecard& a,
                                                                            const scenario_scorecard& b,
                                                                            std::string_view unit) {
  std::vector<std::string> gains, losses;
  if (a.feasible != b.feasible) {
    (a.feasible ? gains : losses)
        .push_back(a.feasible ? "feasibility (it meets every hard constraint; " + b.name + " does not)"
                              : "feasibility (it misses a hard constraint that " + b.name + " meets)");
  }
  for (std::size_t c = 0; c < a.gini.size() && c < b.gini.size(); ++c) {
    const double ga = a.gini[c], gb = b.gini[c];
    if (!material(ga, gb, 5e-4)) continue;
    const std::string col = c < a.columns.size() ? a.columns[c] : "column " + std::to_string(c + 1);
    const auto [ta, tb] = distinct(ga, gb, 3);
    (ga < gb ? gains : losses)
        .push_back(fmt::format("a {} even split of {} (Gini {} vs {})", ga < gb ? "more" : "less", col, ta, tb));
  }
  if (material(a.max_diameter, b.max_diameter, 1e-9)) {
    const bool better = a.max_diameter < b.max_diameter;
    (better ? gains : losses)
        .push_back(fmt::format("a widest territory {} {} ({} vs {})",
                               with_unit(std::abs(a.max_diameter - b.max_diameter), unit, 0), better ? "narrower" : "wider",
                               with_unit(a.max_diameter, unit, 0), with_unit(b.max_diameter, unit, 0)));
  }
  const auto ca = static_cast<double>(a.cut_edges), cb = static_cast<double>(b.cut_edges);
  if (material(ca, cb, 0.5)) {
    const bool better = ca < cb;
    (better ? gains : losses)
        .push_back(fmt::format("{:.0f} % {} boundaries ({} vs {} shared borders between territories)",
                               100.0 * std::abs(ca - cb) / std::max(ca, cb), better ? "shorter" : "longer", a.cut_edges,
                               b.cut_edges));
  }
  if (a.travel && b.travel && material(*a.travel, *b.travel, 1e-9)) {
    const bool better = *a.travel < *b.travel;
    (better ? gains : losses)
        .push_back(fmt::format("{:.0f} % {} travel from the reps' homes ({} vs {} in total)",
                               100.0 * std::abs(*a.travel - *b.travel) / std::max(*a.travel, *b.travel),
                               better ? "less" : "more", with_unit(*a.travel, unit, 0), with_unit(*b.travel, unit, 0)));
  }
  if (a.moves && b.moves && material(static_cast<double>(*a.moves), static_cast<double>(*b.moves), 0.5)) {
    const bool better = *a.moves < *b.moves;
    const std::size_t d = better ? *b.moves - *a.moves : *a.moves - *b.moves;
    (better ? gains : losses)
        .push_back(fmt::format("{} {} account{} moved from the current plan ({} vs {})", d, better ? "fewer" : "more",
                               d == 1 ? "" : "s", *a.moves, *b.moves));
  }
  return {std::move(gains), std::move(losses)};
}

inline void check_weight(double w, const char* field, const std::string& what, std::size_t index) {
  if (!std::isfinite(w) || w < 0.0) {
    throw invalid_input(std::isfinite(w) ? errc::negative_value : errc::non_finite, field,
                        fmt::format("{}: weight {} must be finite and >= 0", what, w), index);
  }
}

}  // namespace detail::scen

inline std::optional<scenario_preset> preset_from_string(std::string_view s) noexcept {
  for (auto p : {scenario_preset::baseline, scenario_preset::revenue, scenario_preset::travel, scenario_preset::growth,
                 scenario_preset::custom}) {
    const auto full = to_string(p);
    if (s == full || s == full.substr(0, full.find('-'))) return p;
  }
  return std::nullopt;
}

inline scenario make_preset(scenario_preset preset, std::span<const std::string> columns, bool homes, std::string name) {
  if (columns.empty()) {
    throw invalid_input(errc::out_of_range, "columns", "make_preset(): at least one balanced column is needed");
  }
  const std::size_t m = columns.size();
  scenario s;
  s.preset = preset;
  s.name = name.empty() ? std::string(to_string(preset)) : std::move(name);
  s.reps_in_design = homes;
  // the objectives: compactness, travel (with homes), the evenness of each column
  const std::size_t k = 1 + (homes ? 1 : 0) + m;
  auto spread = [&](double total, std::size_t over) { return over == 0 ? 0.0 : total / static_cast<double>(over); };
  auto fill = [&](double rest) {
    s.objective.compactness = rest;
    s.objective.travel = homes ? rest : 0.0;
    s.objective.balance.assign(m, rest);
  };
  switch (preset) {
    case scenario_preset::baseline:
      fill(spread(1.0, k));
      s.description = fmt::format("equal weights on all {} objectives (compactness, {}the evenness of every column)", k,
                                  homes ? "travel, " : "");
      break;
    case scenario_preset::revenue: {
      auto c = detail::scen::find_column(columns, "revenue", "revenue");
      const bool found = c < m;
      if (!found) c = 0;
      fill(spread(0.4, k - 1));
      s.objective.balance[c] = 0.6;
      s.description = fmt::format("60 % on an even split of {}{}, 40 % spread over the other objectives", columns[c],
                                  found ? "" : " (no revenue column: the first balanced column)");
      break;
    }
    case scenario_preset::travel:
      fill(spread(0.4, k - 1));
      s.objective.travel = homes ? 0.6 : 0.0;
      s.description = "60 % on travel from the reps' homes, 40 % spread over the other objectives";
      if (!homes) s.skip_reason = "travel-optimised needs the reps' homes (reps in the design); none were given";
      break;
    case scenario_preset::growth: {
      const auto c = detail::scen::find_column(columns, "growth", "growth");
      fill(spread(0.4, k - 1));
      if (c < m) {
        s.objective.balance[c] = 0.6;
        s.description = fmt::format("60 % on an even split of {}, 40 % spread over the other objectives", columns[c]);
      } else {
        s.description = "60 % on an even split of the high-growth column";
        s.skip_reason = "growth-focused needs a balanced column whose name contains 'growth'; there is none";
      }
      break;
    }
    case scenario_preset::custom:
      s.description = "the user's weights";
      s.reps_in_design = false;
      break;
  }
  return s;
}

inline std::vector<scenario> preset_scenarios(std::span<const std::string> columns, bool homes) {
  return {make_preset(scenario_preset::baseline, columns, homes), make_preset(scenario_preset::revenue, columns, homes),
          make_preset(scenario_preset::travel, columns, homes), make_preset(scenario_preset::growth, columns, homes)};
}

inline std::vector<rep> scenario_reps(const scenario& s, std::span<const rep> shared) {
  std::vector<rep> out(shared.begin(), shared.end());
  for (auto& r : out) {
    if (std::find(s.remove_reps.begin(), s.remove_reps.end(), r.id) != s.remove_reps.end()) r.status = rep_status::departed;
  }
  out.insert(out.end(), s.add_reps.begin(), s.add_reps.end());
  return out;
}

namespace detail::scen {

inline std::vector<std::string> active_ids(std::span<const rep> reps) {
  std::vector<std::string> ids;
  for (const auto& r : reps) {
    if (r.status == rep_status::active) ids.push_back(r.id);
  }
  return ids;
}

/// Checks scenario `s`'s rep changes against the shared reps (validate_scenarios); returns the number
/// of active reps it designs around.
inline std::size_t check_rep_changes(const scenario& s, std::span<const rep> shared, const std::string& who,
                                     std::size_t i) {
  const char* f = "scenarios";
  if (!s.reps_in_design && (!s.remove_reps.empty() || !s.add_reps.empty())) {
    throw invalid_input(errc::invalid_parameter, f,
                        who + ": adding or removing reps needs the design around the reps (reps_in_design)", i, s.name);
  }
  for (std::size_t k = 0; k < s.remove_reps.size(); ++k) {
    const auto& id = s.remove_reps[k];
    const auto it = std::find_if(shared.begin(), shared.end(), [&](const rep& r) { return r.id == id; });
    if (it == shared.end() || it->status != rep_status::active) {
      throw invalid_input(errc::unknown_id, f,
                          fmt::format("{}: cannot remove rep '{}': {}", who, id,
                                      it == shared.end() ? "there is no such rep" : "the rep has already departed"),
                          i, id);
    }
    if (std::find(s.remove_reps.begin(), s.remove_reps.begin() + static_cast<std::ptrdiff_t>(k), id) !=
        s.remove_reps.begin() + static_cast<std::ptrdiff_t>(k)) {
      throw invalid_input(errc::duplicate_id, f, fmt::format("{}: rep '{}' is removed twice", who, id), i, id);
    }
  }
  for (std::size_t k = 0; k < s.add_reps.size(); ++k) {
    const auto& r = s.add_reps[k];
    if (r.id.empty()) throw invalid_input(errc::empty_id, f, fmt::format("{}: added rep {} has no id", who, k + 1), i);
    const bool taken =
        std::any_of(shared.begin(), shared.end(), [&](const rep& q) { return q.id == r.id; }) ||
        std::any_of(s.add_reps.begin(), s.add_reps.begin() + static_cast<std::ptrdiff_t>(k),
                    [&](const rep& q) { return q.id == r.id; });
    if (taken) {
      throw invalid_input(errc::duplicate_id, f, fmt::format("{}: added rep '{}': the id is already a rep's", who, r.id), i,
                          r.id);
    }
    if (r.status != rep_status::active) {
      throw invalid_input(errc::invalid_parameter, f, fmt::format("{}: added rep '{}' is not active", who, r.id), i, r.id);
    }
    if (!r.home || !std::isfinite((*r.home)[0]) || !std::isfinite((*r.home)[1])) {
      throw invalid_input(errc::invalid_parameter, f, fmt::format("{}: added rep '{}' needs a finite home", who, r.id), i,
                          r.id);
    }
    if (!std::isfinite(r.capacity) || !(r.capacity > 0.0)) {
      throw invalid_input(errc::out_of_range, f,
                          fmt::format("{}: added rep '{}': capacity {} is not finite and > 0", who, r.id, r.capacity), i,
                          r.id);
    }
  }
  std::size_t active = 0;
  for (const auto& r : shared) active += r.status == rep_status::active ? 1 : 0;
  return active - s.remove_reps.size() + s.add_reps.size();
}

}  // namespace detail::scen

inline void validate_scenarios(std::span<const scenario> scenarios, const scenario_inputs& shared, std::size_t n,
                               std::size_t m) {
  const char* f = "scenarios";
  if (shared.current && shared.current->size() != n) {
    throw invalid_input(errc::size_mismatch, "current",
                        fmt::format("the current plan has {} accounts, the activities {} rows", shared.current->size(), n));
  }
  if (!shared.current_owners.empty() &&
      (!shared.current || shared.current_owners.size() != shared.current->territory_count())) {
    throw invalid_input(errc::size_mismatch, "current_owners",
                        fmt::format("{} current owners for {} territories of the current plan", shared.current_owners.size(),
                                    shared.current ? std::size_t{shared.current->territory_count()} : std::size_t{0}));
  }
  for (std::size_t k = 0; k < shared.current_owners.size(); ++k) {
    const auto& o = shared.current_owners[k];
    if (std::find(shared.current_owners.begin(), shared.current_owners.begin() + static_cast<std::ptrdiff_t>(k), o) !=
        shared.current_owners.begin() + static_cast<std::ptrdiff_t>(k)) {
      throw invalid_input(errc::duplicate_id, "current_owners", fmt::format("current owner '{}' is named twice", o), k, o);
    }
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto& s = scenarios[i];
    const std::string who = s.name.empty() ? fmt::format("scenario {}", i + 1) : "scenario '" + s.name + "'";
    if (s.name.empty()) throw invalid_input(errc::empty_id, f, who + ": the name is empty", i);
    for (std::size_t j = 0; j < i; ++j) {
      if (scenarios[j].name == s.name) {
        throw invalid_input(errc::duplicate_id, f, fmt::format("{}: the name is used by scenario {} too", who, j + 1), i, s.name);
      }
    }
    if (!s.skip_reason.empty()) continue;
    detail::scen::check_weight(s.objective.compactness, f, who + " compactness", i);
    detail::scen::check_weight(s.objective.travel, f, who + " travel", i);
    if (!s.objective.balance.empty() && s.objective.balance.size() != m) {
      throw invalid_input(errc::size_mismatch, f,
                          fmt::format("{}: {} balance weights for {} columns", who, s.objective.balance.size(), m), i, s.name);
    }
    for (double w : s.objective.balance) detail::scen::check_weight(w, f, who + " balance", i);
    if (s.territories > n) {
      throw invalid_input(errc::out_of_range, f, fmt::format("{}: {} territories for {} accounts", who, s.territories, n), i,
                          s.name);
    }
    if (!s.tolerance.empty() && s.tolerance.size() != 1 && s.tolerance.size() != m) {
      throw invalid_input(errc::size_mismatch, f,
                          fmt::format("{}: {} tolerances for {} columns (give 1 or {})", who, s.tolerance.size(), m, m), i,
                          s.name);
    }
    for (double t : s.tolerance) {
      if (!(t >= 0.0 && t < 1.0)) {
        throw invalid_input(errc::out_of_range, f, fmt::format("{}: tolerance {} is not in [0, 1)", who, t), i, s.name);
      }
    }
    if (!std::isfinite(s.time_limit_seconds) || s.time_limit_seconds < 0.0) {
      throw invalid_input(errc::out_of_range, f, fmt::format("{}: time limit {} is not finite and >= 0", who, s.time_limit_seconds),
                          i, s.name);
    }
    const std::size_t active = detail::scen::check_rep_changes(s, shared.reps, who, i);
    if (s.reps_in_design) {
      if (active == 0) {
        throw invalid_input(errc::invalid_parameter, f,
                            who + (s.remove_reps.empty() ? ": reps in the design, but no active rep is given"
                                                         : ": reps in the design, but every active rep is removed"),
                            i, s.name);
      }
      if (active > n) {
        throw invalid_input(errc::out_of_range, f,
                            fmt::format("{}: {} active reps (one territory each) for {} accounts", who, active, n), i,
                            s.name);
      }
      if (s.territories != 0 && s.territories != active) {
        throw invalid_input(errc::invalid_parameter, f,
                            fmt::format("{}: {} territories, but a design around the reps has one per active rep ({})",
                                        who, s.territories, active),
                            i, s.name);
      }
    }
  }
}

template <distance_policy Distance>
partition_options scenario_options(const scenario& s, const scenario_inputs& shared,
                                   Eigen::Ref<const Eigen::MatrixX2d> coordinates, Distance distance) {
  partition_options o = shared.base;
  o.threads = 1;
  o.on_progress = {};
  if (s.territories != 0) o.territories = s.territories;
  if (!s.tolerance.empty()) o.tolerance = s.tolerance;
  if (s.seed) o.seed = *s.seed;
  if (s.time_limit_seconds > 0.0) o.time_limit_seconds = s.time_limit_seconds;
  // a sweep shares the cores: a looser safety stop lets each scenario finish its work budget under load,
  // so that it gives the plan it gives when run alone (the budget, not the clock, ends it)
  o.safety_stop_factor = std::max(o.safety_stop_factor, scenario_safety_stop_factor);
  o.objective = s.objective;
  if (!s.constraints.locks) o.locked.clear();
  if (!s.constraints.min_counts) o.min_counts.clear();
  if (!s.constraints.median_bounds) o.median_bounds.clear();
  if (!s.constraints.max_diameter) o.max_diameter = std::numeric_limits<double>::infinity();
  if (s.reps_in_design) {
    const auto reps = scenario_reps(s, shared.reps);
    if (!o.locked.empty() && (!s.remove_reps.empty() || !s.add_reps.empty())) {
      // the locks name territory t = the t-th active shared rep: renumber them for this scenario's reps
      // (added reps come after the shared ones); a removed rep's locks are released
      const auto before = detail::scen::active_ids(shared.reps);
      const auto after = detail::scen::active_ids(reps);
      for (auto& t : o.locked) {
        if (t == no_territory || t >= before.size()) continue;
        const auto it = std::find(after.begin(), after.end(), before[t]);
        t = it == after.end() ? no_territory : static_cast<territory_index>(it - after.begin());
      }
      if (std::all_of(o.locked.begin(), o.locked.end(), [](territory_index t) { return t == no_territory; })) {
        o.locked.clear();
      }
    }
    const auto d = design_from_reps(std::span<const rep>(reps), coordinates, o.locked, distance);
    d.apply(o);
  }
  return o;
}

template <distance_policy Distance>
scenario_result run_scenario(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                             const adjacency* graph, const scenario_inputs& shared, const scenario& s, Distance distance) {
  const auto n = static_cast<std::size_t>(activities.rows());
  const auto m = static_cast<std::size_t>(activities.cols());
  validate_scenarios(std::span<const scenario>(&s, 1), shared, n, m);
  scenario_result r;
  r.name = s.name;
  r.card.name = s.name;
  r.card.columns = shared.base.activity_names;
  if (!s.skip_reason.empty()) {
    r.skipped = s.skip_reason;
    return r;
  }
  const auto t0 = std::chrono::steady_clock::now();
  r.options = scenario_options(s, shared, coordinates, distance);
  if (s.reps_in_design) r.rep_ids = detail::scen::active_ids(scenario_reps(s, shared.reps));
  const auto& o = r.options;
  auto res = graph != nullptr ? partition(activities, coordinates, *graph, o, distance)
                              : partition(activities, coordinates, o, distance);
  r.assignment = std::move(res.assignment);
  r.why_stopped = res.why_stopped;
  r.engine_feasible = res.feasible();
  plan_metrics_options mo;
  mo.tolerance = o.tolerance;
  mo.activity_names = o.activity_names;
  mo.target_shares = o.target_shares;
  r.metrics = evaluate_plan(activities, coordinates, graph, r.assignment, mo, distance);
  if (std::any_of(o.homes.begin(), o.homes.end(), [](const auto& h) { return h.has_value(); })) {
    std::vector<std::optional<point>> homes(o.homes.begin(), o.homes.end());
    homes.resize(r.assignment.territory_count());
    r.travel = travel_from_homes(r.assignment.assignment(), coordinates, homes, distance);
  }
  if (shared.current) {
    std::vector<territory_index> fixed;
    if (!r.rep_ids.empty() && !shared.current_owners.empty()) {  // a territory continues its own rep's
      fixed.assign(r.rep_ids.size(), no_territory);
      for (std::size_t t = 0; t < fixed.size(); ++t) {
        const auto it = std::find(shared.current_owners.begin(), shared.current_owners.end(), r.rep_ids[t]);
        if (it != shared.current_owners.end()) fixed[t] = static_cast<territory_index>(it - shared.current_owners.begin());
      }
    }
    r.continues = match_territories(*shared.current, r.assignment, fixed);
    plan_delta_options dopt;
    dopt.continues = r.continues;
    r.delta = compare_plans(*shared.current, r.assignment, activities, dopt);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  auto& c = r.card;
  c.ran = true;
  c.feasible = r.engine_feasible && r.metrics.feasible();
  c.gini.assign(r.metrics.gini.data(), r.metrics.gini.data() + r.metrics.gini.size());
  c.max_deviation = r.metrics.max_deviation;
  c.max_diameter = r.metrics.max_diameter;
  c.cut_edges = r.metrics.cut_edges;
  if (r.travel) c.travel = std::accumulate(r.travel->total.begin(), r.travel->total.end(), 0.0);
  if (r.delta) c.moves = r.delta->accounts_moved;
  return r;
}

inline scenario_ranking rank_scenarios(std::span<const scenario_scorecard> cards, const ranking_weights& w) {
  const std::pair<const char*, double> weights[] = {{"balance", w.balance},
                                                    {"compactness", w.compactness},
                                                    {"boundary", w.boundary},
                                                    {"travel", w.travel},
                                                    {"disruption", w.disruption}};
  for (std::size_t k = 0; k < std::size(weights); ++k) {
    detail::scen::check_weight(weights[k].second, "ranking", std::string("ranking weight ") + weights[k].first, k);
  }
  std::vector<std::size_t> ran;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    if (cards[i].ran) ran.push_back(i);
  }
  auto value = [&](std::size_t k, const scenario_scorecard& c) -> std::optional<double> {
    switch (k) {
      case 0: return c.mean_gini();
      case 1: return c.max_diameter;
      case 2: return static_cast<double>(c.cut_edges);
      case 3: return c.travel;
      default: return c.moves ? std::optional<double>(static_cast<double>(*c.moves)) : std::nullopt;
    }
  };
  scenario_ranking out;
  out.score.assign(cards.size(), std::numeric_limits<double>::quiet_NaN());
  for (auto i : ran) out.score[i] = 0.0;
  double wsum = 0.0;
  for (std::size_t k = 0; k < std::size(weights); ++k) {
    if (!(weights[k].second > 0.0) || ran.empty()) continue;
    bool all = true;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (auto i : ran) {
      const auto v = value(k, cards[i]);
      if (!v) {
        all = false;
        break;
      }
      lo = std::min(lo, *v);
      hi = std::max(hi, *v);
    }
    if (!all) continue;
    out.measures.emplace_back(weights[k].first);
    wsum += weights[k].second;
    for (auto i : ran) out.score[i] += hi > lo ? weights[k].second * (*value(k, cards[i]) - lo) / (hi - lo) : 0.0;
  }
  for (auto i : ran) out.score[i] = wsum > 0.0 ? out.score[i] / wsum : 0.0;
  out.order = ran;
  std::stable_sort(out.order.begin(), out.order.end(), [&](std::size_t a, std::size_t b) {
    if (cards[a].feasible != cards[b].feasible) return cards[a].feasible;
    return out.score[a] < out.score[b];
  });
  return out;
}

inline std::vector<std::string> tradeoff_summary(std::span<const scenario_scorecard> cards, const scenario_ranking& ranking,
                                                 std::string_view unit) {
  std::vector<std::string> out;
  const std::size_t top = std::min<std::size_t>(3, ranking.order.size());
  for (std::size_t r = 0; r < top; ++r) {
    const auto& a = cards[ranking.order[r]];
    std::string s = fmt::format("#{} {} (score {:.2f}; {})", r + 1, a.name, ranking.score[ranking.order[r]],
                                a.feasible ? "meets every hard constraint" : "misses a hard constraint");
    if (top == 1) {
      out.push_back(s + ": the only scenario that ran.");
      continue;
    }
    std::vector<std::string> parts;
    for (std::size_t q = 0; q < top; ++q) {
      if (q == r) continue;
      const auto& b = cards[ranking.order[q]];
      const auto [gains, losses] = detail::scen::compare(a, b, unit);
      if (gains.empty() && losses.empty()) {
        parts.push_back("against " + b.name + " there is no material difference");
      } else if (losses.empty()) {
        parts.push_back("against " + b.name + " it gains " + detail::scen::join_and(gains) + " and gives up nothing");
      } else if (gains.empty()) {
        parts.push_back("against " + b.name + " it gains nothing and gives up " + detail::scen::join_and(losses));
      } else {
        parts.push_back("against " + b.name + " it gains " + detail::scen::join_and(gains) + " but gives up " +
                        detail::scen::join_and(losses));
      }
    }
    s += ": ";
    for (std::size_t k = 0; k < parts.size(); ++k) s += (k ? "; " : "") + parts[k];
    out.push_back(s + ".");
  }
  return out;
}

template <distance_policy Distance>
sweep_result run_scenarios(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const adjacency* graph, const scenario_inputs& shared, std::span<const scenario> scenarios,
                           unsigned threads, Distance distance, const scenario_finished& on_finished) {
  if (threads == 0) throw invalid_input(errc::out_of_range, "threads", "run_scenarios(): threads must be >= 1");
  validate_scenarios(scenarios, shared, static_cast<std::size_t>(activities.rows()),
                     static_cast<std::size_t>(activities.cols()));
  ranking_weights rw = shared.ranking;
  (void)rank_scenarios({}, rw);  // checks the ranking weights before any work
  sweep_result out;
  out.results.resize(scenarios.size());
  std::vector<std::exception_ptr> errors(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::mutex told;  // on_finished is never called on two threads at once
  std::size_t finished = 0;
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < scenarios.size(); i = next.fetch_add(1)) {
      try {
        out.results[i] = run_scenario(activities, coordinates, graph, shared, scenarios[i], distance);
        if (on_finished) {
          const std::lock_guard<std::mutex> lock(told);
          on_finished(out.results[i], i, ++finished, scenarios.size());
        }
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const std::size_t workers = std::min<std::size_t>(threads, scenarios.size());
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    try {
      for (std::size_t k = 1; k < workers; ++k) pool.emplace_back(work);
    } catch (...) {  // fewer threads than asked: the ones running (and this one) take every scenario
    }
    work();
    for (auto& t : pool) t.join();
  }
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<scenario_scorecard> cards;
  cards.reserve(out.results.size());
  for (const auto& r : out.results) cards.push_back(r.card);
  out.ranking = rank_scenarios(cards, shared.ranking);
  out.top3 = tradeoff_summary(cards, out.ranking,
                              shared.distance_unit ? std::string_view(*shared.distance_unit) : detail::scen::unit_of<Distance>());
  return out;
}

}  // namespace territory
