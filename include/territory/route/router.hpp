#pragma once

/// @file router.hpp
/// The router: rule cascade (compiled) plus distribution inside teams, ramp-aware, with a
/// state that can be snapshotted and restored, and explanations of every decision.

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/rep.hpp"
#include "territory/route/compiled_rules.hpp"
#include "territory/route/distribution.hpp"
#include "territory/route/ramp_schedule.hpp"
#include "territory/route/rule_table.hpp"
#include "territory/route/routing_account.hpp"

namespace territory {

/// Index of a rep in the router's rep list.
using rep_index = std::uint32_t;
inline constexpr rep_index no_rep = std::numeric_limits<rep_index>::max();

/// Options of a `router`. Aggregate: `router r(rules, reps, {.policy = distribution::least_loaded})`.
struct router_options {
  distribution policy = distribution::round_robin;
  load_measure least_loaded_by = load_measure::accounts;
  ramp_schedule ramp{};
  /// Date at which ramps are evaluated (a rep's weight is capacity × ramp share). nullopt:
  /// no ramp, weight = capacity. Never the clock: the caller chooses the date.
  std::optional<std::chrono::sys_days> as_of{};
};

/// Where one account went: the winning rule and the rep (`no_rule`/`no_rep` if no rule matched).
struct route_decision {
  rule_index rule = no_rule;
  rep_index rep = no_rep;
  [[nodiscard]] bool routed() const noexcept { return rule != no_rule; }
  friend bool operator==(const route_decision&, const route_decision&) = default;
};

/// A decision that explains itself.
struct route_explanation {
  route_decision decision;
  std::vector<rule_index> matched;  ///< every matching rule, in cascade order (winner included)
  std::vector<rule_index> skipped;  ///< matching rules passed over: owner departed / team without active member
  std::string reason;               ///< a sentence: why the winner won, and over which rule
};

/// Distribution state: loads per rep and per-team cursors. Snapshot and restore it to
/// replay decisions exactly.
struct router_state {
  std::vector<std::uint64_t> accounts;             ///< per rep
  std::vector<double> workload;                    ///< per rep
  std::vector<std::uint64_t> cursor;               ///< per team (round robin)
  std::vector<std::vector<std::int64_t>> current;  ///< per team, per member (capacity weighted)
  friend bool operator==(const router_state&, const router_state&) = default;
};

/// Routes accounts through a rule table to reps.
///
/// A rule naming an owner routes to that rep; a rule naming a team distributes by
/// `options.policy` among the team's active members with a positive weight (capacity ×
/// ramp share). A matching rule whose owner has departed, or whose team has no such
/// member, is skipped and the cascade continues (the explanation says so).
///
/// Complexity: construction as `compiled_rules` plus O(reps); `route` O(match) + O(team
/// size) for least_loaded and capacity_weighted, O(1) for round robin; no allocation.
/// Throws (constructor): everything `ramp_schedule::check` throws;
///   invalid_input{errc::duplicate_id} (field "reps", index) for a rep id used twice;
///   invalid_input{errc::empty_id} (field "reps") for an empty rep id;
///   invalid_input{errc::invalid_parameter} (field "reps.capacity") for a capacity NaN, < 0 or infinite;
///   invalid_input{errc::unknown_id} (field "rules[i].owner" / "rules[i].team") for an owner
///   who is not a rep, or a team no rep belongs to.
/// Determinism: decisions depend only on the rules, reps, options, state and the accounts
/// in the order routed.
class router {
 public:
  router(rule_table rules, std::vector<rep> reps, router_options options = {})
      : rules_(std::move(rules)), reps_(std::move(reps)), options_(std::move(options)) {
    options_.ramp.check();
    std::map<std::string, rep_index, std::less<>> ids;
    for (std::size_t i = 0; i < reps_.size(); ++i) {
      const rep& r = reps_[i];
      if (r.id.empty()) throw invalid_input(errc::empty_id, "reps", "router(): rep " + std::to_string(i) + " has an empty id", i);
      if (!ids.try_emplace(r.id, static_cast<rep_index>(i)).second) {
        throw invalid_input(errc::duplicate_id, "reps", "router(): rep id '" + r.id + "' is used twice", i, r.id);
      }
      if (!std::isfinite(r.capacity) || r.capacity < 0) {
        throw invalid_input(errc::invalid_parameter, "reps.capacity",
                            "router(): rep '" + r.id + "' has capacity " + std::to_string(r.capacity) +
                                ", expected a finite number >= 0",
                            i, r.id);
      }
      if (!r.team.empty()) team_index_.try_emplace(r.team, static_cast<std::uint32_t>(team_index_.size()));
    }
    target_rep_.assign(rules_.size(), no_rep);
    target_team_.assign(rules_.size(), no_team);
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const rule& r = rules_[static_cast<rule_index>(i)];
      if (!r.owner.empty()) {
        auto it = ids.find(r.owner);
        if (it == ids.end()) {
          throw invalid_input(errc::unknown_id, "rules[" + std::to_string(i) + "].owner",
                              "router(): rule '" + r.id + "' names owner '" + r.owner + "', who is not among the reps",
                              i, r.owner);
        }
        target_rep_[i] = it->second;
      } else {
        auto it = team_index_.find(r.team);
        if (it == team_index_.end()) {
          throw invalid_input(errc::unknown_id, "rules[" + std::to_string(i) + "].team",
                              "router(): rule '" + r.id + "' names team '" + r.team + "', to which no rep belongs", i,
                              r.team);
        }
        target_team_[i] = it->second;
      }
    }
    rep_ids_ = std::move(ids);
    team_names_.resize(team_index_.size());
    for (const auto& [name, t] : team_index_) team_names_[t] = name;
    state_.accounts.assign(reps_.size(), 0);
    state_.workload.assign(reps_.size(), 0.0);
    state_.cursor.assign(team_names_.size(), 0);
    rebuild();
  }

