#pragma once

/// @file coverage.hpp
/// Coverage and performance per territory from an activity log: contact rate over the last
/// 30/60/90 days, penetration (accounts with an open opportunity), open pipeline, win rate,
/// average cycle length, an alert when the contact rate is below 50 %, and a diagnosis that
/// tells a territory with less potential from a rep who needs support.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/plan.hpp"
#include "territory/route/activity_event.hpp"

namespace territory {

/// Options of `coverage`.
struct coverage_options {
  std::chrono::sys_days as_of{};                 ///< the windows end here; later events are ignored
  std::array<std::int32_t, 3> windows{30, 60, 90};  ///< days, each > 0
  double alert_below = 0.5;                      ///< alert when the contact rate is below this
  std::size_t alert_window = 0;                  ///< which window the alert looks at (0 = 30 days)
  std::span<const double> potential{};           ///< per account (optional): enables the diagnosis
  double potential_tolerance = 0.2;              ///< "low potential": below (1 − tol) × mean
  double win_rate_factor = 0.8;                  ///< "needs support": win rate below factor × pooled rate
};

/// How a territory compares with the others.
enum class coverage_diagnosis : std::uint8_t {
  ok,             ///< nothing stands out
  low_potential,  ///< less potential than the mean while contact and win rates hold up
  needs_support,  ///< contact-rate alert, or win rate well below the pooled win rate
};

[[nodiscard]] constexpr std::string_view to_string(coverage_diagnosis d) noexcept {
  switch (d) {
    case coverage_diagnosis::ok: return "ok";
    case coverage_diagnosis::low_potential: return "low_potential";
    case coverage_diagnosis::needs_support: return "needs_support";
  }
  return "unknown";
}

/// Coverage and performance of one territory. Rates are NaN when undefined (no accounts,
/// no closed opportunity).
struct territory_coverage {
  std::size_t accounts = 0;
  std::array<std::size_t, 3> contacted{};  ///< accounts contacted in each window
  std::array<double, 3> contact_rate{};
  std::size_t penetrated = 0;              ///< accounts with an open opportunity at as_of
  double penetration = 0.0;
  std::size_t open_opportunities = 0;
  double open_pipeline = 0.0;              ///< sum of the amounts of open opportunities
  std::size_t won = 0;
  std::size_t lost = 0;
  double won_amount = 0.0;
  double win_rate = std::numeric_limits<double>::quiet_NaN();            ///< won / (won + lost)
  double average_cycle_days = std::numeric_limits<double>::quiet_NaN();  ///< open → close, closed ones
  double potential = 0.0;                  ///< sum over accounts, when given
  bool alert = false;                      ///< contact rate in the alert window below `alert_below`
  coverage_diagnosis diagnosis = coverage_diagnosis::ok;
};

struct coverage_report {
  std::vector<territory_coverage> territories;  ///< one per territory of the plan
  double pooled_win_rate = std::numeric_limits<double>::quiet_NaN();
  [[nodiscard]] std::size_t alerts() const noexcept {
    return static_cast<std::size_t>(std::count_if(territories.begin(), territories.end(), [](const auto& t) { return t.alert; }));
  }
};

/// Coverage per territory of `territories` (accounts with `no_territory` are left out).
/// Complexity: O(n + L log L) for L events. No allocation beyond the result and O(L).
/// Throws (field "log.<column>", index = event):
///   invalid_input{errc::out_of_range} for an account index ≥ n;
///   invalid_input{errc::empty_id} for an opportunity event without opportunity id;
///   invalid_input{errc::non_finite} / {errc::negative_value} for a bad amount;
///   invalid_input{errc::duplicate_id} for an opportunity opened or closed twice;
///   invalid_input{errc::out_of_range} (field "log.date") for a close dated before its open;
///   invalid_input{errc::invalid_parameter} (field "windows"/"alert_window"/"alert_below") for bad options;
///   invalid_input{errc::size_mismatch} (field "potential") if potential is neither empty nor n long.
/// Determinism: depends only on the input (opportunities are grouped by sorting their ids).
[[nodiscard]] inline coverage_report coverage(const plan& territories, std::span<const activity_event> log,
                                              const coverage_options& options) {
  const std::size_t n = territories.size();
  const std::size_t p = territories.territory_count();
  for (std::size_t w = 0; w < 3; ++w) {
    if (options.windows[w] <= 0) {
      throw invalid_input(errc::invalid_parameter, "windows", "coverage(): window " + std::to_string(w) + " must be > 0 days", w);
    }
  }
  if (options.alert_window >= 3) throw invalid_input(errc::invalid_parameter, "alert_window", "coverage(): alert_window must be 0, 1 or 2");
  if (!(options.alert_below >= 0 && options.alert_below <= 1)) {
    throw invalid_input(errc::invalid_parameter, "alert_below", "coverage(): alert_below must lie in [0, 1]");
  }
  if (!options.potential.empty() && options.potential.size() != n) {
    throw invalid_input(errc::size_mismatch, "potential",
                        "coverage(): potential has " + std::to_string(options.potential.size()) + " values, expected " +
                            std::to_string(n) + " (one per account)");
  }
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto& e = log[i];
    if (e.account >= n) {
      throw invalid_input(errc::out_of_range, "log.account",
                          "coverage(): event " + std::to_string(i) + " names account " + std::to_string(e.account) +
                              ", expected < " + std::to_string(n),
                          i);
    }
    if (e.kind != activity_kind::contact && e.opportunity.empty()) {
      throw invalid_input(errc::empty_id, "log.opportunity",
                          "coverage(): event " + std::to_string(i) + " (" + std::string(to_string(e.kind)) + ") has no opportunity id", i);
    }
    if (!std::isfinite(e.amount)) throw invalid_input(errc::non_finite, "log.amount", "coverage(): event " + std::to_string(i) + " has a non-finite amount", i);
    if (e.amount < 0) throw invalid_input(errc::negative_value, "log.amount", "coverage(): event " + std::to_string(i) + " has a negative amount", i);
  }

