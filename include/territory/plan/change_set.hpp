#pragma once

/// @file change_set.hpp
/// `territory::make_change_set`: what a CRM integration applies after a plan changes (a rebalance, a
/// drop, an add): the moved accounts, the records that follow their account (open opportunities,
/// contacts, tasks: ownership is decided at the account level), and per territory (rep) what it gains
/// and loses, so the reps concerned can be notified. Built on the plan delta (`plan/delta.hpp`), the
/// one home of plan comparisons. Depends on `core/` and `plan/delta.hpp` only; no I/O (the CLI writes
/// it as JSON, docs/changes.md).
///
/// Example:
/// @code
/// const auto d = territory::compare_plans(before, after, acts);
/// std::vector<territory::account_record> recs{{.account = 7, .kind = "opportunity", .id = "opp-12", .amount = 5e4}};
/// const auto cs = territory::make_change_set(d, recs);
/// // cs.records[0] = {record 0, from, to} when account 7 moved; cs.notices[k].records_gained ...
/// @endcode

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/plan/delta.hpp"

namespace territory {

/// A record owned through an account (an open opportunity, a contact, a task): it follows its account
/// when the account moves. `kind` is free text ("opportunity", "contact", ...); `amount` is 0 for
/// records without a value.
struct account_record {
  account_index account = 0;
  std::string kind;
  std::string id;
  double amount = 0.0;
};

/// A record whose account moved: index into the records given to make_change_set, and the territories
/// of its account in the first and second plan.
struct record_move {
  std::size_t record = 0;
  territory_index from = no_territory;
  territory_index to = no_territory;
  friend bool operator==(const record_move&, const record_move&) = default;
};

/// Per record kind, what a territory gains and loses.
struct record_tally {
  std::string kind;
  std::size_t gained = 0, lost = 0;
  double amount_gained = 0.0, amount_lost = 0.0;
};

/// Whom to notify: one touched territory (an entry of plan_delta::territories) with the accounts and
/// records it gains and loses.
struct change_notice {
  std::size_t entry = 0;                     ///< index into plan_delta::territories
  std::vector<account_index> gained, lost;   ///< accounts, in account order
  std::vector<record_tally> records;         ///< per record kind (kinds in first-seen record order)
};

/// The change set of a plan delta.
struct change_set {
  std::vector<account_move> accounts;   ///< = delta.moves
  std::vector<record_move> records;     ///< the records of moved accounts, in record order
  std::vector<change_notice> notices;   ///< the touched territories, in delta entry order
};

/// The change set of `delta` (compare_plans of the two plans) with the records attached to accounts.
/// Every record of a moved account follows it; every touched territory gets a notice (a dissolved or
/// new territory too, even without accounts moved).
///
/// Complexity: O(n_moves + R + p·K) for R records and K record kinds, memory O(n_moves + R).
/// Throws: invalid_input{out_of_range} (field "records", index) for a record whose account is not an
///   account of the delta's plans (account ≥ n where n = accounts of the plans, given as `accounts`;
///   0 = not checked), {empty_id} (field "records", index) for a record without id.
[[nodiscard]] inline change_set make_change_set(const plan_delta& delta, std::span<const account_record> records,
                                                std::size_t accounts = 0) {
  change_set cs;
  cs.accounts = delta.moves;
  // moved account -> its move (moves are in account order)
  auto move_of = [&](account_index a) -> const account_move* {
    const auto it = std::lower_bound(delta.moves.begin(), delta.moves.end(), a,
                                     [](const account_move& m, account_index x) { return m.account < x; });
    return it != delta.moves.end() && it->account == a ? &*it : nullptr;
  };
  // territory index of the first / second plan -> delta entry
  std::vector<std::size_t> entry_before, entry_after;
  for (std::size_t e = 0; e < delta.territories.size(); ++e) {
    const auto& t = delta.territories[e];
    if (t.before != no_territory) {
      if (t.before >= entry_before.size()) entry_before.resize(t.before + 1, plan_delta::no_rep);
      entry_before[t.before] = e;
    }
    if (t.after != no_territory) {
      if (t.after >= entry_after.size()) entry_after.resize(t.after + 1, plan_delta::no_rep);
      entry_after[t.after] = e;
    }
  }
  std::vector<std::size_t> notice_of(delta.territories.size(), plan_delta::no_rep);
  for (std::size_t e = 0; e < delta.territories.size(); ++e) {
    if (!delta.territories[e].touched()) continue;
    notice_of[e] = cs.notices.size();
    cs.notices.push_back({e, {}, {}, {}});
  }
  auto notice = [&](const std::vector<std::size_t>& map, territory_index t) -> change_notice* {
    if (t == no_territory || t >= map.size() || map[t] == plan_delta::no_rep) return nullptr;
    const auto k = notice_of[map[t]];
    return k == plan_delta::no_rep ? nullptr : &cs.notices[k];
  };
  for (const auto& m : delta.moves) {
    if (auto* n = notice(entry_before, m.from)) n->lost.push_back(m.account);
    if (auto* n = notice(entry_after, m.to)) n->gained.push_back(m.account);
  }
  auto tally = [](change_notice& n, const std::string& kind) -> record_tally& {
    for (auto& r : n.records) {
      if (r.kind == kind) return r;
    }
    n.records.push_back({kind, 0, 0, 0.0, 0.0});
    return n.records.back();
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (accounts != 0 && r.account >= accounts) {
      throw invalid_input(errc::out_of_range, "records",
                          "make_change_set(): record " + std::to_string(i) + " ('" + r.id + "') names account " +
                              std::to_string(r.account) + ", expected < " + std::to_string(accounts),
                          i, r.id);
    }
    if (r.id.empty()) {
      throw invalid_input(errc::empty_id, "records", "make_change_set(): record " + std::to_string(i) + " has no id", i);
    }
    const auto* m = move_of(r.account);
    if (m == nullptr) continue;
    cs.records.push_back({i, m->from, m->to});
    if (auto* n = notice(entry_before, m->from)) {
      auto& t = tally(*n, r.kind);
      ++t.lost;
      t.amount_lost += r.amount;
    }
    if (auto* n = notice(entry_after, m->to)) {
      auto& t = tally(*n, r.kind);
      ++t.gained;
      t.amount_gained += r.amount;
    }
  }
  return cs;
}

}  // namespace territory