  [[nodiscard]] const rule_table& rules() const noexcept { return rules_; }
  [[nodiscard]] std::span<const rep> reps() const noexcept { return reps_; }
  [[nodiscard]] const router_options& options() const noexcept { return options_; }

  /// Index of the rep with this id, if any. O(log reps).
  [[nodiscard]] std::optional<rep_index> find_rep(std::string_view id) const {
    auto it = rep_ids_.find(id);
    if (it == rep_ids_.end()) return std::nullopt;
    return it->second;
  }

  /// Effective weight of rep i in thousandths (capacity × ramp share × 1000, rounded);
  /// 0 for a departed rep.
  [[nodiscard]] std::int64_t weight(rep_index i) const noexcept { return weight_[i]; }

  /// Active members of a team with positive weight, in reps order (empty for an unknown team).
  [[nodiscard]] std::span<const rep_index> team_members(std::string_view team) const noexcept {
    auto it = team_index_.find(team);
    if (it == team_index_.end()) return {};
    return members_[it->second];
  }

  /// Routes one account and updates the distribution state.
  /// @param account the account's id, domain and routing attributes (`routing_account`).
  /// @param workload the account's workload score, added to the chosen rep's load.
  /// Throws: invalid_input{errc::non_finite} if employees or workload is NaN/infinite.
  route_decision route(const routing_account& account, double workload = 1.0) {
    check_workload(workload);
    const rule_index r = compiled_.first_match(account);
    if (r == no_rule) return {};
    const rep_index p = pick(r);
    commit(r, p, workload);
    return {r, p};
  }

  /// What `route` would decide now, with every matching rule and the reason; does not
  /// change the state. Allocates. Throws as `route`.
  [[nodiscard]] route_explanation explain(const routing_account& account) const {
    route_explanation out;
    out.matched = compiled_.matches(account);
    for (const rule_index r : out.matched) {
      if (!eligible_[r]) {
        out.skipped.push_back(r);
        continue;
      }
      if (out.decision.rule == no_rule) out.decision = {r, pick(r)};
    }
    out.reason = reason(out);
    return out;
  }