  coverage_report rep;
  rep.territories.resize(p);
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = territories[static_cast<account_index>(a)];
    if (t == no_territory) continue;
    rep.territories[t].accounts += 1;
    if (!options.potential.empty()) rep.territories[t].potential += options.potential[a];
  }
  // contacts: most recent contact per account
  constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
  std::vector<std::int64_t> last_contact(n, never);  // days before as_of
  for (const auto& e : log) {
    if (e.kind != activity_kind::contact || e.date > options.as_of) continue;
    const std::int64_t ago = (options.as_of - e.date).count();
    last_contact[e.account] = std::min(last_contact[e.account], ago);
  }
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = territories[static_cast<account_index>(a)];
    if (t == no_territory || last_contact[a] == never) continue;
    for (std::size_t w = 0; w < 3; ++w) {
      if (last_contact[a] < options.windows[w]) rep.territories[t].contacted[w] += 1;
    }
  }
  // opportunities: group events by id (sorted, deterministic)
  std::vector<std::size_t> opp;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].kind != activity_kind::contact && log[i].date <= options.as_of) opp.push_back(i);
  }
  std::stable_sort(opp.begin(), opp.end(), [&](std::size_t x, std::size_t y) { return log[x].opportunity < log[y].opportunity; });
  std::vector<std::uint8_t> penetrated(n, 0);
  std::vector<double> cycle_sum(p, 0.0);
  std::vector<std::size_t> cycle_count(p, 0);
  for (std::size_t b = 0; b < opp.size();) {
    std::size_t e = b;
    const activity_event* open = nullptr;
    const activity_event* close = nullptr;
    while (e < opp.size() && log[opp[e]].opportunity == log[opp[b]].opportunity) {
      const auto& ev = log[opp[e]];
      const activity_event*& slot = ev.kind == activity_kind::opportunity_open ? open : close;
      if (slot != nullptr) {
        throw invalid_input(errc::duplicate_id, "log.opportunity",
                            "coverage(): opportunity '" + std::string(ev.opportunity) + "' is " +
                                (ev.kind == activity_kind::opportunity_open ? "opened" : "closed") + " twice (event " +
                                std::to_string(opp[e]) + ")",
                            opp[e], std::string(ev.opportunity));
      }
      slot = &ev;
      ++e;
    }
    if (open && close && close->date < open->date) {
      throw invalid_input(errc::out_of_range, "log.date",
                          "coverage(): opportunity '" + std::string(open->opportunity) + "' closes before it opens",
                          static_cast<std::size_t>(close - log.data()), std::string(open->opportunity));
    }
    const account_index acc = open ? open->account : close->account;
    const auto t = territories[acc];
    if (t != no_territory) {
      auto& c = rep.territories[t];
      if (!close) {
        c.open_opportunities += 1;
        c.open_pipeline += open->amount;
        penetrated[acc] = 1;
      } else {
        if (close->kind == activity_kind::opportunity_won) {
          c.won += 1;
          c.won_amount += close->amount > 0 ? close->amount : (open ? open->amount : 0.0);
        } else {
          c.lost += 1;
        }
        if (open) {
          cycle_sum[t] += static_cast<double>((close->date - open->date).count());
          cycle_count[t] += 1;
        }
      }
    }
    b = e;
  }
  for (std::size_t a = 0; a < n; ++a) {
    const auto t = territories[static_cast<account_index>(a)];
    if (t != no_territory && penetrated[a]) rep.territories[t].penetrated += 1;
  }
  std::size_t won = 0;
  std::size_t closed = 0;
  double potential_total = 0;
  std::size_t with_accounts = 0;
  for (std::size_t t = 0; t < p; ++t) {
    auto& c = rep.territories[t];
    const double nacc = static_cast<double>(c.accounts);
    for (std::size_t w = 0; w < 3; ++w) c.contact_rate[w] = c.accounts ? static_cast<double>(c.contacted[w]) / nacc : std::nan("");
    c.penetration = c.accounts ? static_cast<double>(c.penetrated) / nacc : std::nan("");
    if (c.won + c.lost > 0) c.win_rate = static_cast<double>(c.won) / static_cast<double>(c.won + c.lost);
    if (cycle_count[t] > 0) c.average_cycle_days = cycle_sum[t] / static_cast<double>(cycle_count[t]);
    c.alert = c.accounts > 0 && c.contact_rate[options.alert_window] < options.alert_below;
    won += c.won;
    closed += c.won + c.lost;
    potential_total += c.potential;
    with_accounts += c.accounts > 0 ? 1 : 0;
  }
  if (closed > 0) rep.pooled_win_rate = static_cast<double>(won) / static_cast<double>(closed);
  const double mean_potential = with_accounts ? potential_total / static_cast<double>(with_accounts) : 0.0;
  for (auto& c : rep.territories) {
    if (c.accounts == 0) continue;
    const bool weak_wins = !std::isnan(c.win_rate) && !std::isnan(rep.pooled_win_rate) &&
                           c.win_rate < options.win_rate_factor * rep.pooled_win_rate;
    if (c.alert || weak_wins) c.diagnosis = coverage_diagnosis::needs_support;
    else if (!options.potential.empty() && c.potential < (1.0 - options.potential_tolerance) * mean_potential) {
      c.diagnosis = coverage_diagnosis::low_potential;
    }
  }
  return rep;
}

}  // namespace territory