  /// The distribution state (copy).
  [[nodiscard]] router_state snapshot() const { return state_; }

  /// Restores a state taken from this router (or one with the same reps and teams).
  /// Throws invalid_input{errc::size_mismatch} (field "state") if its shape differs.
  void restore(const router_state& s) {
    bool ok = s.accounts.size() == reps_.size() && s.workload.size() == reps_.size() &&
              s.cursor.size() == team_names_.size() && s.current.size() == team_names_.size();
    for (std::size_t t = 0; ok && t < members_.size(); ++t) ok = s.current[t].size() == members_[t].size();
    if (!ok) throw invalid_input(errc::size_mismatch, "state", "router::restore(): the state does not fit this router's reps and teams");
    state_ = s;
  }

  /// Adds an initial load (the rep's existing book) for least-loaded distribution.
  /// Throws invalid_input{errc::out_of_range} (field "rep") for a bad index,
  /// invalid_input{errc::non_finite} for a non-finite workload.
  void add_load(rep_index i, std::uint64_t accounts, double workload) {
    if (i >= reps_.size()) throw invalid_input(errc::out_of_range, "rep", "router::add_load(): rep index out of range", i);
    check_workload(workload);
    state_.accounts[i] += accounts;
    state_.workload[i] += workload;
  }

  /// Lifecycle: the rep leaves. They are removed from their team (its capacity-weighted
  /// counters restart), rules naming them as owner are skipped from now on.
  /// Complexity: O(R + reps). Throws invalid_input{errc::unknown_id} (field "rep") if no rep has this id.
  void depart(std::string_view rep_id) {
    auto it = rep_ids_.find(rep_id);
    if (it == rep_ids_.end()) {
      throw invalid_input(errc::unknown_id, "rep", "router::depart(): no rep has id '" + std::string(rep_id) + "'",
                          std::nullopt, std::string(rep_id));
    }
    reps_[it->second].status = rep_status::departed;
    rebuild();
  }

  /// True when rule r can take accounts (its owner is active, or its team has a member).
  [[nodiscard]] bool eligible(rule_index r) const noexcept { return eligible_[r] != 0; }

 private:
  static constexpr std::uint32_t no_team = std::numeric_limits<std::uint32_t>::max();

  static void check_workload(double w) {
    if (!std::isfinite(w)) throw invalid_input(errc::non_finite, "workload", "router::route(): workload must be finite");
  }

  void rebuild() {
    weight_.assign(reps_.size(), 0);
    for (std::size_t i = 0; i < reps_.size(); ++i) {
      const rep& r = reps_[i];
      if (r.status == rep_status::departed) continue;
      double share = 1.0;
      if (options_.as_of && r.start_date) share = options_.ramp.share(std::chrono::sys_days(*r.start_date), *options_.as_of);
      weight_[i] = std::llround(r.capacity * share * 1000.0);
    }
    members_.assign(team_names_.size(), {});
    for (std::size_t i = 0; i < reps_.size(); ++i) {
      if (weight_[i] <= 0 || reps_[i].team.empty()) continue;
      members_[team_index_.find(reps_[i].team)->second].push_back(static_cast<rep_index>(i));
    }
    state_.current.resize(members_.size());
    for (std::size_t t = 0; t < members_.size(); ++t) {
      if (state_.current[t].size() != members_[t].size()) state_.current[t].assign(members_[t].size(), 0);
    }
    eligible_.assign(rules_.size(), 0);
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      if (target_rep_[i] != no_rep) eligible_[i] = reps_[target_rep_[i]].status == rep_status::active ? 1 : 0;
      else eligible_[i] = members_[target_team_[i]].empty() ? 0 : 1;
    }
    compiled_ = compiled_rules(rules_, eligible_);
  }

  [[nodiscard]] rep_index pick(rule_index r) const noexcept {
    if (target_rep_[r] != no_rep) return target_rep_[r];
    const std::uint32_t t = target_team_[r];
    const auto& m = members_[t];
    switch (options_.policy) {
      case distribution::round_robin: return m[state_.cursor[t] % m.size()];
      case distribution::least_loaded: {
        std::size_t best = 0;
        double best_load = 0;
        for (std::size_t k = 0; k < m.size(); ++k) {
          const double load = (options_.least_loaded_by == load_measure::accounts ? static_cast<double>(state_.accounts[m[k]])
                                                                                  : state_.workload[m[k]]) /
                              static_cast<double>(weight_[m[k]]);
          if (k == 0 || load < best_load) {
            best = k;
            best_load = load;
          }
        }
        return m[best];
      }
      case distribution::capacity_weighted: {
        const auto& cur = state_.current[t];
        std::size_t best = 0;
        for (std::size_t k = 1; k < m.size(); ++k) {
          if (cur[k] + weight_[m[k]] > cur[best] + weight_[m[best]]) best = k;
        }
        return m[best];
      }
    }
    return m.front();
  }

  void commit(rule_index r, rep_index p, double workload) noexcept {
    state_.accounts[p] += 1;
    state_.workload[p] += workload;
    const std::uint32_t t = target_team_[r];
    if (t == no_team) return;
    state_.cursor[t] += 1;
    if (options_.policy == distribution::capacity_weighted) {
      auto& cur = state_.current[t];
      const auto& m = members_[t];
      std::int64_t total = 0;
      for (std::size_t k = 0; k < m.size(); ++k) {
        cur[k] += weight_[m[k]];
        total += weight_[m[k]];
      }
      for (std::size_t k = 0; k < m.size(); ++k) {
        if (m[k] == p) {
          cur[k] -= total;
          break;
        }
      }
    }
  }

  [[nodiscard]] std::string describe(rule_index r) const {
    const rule& x = rules_[r];
    return "'" + x.id + "' (" + std::string(to_string(x.kind)) + ", priority " + std::to_string(x.priority) + ")";
  }

  [[nodiscard]] std::string reason(const route_explanation& e) const {
    std::string s;
    for (const rule_index r : e.skipped) {
      const rule& x = rules_[r];
      s += "rule " + describe(r) + " skipped: " +
           (x.owner.empty() ? "team '" + x.team + "' has no active member" : "owner '" + x.owner + "' has departed") + "; ";
    }
    if (e.decision.rule == no_rule) return s + (e.matched.empty() ? "no rule matches" : "no matching rule can take the account");
    const rule_index w = e.decision.rule;
    s += "rule " + describe(w) + " won";
    rule_index next = no_rule;
    bool after = false;
    for (const rule_index r : e.matched) {
      if (r == w) {
        after = true;
        continue;
      }
      if (after && eligible_[r]) {
        next = r;
        break;
      }
    }
    if (next == no_rule) {
      s += e.matched.size() == 1 ? ": the only matching rule" : ": the only eligible matching rule";
    } else {
      const rule& a = rules_[w];
      const rule& b = rules_[next];
      s += " over " + describe(next) + ": ";
      if (a.kind != b.kind) s += "kind '" + std::string(to_string(a.kind)) + "' is tried before '" + std::string(to_string(b.kind)) + "'";
      else if (a.priority != b.priority) s += "priority " + std::to_string(a.priority) + " before " + std::to_string(b.priority);
      else s += "same kind and priority (an overlap), the earlier row wins";
    }
    s += "; owner '" + reps_[e.decision.rep].id + "'";
    if (!rules_[w].team.empty()) s += " by " + std::string(to_string(options_.policy)) + " in team '" + rules_[w].team + "'";
    return s;
  }

  rule_table rules_;
  std::vector<rep> reps_;
  router_options options_;
  std::map<std::string, rep_index, std::less<>> rep_ids_;
  std::map<std::string, std::uint32_t, std::less<>> team_index_;
  std::vector<std::string> team_names_;
  std::vector<rep_index> target_rep_;
  std::vector<std::uint32_t> target_team_;
  std::vector<std::int64_t> weight_;
  std::vector<std::vector<rep_index>> members_;
  std::vector<std::uint8_t> eligible_;
  compiled_rules compiled_;
  router_state state_;
};

}  // namespace territory
