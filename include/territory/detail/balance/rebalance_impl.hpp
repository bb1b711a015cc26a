#pragma once

// rebalance(): minimal-disruption repair of an existing plan (balance/rebalance.hpp, docs/rebalance.md).
// Works on the engine's normalised `problem` (balance bands and min_count floors, problem::excess; the
// bounds relative to the median territory through a median_tracker) and
// its `territory_state` (sums, members, boundary sets, the undo log, keeps_connected()).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <queue>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "territory/balance/partition_options.hpp"
#include "territory/balance/rebalance.hpp"
#include "territory/core/error.hpp"
#include "territory/core/random.hpp"
#include "territory/detail/balance/common.hpp"
#include "territory/detail/balance/diameter.hpp"
#include "territory/detail/balance/evaluate.hpp"
#include "territory/detail/balance/median_bounds.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/smooth.hpp"
#include "territory/detail/balance/territory_state.hpp"
#include "territory/detail/balance/tuning.hpp"
#include "territory/detail/graph/knn_graph.hpp"
#include "territory/plan/delta.hpp"

namespace territory::detail::balance {

/// (account, territory) pairs an account must not end in, sorted; result territory indices.
class forbid_set {
 public:
  forbid_set() = default;
  explicit forbid_set(std::vector<std::pair<account_index, territory_index>> pairs) : pairs_(std::move(pairs)) {
    std::sort(pairs_.begin(), pairs_.end());
    pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
  }
  /// Whether account v may be in territory t. O(log F).
  [[nodiscard]] bool allows(account_index v, territory_index t) const {
    return pairs_.empty() || !std::binary_search(pairs_.begin(), pairs_.end(), std::make_pair(v, t));
  }
  [[nodiscard]] const std::vector<std::pair<account_index, territory_index>>& pairs() const noexcept { return pairs_; }

 private:
  std::vector<std::pair<account_index, territory_index>> pairs_;
};

/// The repair itself: a territory_state over the result's territories plus the current plan.
template <class Distance>
class rebalancer : public territory_state {
 public:
  rebalancer(const problem& pr, std::vector<territory_index> orig, const std::vector<double>& cost, std::size_t max_moves,
             const forbid_set& forbid, const std::stop_token& stop, const Distance& dist)
      : territory_state(pr), pr_(pr), orig_(std::move(orig)), cost_(cost), max_moves_(max_moves), forbid_(forbid),
        stop_(stop), dist_(dist), med_(pr) {
    // typical territory radius: the bounding box's diagonal / sqrt(p), for the shape factor of moves
    double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
    for (const auto& q : pr.xy) {
      x0 = std::min(x0, q[0]);
      y0 = std::min(y0, q[1]);
      x1 = std::max(x1, q[0]);
      y1 = std::max(y1, q[1]);
    }
    if (pr.n > 0) radius_ = static_cast<double>(dist_(point{x0, y0}, point{x1, y1})) / std::sqrt(static_cast<double>(std::max<std::size_t>(pr.p, 1)));
    if (!(radius_ > 0.0)) radius_ = 1.0;
  }

  /// Shape factor of moving v into t, in (0, 1.5): higher for accounts with more of their neighbours in
  /// t and nearer t's centre (in typical territory radii), so repairs grow territories roundly instead of
  /// in strips. O(deg).
  [[nodiscard]] double shape(account_index v, territory_index t) const {
    std::size_t in = 0, deg = 0;
    for (auto u : pr_.graph->neighbors(v)) {
      ++deg;
      in += assign_[u] == t ? 1 : 0;
    }
    const auto k = members(t).size();
    double d = 0.0;
    if (k > 0) {
      const point c{centroid_x_sum(t) / static_cast<double>(k), centroid_y_sum(t) / static_cast<double>(k)};
      d = static_cast<double>(dist_(pr_.xy[v], c)) / radius_;
    }
    const double frac = deg == 0 ? 0.0 : static_cast<double>(in) / static_cast<double>(deg);
    return (0.5 + frac) / (1.0 + d);
  }

  bool budget_reached = false;
  bool cancelled = false;

  [[nodiscard]] double account_cost(account_index v) const { return cost_.empty() ? 1.0 : cost_[v]; }
  [[nodiscard]] std::size_t moved() const noexcept { return moved_; }
  /// Moved cost of the plan (the move count without move costs). O(n).
  [[nodiscard]] double moved_cost_now() const {
    if (cost_.empty()) return static_cast<double>(moved_);
    double c = 0.0;
    for (std::size_t v = 0; v < pr_.n; ++v) {
      if (orig_[v] != no_territory && assign_[v] != orig_[v]) c += cost_[v];
    }
    return c;
  }
  void set_moved(std::size_t k) noexcept { moved_ = k; }

  /// Places every account with no territory (assign == no_territory) into a neighbouring territory,
  /// the lightest receiver first (load = mean of the balanced columns), the orphan with the most
  /// neighbours in it. `closed` territories (to be carved later) receive nothing. Orphans that touch no
  /// territory (a component of their own) go to the territory of the nearest placed account.
  /// `bias` (empty, or one per territory) is added to each receiver's load when receivers are compared:
  /// the placement variants of rebalance() (a receiver with a higher bias takes less of the orphans).
  /// O(k²·deg) for k orphans.
  static void place_orphans(const problem& pr, std::vector<territory_index>& a, const std::vector<char>& closed,
                            const forbid_set& forbid, const Distance& dist, std::span<const double> bias = {}) {
    const std::size_t n = pr.n, p = pr.p, m = pr.m;
    std::vector<double> load(p, 0.0);
    std::vector<account_index> orphans;
    for (std::size_t v = 0; v < n; ++v) {
      if (a[v] == no_territory) {
        orphans.push_back(static_cast<account_index>(v));
        continue;
      }
      for (std::size_t j = 0; j < pr.mb; ++j) load[a[v]] += pr.w[v * m + j] / pr.share_of(a[v]);
    }
    if (orphans.empty()) return;
    if (bias.size() == p) {
      for (std::size_t t = 0; t < p; ++t) load[t] += bias[t];
    }
    bool any_open = false;
    for (std::size_t v = 0; v < n && !any_open; ++v) any_open = a[v] != no_territory && !closed[a[v]];
    if (!any_open) {  // nothing to grow from: the first open territory takes the first orphan
      for (std::size_t t = 0; t < p; ++t) {
        if (!closed[t] && forbid.allows(orphans.front(), static_cast<territory_index>(t))) {
          a[orphans.front()] = static_cast<territory_index>(t);
          for (std::size_t j = 0; j < pr.mb; ++j) load[t] += pr.w[orphans.front() * m + j] / pr.share_of(t);
          break;
        }
      }
    }
    std::vector<std::size_t> cnt(p, 0);
    while (true) {
      // best (territory, orphan): lightest territory, then most neighbours in it, then lowest index
      territory_index bt = no_territory;
      account_index bv = 0;
      std::size_t bc = 0;
      bool left = false;
      for (auto v : orphans) {
        if (a[v] != no_territory) continue;
        left = true;
        std::fill(cnt.begin(), cnt.end(), 0);
        for (auto u : pr.graph->neighbors(v)) {
          if (a[u] != no_territory && !closed[a[u]]) ++cnt[a[u]];
        }
        for (auto u : pr.graph->neighbors(v)) {
          const auto t = a[u];
          if (t == no_territory || closed[t] || cnt[t] == 0 || !forbid.allows(v, t)) continue;
          const bool better = bt == no_territory || load[t] < load[bt] - 1e-12 ||
                              (std::abs(load[t] - load[bt]) <= 1e-12 && (cnt[t] > bc || (cnt[t] == bc && (t < bt || (t == bt && v < bv)))));
          if (better) {
            bt = t;
            bv = v;
            bc = cnt[t];
          }
        }
      }
      if (!left) return;
      if (bt == no_territory) {  // orphans touch no allowed territory: nearest placed account of one
        account_index v = 0;
        for (auto x : orphans) {
          if (a[x] == no_territory) {
            v = x;
            break;
          }
        }
        double bd = std::numeric_limits<double>::infinity();
        for (std::size_t u = 0; u < n; ++u) {
          if (a[u] == no_territory || closed[a[u]] || !forbid.allows(v, a[u])) continue;
          const double d = static_cast<double>(dist(pr.xy[v], pr.xy[u]));
          if (d < bd) {
            bd = d;
            bt = a[u];
          }
        }
        bv = v;
        if (bt == no_territory) {  // every open territory is forbidden to v: the nearest one, reported
          for (std::size_t u = 0; u < n; ++u) {
            if (a[u] == no_territory || closed[a[u]]) continue;
            const double d = static_cast<double>(dist(pr.xy[v], pr.xy[u]));
            if (bt == no_territory || d < bd) {
              bd = d;
              bt = a[u];
            }
          }
        }
        if (bt == no_territory) return;  // cannot happen: some territory is open and non-empty
      }
      a[bv] = bt;
      for (std::size_t j = 0; j < pr.mb; ++j) load[bt] += pr.w[bv * m + j] / pr.share_of(bt);
    }
  }

  /// Total excess of the plan: bands and floors, plus the violation of the median bounds. O(p·m + K·p log p).
  [[nodiscard]] double total_excess() {
    double x = 0.0;
    for (std::size_t t = 0; t < pr_.p; ++t) x += pr_.excess(sums(static_cast<territory_index>(t)));
    return x + medians().total();
  }
  /// How far territory t is outside its band, floors and median bounds (0 = it meets them). O(m + K).
  [[nodiscard]] double violation_of(territory_index t) { return pr_.excess(sums(t)) + medians().of_territory(t); }
  [[nodiscard]] double load_of(territory_index t) const {
    if (pr_.mb == 0) return static_cast<double>(members(t).size());
    double s = 0.0;
    for (std::size_t j = 0; j < pr_.mb; ++j) s += sums(t)[j];
    return s / static_cast<double>(pr_.mb);
  }
  /// Change of the moved-account count if v moves to `to`.
  [[nodiscard]] int count_change(account_index v, territory_index to) const {
    const auto from = assign_[v];
    if (from == orig_[v]) return 1;
    if (to == orig_[v]) return -1;
    return 0;
  }
  [[nodiscard]] bool may_leave(account_index v) const noexcept {
    return !pr_.is_locked(v) && members(assign_[v]).size() > 1;
  }
  /// Whether v may go to t (not forbidden there). O(log F).
  [[nodiscard]] bool allowed(account_index v, territory_index t) const { return forbid_.allows(v, t); }
  void do_move(account_index v, territory_index to) {
    moved_ = static_cast<std::size_t>(static_cast<long long>(moved_) + count_change(v, to));
    move(v, to);
    med_stale_ = true;
  }
  /// Change of the total excess if v moves from its territory to `to` (negative = better): the two
  /// territories' bands and floors, and the median bounds with the median moving. O(m + K log p), plus
  /// O(K·p log p) once after the plan changed.
  double delta_excess(account_index v, territory_index to) {
    const std::size_t m = pr_.m;
    const auto from = assign_[v];
    tmp_a_.assign(sums(from), sums(from) + m);
    tmp_b_.assign(sums(to), sums(to) + m);
    const double before = pr_.excess(tmp_a_.data()) + pr_.excess(tmp_b_.data());
    pr_.add(tmp_a_.data(), v, from, -1.0);
    pr_.add(tmp_b_.data(), v, to, 1.0);
    double d = pr_.excess(tmp_a_.data()) + pr_.excess(tmp_b_.data()) - before;
    if (med_.active()) d += medians().delta(from, tmp_a_.data(), to, tmp_b_.data());
    return d;
  }
  /// The median bounds' tracker, reloaded from the sums when a move or a rollback changed them.
  const median_tracker& medians() {
    if (med_stale_ && med_.active()) med_.reset(sums(0));
    med_stale_ = false;
    return med_;
  }
  /// Loads the plan and marks the median tracker for reloading.
  void load(std::vector<territory_index> a) {
    init_state(std::move(a));
    med_stale_ = true;
  }
  [[nodiscard]] bool touches(account_index v, territory_index t) const {
    for (auto u : pr_.graph->neighbors(v)) {
      if (assign_[u] == t) return true;
    }
    return false;
  }

  /// Carves new territory `tn` (empty) out of the heaviest territory: seed at its periphery, growth by
  /// distance from the seed, taking accounts from territories that stay at or above their band's lower
  /// edge, until tn holds about one mean load. `fresh` marks the other territories being carved. With a
  /// `source` (a split): out of that territory only, until tn holds `target` (mean loads), the source
  /// kept connected but not held to its band.
  void carve(territory_index tn, const std::vector<char>& fresh, territory_index source = no_territory,
             double target_load = 0.0) {
    const std::size_t p = pr_.p;
    double tau_min = 1.0;
    for (std::size_t j = 0; j < pr_.mb; ++j) tau_min = std::min(tau_min, pr_.tau[j]);
    if (pr_.mb == 0) tau_min = 0.05;
    // heaviest territory that can give an account
    territory_index h = source;
    for (std::size_t t = 0; t < p && source == no_territory; ++t) {
      if (fresh[t] || members(static_cast<territory_index>(t)).size() < 2) continue;
      if (h == no_territory || load_of(static_cast<territory_index>(t)) > load_of(h) + 1e-12) h = static_cast<territory_index>(t);
    }
    if (h == no_territory) return;
    const auto& mh = members(h);
    const point c{centroid_x_sum(h) / static_cast<double>(mh.size()), centroid_y_sum(h) / static_cast<double>(mh.size())};
    // seed: the farthest account of h from its centre that may leave without cutting h
    std::vector<std::pair<double, account_index>> order;
    for (auto v : mh) order.push_back({-static_cast<double>(dist_(pr_.xy[v], c)), v});
    std::sort(order.begin(), order.end());
    account_index seed = 0;
    bool found = false;
    for (const auto& [negd, v] : order) {
      if (may_leave(v) && allowed(v, tn) && keeps_connected(v, h)) {
        seed = v;
        found = true;
        break;
      }
    }
    if (!found) return;
    if (moved_ + (count_change(seed, tn) > 0 ? 1u : 0u) > max_moves_) {
      budget_reached = true;
      return;
    }
    do_move(seed, tn);
    const double target = source != no_territory ? target_load
                          : pr_.mb == 0           ? static_cast<double>(pr_.n) / static_cast<double>(p)
                                                  : 1.0 - 0.5 * tau_min;
    using item = std::pair<double, account_index>;
    std::priority_queue<item, std::vector<item>, std::greater<>> q;
    std::vector<char> seen(pr_.n, 0);
    seen[seed] = 1;
    auto push_nbrs = [&](account_index x) {
      for (auto u : pr_.graph->neighbors(x)) {
        if (seen[u] || assign_[u] == tn) continue;
        seen[u] = 1;
        q.push({static_cast<double>(dist_(pr_.xy[u], pr_.xy[seed])), u});
      }
    };
    push_nbrs(seed);
    std::vector<item> skipped;
    while (load_of(tn) < target && !q.empty()) {
      if (poll()) return;
      const auto v = q.top().second;
      q.pop();
      const auto d = assign_[v];
      if (d == tn || fresh[d] || !may_leave(v) || !allowed(v, tn)) continue;
      if (source != no_territory && d != source) continue;
      // the donor keeps at least its band's lower edge in every balanced column (not a split's source)
      bool keeps = true;
      for (std::size_t j = 0; j < pr_.mb && source == no_territory; ++j) {
        keeps = keeps && sums(d)[j] - pr_.wt(v, j, d) >= 1.0 - pr_.tau[j] - 1e-12;
      }
      if (!keeps || !touches(v, tn) || !keeps_connected(v, d)) continue;
      if (moved_ + (count_change(v, tn) > 0 ? 1u : 0u) > max_moves_) {
        budget_reached = true;
        return;
      }
      do_move(v, tn);
      push_nbrs(v);
    }
  }

  /// Greedy repair until the excess is 0, no step helps, or the budget stops it. `single_only`: single
  /// moves only (no chain transfers, no exchanges).
  void repair(bool single_only = false) {
    double x = total_excess();
    while (x > kEps && !poll()) {
      if (best_single_move()) {
        x = total_excess();
        continue;
      }
      if (single_only) break;
      if (chain_transfer(x)) {
        x = total_excess();
        continue;
      }
      if (best_swap()) {
        x = total_excess();
        continue;
      }
      break;
    }
  }

  /// Moves accounts back to their territory of the current plan where that is allowed (adjacent,
  /// not locked, donor stays connected) and leaves the total excess no higher. Passes until nothing
  /// changes (at most 20).
  void undo_unneeded() {
    for (int pass = 0; pass < kRebalanceUndoPasses; ++pass) {
      bool changed = false;
      for (std::size_t v = 0; v < pr_.n; ++v) {
        if (poll()) return;
        const auto a = static_cast<account_index>(v);
        const auto o = orig_[a];
        if (o == no_territory || assign_[a] == o || !may_leave(a) || !allowed(a, o) || !touches(a, o)) continue;
        if (pr_.is_locked(a) && pr_.locked[a] != o) continue;
        if (delta_excess(a, o) > 1e-12) continue;
        if (!keeps_connected(a, assign_[a])) continue;
        do_move(a, o);
        changed = true;
      }
      if (!changed) return;
    }
  }

  /// Fewer moves for the same repair. The greedy steps take accounts one at a time, so a border often
  /// carries several small moved accounts where fewer, larger ones would do. For the accounts moved from
  /// territory a (their territory of the current plan) to b: (1) regroup: they go home, and accounts of
  /// a on its border with b move to b again, each the one that leaves the least total excess (then the
  /// best shape), until the total excess is back where it was; tried for the whole group, then for every
  /// two of its accounts; (2) ruin and recreate: the group goes home and the greedy repair runs with a
  /// budget of one move fewer; in the single-move passes also for every account moved out of one
  /// territory and every one moved into one. A change is kept when the total excess does not rise, the
  /// move count and the moved cost fall, every territory stays connected and the widest territory is no
  /// wider than before consolidate(); else rolled back. Single-move passes until nothing changes (at
  /// most kRebalanceUndoPasses), then kRebalanceFullRecreatePasses passes whose repair also chains and
  /// exchanges. US counties, drop one of 20: 210 -> 192 moves; drift 10 %: 68 -> 9 (docs/rebalance.md).
  /// O(passes · (Σ over the pairs (a, b) of |moved a→b|² · |a's border with b| · (m + connectivity
  /// tests) + groups · (n + a repair))).
  void consolidate() {
    widest_limit_ = widest_now();
    consolidate_passes(true, kRebalanceUndoPasses);
    consolidate_passes(false, kRebalanceFullRecreatePasses);
  }

  void consolidate_passes(bool single_only, int passes) {
    std::vector<std::pair<std::pair<territory_index, territory_index>, account_index>> group;
    std::vector<account_index> us;
    for (int pass = 0; pass < passes; ++pass) {
      group.clear();
      for (std::size_t v = 0; v < pr_.n; ++v) {
        const auto a = static_cast<account_index>(v);
        const auto o = orig_[a];
        if (o == no_territory || assign_[a] == o || assign_[a] == no_territory) continue;
        if (pr_.is_locked(a)) continue;  // pinned where it is
        group.push_back({{o, assign_[a]}, a});
      }
      std::sort(group.begin(), group.end());
      bool changed = false;
      for (std::size_t g0 = 0; g0 < group.size();) {
        std::size_t g1 = g0;
        while (g1 < group.size() && group[g1].first == group[g0].first) ++g1;
        const auto [a, b] = group[g0].first;
        if (g1 - g0 >= 2) {
          us.clear();
          for (std::size_t i = g0; i < g1; ++i) us.push_back(group[i].second);
          if (poll()) return;
          if (regroup(a, b, us)) changed = true;
          if (poll()) return;
          if (recreate(us, single_only)) changed = true;
          for (std::size_t i = g0; i < g1; ++i) {
            for (std::size_t k = i + 1; k < g1; ++k) {
              if (poll()) return;
              const account_index two[2] = {group[i].second, group[k].second};
              if (assign_[two[0]] != b || assign_[two[1]] != b) continue;  // one of them went home already
              if (regroup(a, b, two)) changed = true;
            }
          }
        }
        g0 = g1;
      }
      // ruin and recreate by territory (single moves only: with chains the ZIP areas' drop took 14 s
      // instead of 4 s): every account moved out of a territory, then every one moved in
      for (const bool by_origin : {true, false}) {
        if (!single_only) break;
        std::sort(group.begin(), group.end(), [by_origin](const auto& x, const auto& y) {
          const auto kx = by_origin ? x.first.first : x.first.second, ky = by_origin ? y.first.first : y.first.second;
          return kx != ky ? kx < ky : x.second < y.second;
        });
        for (std::size_t g0 = 0; g0 < group.size();) {
          const auto key = by_origin ? group[g0].first.first : group[g0].first.second;
          std::size_t g1 = g0;
          while (g1 < group.size() && (by_origin ? group[g1].first.first : group[g1].first.second) == key) ++g1;
          us.clear();
          for (std::size_t i = g0; i < g1; ++i) {
            if (assign_[group[i].second] != orig_[group[i].second]) us.push_back(group[i].second);
          }
          if (us.size() >= 2) {
            if (poll()) return;
            if (recreate(us, single_only)) changed = true;
          }
          g0 = g1;
        }
      }
      if (!changed) return;
    }
  }

 private:
  static constexpr double kEps = kBalanceEps;

  /// The widest territory's diameter under the distance policy (convex hulls). O(n log n + Σ h²).
  [[nodiscard]] double widest_now() {
    double w = 0.0;
    for (std::size_t t = 0; t < pr_.p; ++t) {
      hull_pts_.clear();
      for (const auto v : members(static_cast<territory_index>(t))) {
        hull_pts_.push_back({pr_.xy[v][0], pr_.xy[v][1], v});
      }
      w = std::max(w, diameter_of_points(hull_pts_, dist_, hull_).value);
    }
    return w;
  }

  /// Sends the moved accounts `us` home (to their territory of the current plan) where that is allowed
  /// and keeps their territory connected. Returns how many went.
  std::size_t send_home(std::span<const account_index> us, double* cost) {
    std::size_t home = 0;
    for (bool progress = true; progress;) {  // in an order that keeps the territories connected
      progress = false;
      for (const auto u : us) {
        const auto o = orig_[u], at = assign_[u];
        if (o == no_territory || at == o || !allowed(u, o) || !touches(u, o) || members(at).size() < 2 ||
            !keeps_connected(u, at)) {
          continue;
        }
        do_move(u, o);
        if (cost != nullptr) *cost += account_cost(u);
        ++home;
        progress = true;
      }
    }
    return home;
  }

  /// The other step of consolidate() (ruin and recreate): the group `us` goes home, then the greedy
  /// repair runs with a budget of one move fewer than before; kept when the total excess does not rise
  /// and the moved cost falls, else the plan is reloaded. O(n + a repair).
  bool recreate(std::span<const account_index> us, bool single_only) {
    const double x0 = total_excess();
    const std::size_t moved0 = moved_, max0 = max_moves_;
    const bool budget0 = budget_reached;
    const double c0 = moved_cost_now();
    const std::vector<territory_index> saved = assign_;
    if (send_home(us, nullptr) > 0 && moved0 >= 1) {
      max_moves_ = moved0 - 1;
      repair(single_only);
      max_moves_ = max0;
    }
    budget_reached = budget0;
    if (!cancelled && moved_ < moved0 && total_excess() <= x0 + 1e-12 && moved_cost_now() < c0 - 1e-9 * (1.0 + c0) &&
        widest_now() <= widest_limit_ * (1.0 + 1e-12)) {
      return true;
    }
    load(saved);
    moved_ = moved0;
    return false;
  }

  /// One step of consolidate(): the accounts `us` (moved from a to b) go home where they can, then
  /// accounts of a's border with b move to b until the total excess is back at its level; kept only if
  /// that lowers the move count and the moved cost, else rolled back.
  bool regroup(territory_index a, territory_index b, std::span<const account_index> us) {
    const double x0 = total_excess();
    const std::size_t moved0 = moved_;
    double cost_home = 0.0;
    set_logging(true);
    const auto mk = mark();
    auto fail = [&] {
      undo_to(mk, moved0);
      set_logging(false);
      return false;
    };
    send_home(us, &cost_home);
    double cost_out = 0.0;
    while (total_excess() > x0 + 1e-12) {
      if (moved_ + 1 >= moved0) return fail();  // one more would not save a move
      account_index best = no_account;
      double best_x = std::numeric_limits<double>::infinity(), best_shape = 0.0;
      for (const auto v : boundary(a)) {
        if (!may_leave(v) || !allowed(v, b) || !touches(v, b)) continue;
        const double c = count_change(v, b) > 0 ? account_cost(v) : 0.0;
        if (cost_out + c >= cost_home) continue;
        const double x = delta_excess(v, b);
        const double sh = shape(v, b);
        if (x < best_x - 1e-12 || (x <= best_x + 1e-12 && sh > best_shape)) {
          if (!keeps_connected(v, a)) continue;
          best_x = x;
          best_shape = sh;
          best = v;
        }
      }
      if (best == no_account) return fail();
      cost_out += count_change(best, b) > 0 ? account_cost(best) : 0.0;
      do_move(best, b);
    }
    if (moved_ >= moved0 || widest_now() > widest_limit_ * (1.0 + 1e-12)) return fail();
    set_logging(false);
    return true;
  }

  static constexpr std::size_t kMaxHopMoves = kRebalanceHopMoves;
  std::size_t hop_cap_ = kMaxHopMoves;

  /// Rolls the logged moves back to `mark` and the moved-account count to `moved`; the median tracker
  /// is reloaded on its next use. The one way back for the chain and exchange steps.
  void undo_to(std::size_t mark, std::size_t moved) {
    rollback(mark);
    med_stale_ = true;
    moved_ = moved;
  }

  bool poll() {
    if (stop_.stop_requested()) cancelled = true;
    return cancelled;
  }

  /// The best single boundary move into or out of a violating territory: most excess removed per unit
  /// cost (moves that bring an account home, or move an already moved one, cost almost nothing), within
  /// the budget, donor kept connected. Applies it.
  bool best_single_move() {
    const std::size_t p = pr_.p;
    cands_.clear();
    auto consider = [&](account_index v, territory_index to) {
      if (assign_[v] == to || !may_leave(v) || !allowed(v, to)) return;
      const int dc = count_change(v, to);
      if (dc > 0 && moved_ + 1 > max_moves_) {
        budget_reached = true;
        return;
      }
      const double g = -delta_excess(v, to);
      if (g <= kEps) return;
      const double c = account_cost(v);
      const double ec = dc > 0 ? c + 1e-12 : 1e-9 * c + 1e-12;
      cands_.push_back({g / ec, v, to});
    };
    // each (account, territory) pair once: v's neighbours in one territory, or u's in t, repeat it
    if (stamp_.size() != pr_.n) stamp_.assign(pr_.n, 0);
    for (std::size_t t = 0; t < p; ++t) {
      const auto tt = static_cast<territory_index>(t);
      if (violation_of(tt) <= kEps) continue;
      if (++epoch_ == 0) {  // wrapped: clear the stamps
        std::fill(stamp_.begin(), stamp_.end(), 0);
        epoch_ = 1;
      }
      for (auto v : boundary(tt)) {
        outs_.clear();
        for (auto u : pr_.graph->neighbors(v)) {
          const auto b = assign_[u];
          if (b == tt) continue;
          if (std::find(outs_.begin(), outs_.end(), b) == outs_.end()) {
            outs_.push_back(b);
            consider(v, b);  // out of t
          }
          if (stamp_[u] != epoch_) {
            stamp_[u] = epoch_;
            consider(u, tt);  // into t
          }
        }
      }
    }
    std::sort(cands_.begin(), cands_.end(), [](const cand& x, const cand& y) {
      if (x.score != y.score) return x.score > y.score;
      if (x.v != y.v) return x.v < y.v;
      return x.to < y.to;
    });
    // connectivity last (costly): best candidates first until one keeps its donor connected
    for (const auto& c : cands_) {
      if (!keeps_connected(c.v, assign_[c.v])) continue;
      do_move(c.v, c.to);
      return true;
    }
    return false;
  }

  /// The best exchange of two accounts on the border of a violating territory s and a neighbour b (v of
  /// s touching b, u of b touching s) that lowers the total excess: for what no single move fixes
  /// without breaking something else (a territory under a median floor that must gain workload without
  /// gaining revenue). Most excess removed per unit cost, within the budget, both territories kept
  /// connected (checked on the plan after the exchange, rolled back otherwise; the best 256 tried).
  /// O(Σ over the violating territories s and their neighbours b of |border of s| · |border of b| · m)
  /// to score, plus connectivity tests.
  bool best_swap() {
    const std::size_t m = pr_.m;
    swaps_.clear();
    for (std::size_t t = 0; t < pr_.p; ++t) {
      const auto s = static_cast<territory_index>(t);
      if (violation_of(s) <= kEps) continue;
      // the accounts of s on its border with each neighbour b, and those of b on the border with s
      side_s_.clear();
      side_b_.clear();
      for (auto v : boundary(s)) {
        if (!may_leave(v)) continue;
        for (auto u : pr_.graph->neighbors(v)) {
          const auto b = assign_[u];
          if (b == s) continue;
          side_s_.push_back({b, v});
          if (may_leave(u)) side_b_.push_back({b, u});
        }
      }
      for (auto* side : {&side_s_, &side_b_}) {
        std::sort(side->begin(), side->end());
        side->erase(std::unique(side->begin(), side->end()), side->end());
      }
      std::size_t k = 0;
      for (std::size_t i = 0; i < side_s_.size(); ++i) {
        const auto [b, v] = side_s_[i];
        while (k < side_b_.size() && side_b_[k].first < b) ++k;
        for (std::size_t h = k; h < side_b_.size() && side_b_[h].first == b; ++h) {
          const auto u = side_b_[h].second;
          if (!allowed(v, b) || !allowed(u, s)) continue;
          const int dc = count_change(v, b) + count_change(u, s);
          if (dc > 0 && moved_ + static_cast<std::size_t>(dc) > max_moves_) {
            budget_reached = true;
            continue;
          }
          tmp_a_.assign(sums(s), sums(s) + m);
          tmp_b_.assign(sums(b), sums(b) + m);
          const double before = pr_.excess(tmp_a_.data()) + pr_.excess(tmp_b_.data());
          for (std::size_t j = 0; j < m; ++j) {  // u into s, v into b (each at its receiver's share)
            tmp_a_[j] += pr_.wt(u, j, s) - pr_.wt(v, j, s);
            tmp_b_[j] -= pr_.wt(u, j, b) - pr_.wt(v, j, b);
          }
          double delta = pr_.excess(tmp_a_.data()) + pr_.excess(tmp_b_.data()) - before;
          if (med_.active()) delta += medians().delta(s, tmp_a_.data(), b, tmp_b_.data());
          if (-delta <= kEps) continue;
          const double c = (count_change(v, b) > 0 ? account_cost(v) : 1e-9 * account_cost(v)) +
                           (count_change(u, s) > 0 ? account_cost(u) : 1e-9 * account_cost(u)) + 1e-12;
          swaps_.push_back({-delta / c, v, u});
        }
      }
    }
    std::sort(swaps_.begin(), swaps_.end(), [](const swap_cand& x, const swap_cand& y) {
      if (x.score != y.score) return x.score > y.score;
      if (x.v != y.v) return x.v < y.v;
      return x.u < y.u;
    });
    set_logging(true);
    for (std::size_t i = 0; i < swaps_.size() && i < kRebalanceSwapTries; ++i) {
      const auto& c = swaps_[i];
      const auto s = assign_[c.v], b = assign_[c.u];
      const auto mk = mark();
      const std::size_t moved0 = moved_;
      do_move(c.v, b);
      do_move(c.u, s);
      if (pieces_ok(s) && pieces_ok(b)) {
        set_logging(false);
        return true;
      }
      undo_to(mk, moved0);
    }
    set_logging(false);
    return false;
  }

  /// Whether territory t is one piece in the graph. O(|t| · deg).
  [[nodiscard]] bool pieces_ok(territory_index t) {
    const auto& mt = members(t);
    if (mt.empty()) return true;
    seen_.resize(pr_.n, 0);
    queue_.assign(1, mt.front());
    seen_[mt.front()] = 1;
    for (std::size_t h = 0; h < queue_.size(); ++h) {
      for (auto u : pr_.graph->neighbors(queue_[h])) {
        if (assign_[u] != t || seen_[u]) continue;
        seen_[u] = 1;
        queue_.push_back(u);
      }
    }
    const bool one = queue_.size() == mt.size();
    for (auto x : queue_) seen_[x] = 0;
    return one;
  }

  /// Moves about `amount` of balanced column j from territory s to the adjacent territory t (boundary
  /// accounts of s touching t, heaviest that does not overshoot by more than half the tolerance first).
  /// With `overshoot`, when no account fits, the lightest one that does not is moved (a heavy account
  /// leaves, the rest of the chain and the repair after it pass the difference on). Returns the
  /// amount moved.
  double hop(territory_index s, territory_index t, std::size_t j, double amount, bool overshoot) {
    const double slack = 0.5 * pr_.tau[j];
    double rem = amount;
    std::vector<std::pair<double, account_index>> alt, big;
    // a hop that would need many small accounts is a strip cut through a sparse border: give up
    // (the chain is rolled back and another target tried)
    for (std::size_t count = 0; rem > 0.0 && count < hop_cap_; ++count) {
      alt.clear();
      big.clear();
      for (auto v : boundary(s)) {
        if (!may_leave(v) || !allowed(v, t) || !touches(v, t)) continue;
        if (count_change(v, t) > 0 && moved_ + 1 > max_moves_) continue;
        const double w = pr_.wt(v, j, t);  // what t receives, relative to its target
        if (w > rem + slack) {
          big.push_back({w, v});
        } else {
          alt.push_back({-w * shape(v, t), v});
        }
      }
      std::sort(alt.begin(), alt.end());
      bool done = false;
      for (const auto& [key, v] : alt) {
        if (!keeps_connected(v, s)) continue;
        do_move(v, t);
        rem -= pr_.wt(v, j, t);
        done = true;
        break;
      }
      if (!done && overshoot && rem == amount) {
        std::sort(big.begin(), big.end());
        for (const auto& [w, v] : big) {
          if (!keeps_connected(v, s)) continue;
          do_move(v, t);
          rem -= w;
          done = true;
          break;
        }
      }
      if (!done) break;
    }
    return amount - rem;
  }

  /// For the violating territories (worst first): a transfer along the shortest chain of adjacent
  /// territories to (or from) the nearest territory with room in the worst column; kept only if it
  /// lowers the total excess and stays within the budget, else rolled back.
  bool chain_transfer(double x0) {
    const std::size_t p = pr_.p;
    if (pr_.mb == 0) return false;
    // quotient graph
    std::vector<std::vector<territory_index>> adj(p);
    for (std::size_t t = 0; t < p; ++t) {
      for (auto v : boundary(static_cast<territory_index>(t))) {
        for (auto u : pr_.graph->neighbors(v)) {
          if (assign_[u] != t) adj[t].push_back(assign_[u]);
        }
      }
      std::sort(adj[t].begin(), adj[t].end());
      adj[t].erase(std::unique(adj[t].begin(), adj[t].end()), adj[t].end());
    }
    std::vector<std::pair<double, territory_index>> bad;
    for (std::size_t t = 0; t < p; ++t) {
      const double e = pr_.excess(sums(static_cast<territory_index>(t)));
      if (e > kEps) bad.push_back({-e, static_cast<territory_index>(t)});
    }
    std::sort(bad.begin(), bad.end());
    set_logging(true);
    // rounds: hops of at most 8, then 32 accounts; only when no chain works so, unbounded hops
    for (const std::size_t cap : {kMaxHopMoves, 4 * kMaxHopMoves, std::numeric_limits<std::size_t>::max()}) {
    hop_cap_ = cap;
    for (const auto& [ne, t] : bad) {
      // worst balanced column of t
      std::size_t j = pr_.mb;
      double worst = kEps;
      for (std::size_t k = 0; k < pr_.mb; ++k) {
        const double e = std::abs(sums(t)[k] - 1.0) - pr_.tau[k];
        if (e > worst) {
          worst = e;
          j = k;
        }
      }
      if (j == pr_.mb) continue;  // only a floor is violated: single moves only
      const bool over = sums(t)[j] > 1.0;
      const double amount = over ? sums(t)[j] - 1.0 - 0.5 * pr_.tau[j] : 1.0 - 0.5 * pr_.tau[j] - sums(t)[j];
      // BFS over territories; candidates with room for at least half the amount, nearest first
      std::vector<territory_index> parent(p, no_territory), order;
      std::vector<std::size_t> depth(p, 0);
      std::vector<char> seen(p, 0);
      seen[t] = 1;
      order.push_back(t);
      for (std::size_t h = 0; h < order.size(); ++h) {
        for (auto u : adj[order[h]]) {
          if (seen[u]) continue;
          seen[u] = 1;
          parent[u] = order[h];
          depth[u] = depth[order[h]] + 1;
          order.push_back(u);
        }
      }
      std::size_t tries = 0;
      for (std::size_t h = 1; h < order.size() && tries < kRebalanceChainTargets; ++h) {
        const auto l = order[h];
        const double room = over ? 1.0 + pr_.tau[j] - sums(l)[j] : sums(l)[j] - (1.0 - pr_.tau[j]);
        if (room < 0.5 * amount || pr_.excess(sums(l)) > kEps) continue;
        ++tries;
        const double a = std::min(amount, room - 0.25 * pr_.tau[j] > 0.0 ? room - 0.25 * pr_.tau[j] : room);
        std::vector<territory_index> path;  // t ... l
        for (auto x = l; x != no_territory; x = parent[x]) path.push_back(x);
        std::reverse(path.begin(), path.end());
        const auto mk = mark();
        const std::size_t moved0 = moved_;
        for (int mode = 0; mode < (over ? 2 : 1); ++mode) {  // exact hops first, then with an overshooting first hop
          double carried = a;
          for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            if (over) {
              const double got = hop(path[i], path[i + 1], j, carried, mode == 1 && i == 0);
              if (i == 0) carried = got;
            } else {
              const std::size_t k = path.size() - 1 - i;  // from l towards t
              hop(path[k], path[k - 1], j, carried, false);
            }
          }
          // look ahead: a few greedy moves after the chain may finish what it started
          for (int step = 0; step < kRebalanceLookahead && total_excess() > kEps; ++step) {
            if (!best_single_move()) break;
          }
          if (total_excess() < x0 - kEps && moved_ <= max_moves_) {
            set_logging(false);
            return true;
          }
          undo_to(mk, moved0);
        }
      }
    }
    }
    set_logging(false);
    return false;
  }

  const problem& pr_;
  std::vector<territory_index> orig_;
  const std::vector<double>& cost_;
  std::size_t max_moves_;
  const forbid_set& forbid_;
  std::size_t moved_ = 0;
  std::stop_token stop_;
  Distance dist_;
  double radius_ = 1.0;
  std::vector<double> tmp_a_, tmp_b_;
  median_tracker med_;     // the median bounds (inactive without any)
  bool med_stale_ = true;  // the sums changed since med_ was loaded
  struct cand {
    double score;
    account_index v;
    territory_index to;
  };
  std::vector<cand> cands_;
  std::vector<std::uint32_t> stamp_;  // best_single_move: accounts considered for the territory (= epoch_)
  std::uint32_t epoch_ = 0;
  std::vector<territory_index> outs_;  // best_single_move: territories v was considered for
  struct swap_cand {
    double score;
    account_index v, u;
  };
  std::vector<swap_cand> swaps_;
  std::vector<std::pair<territory_index, account_index>> side_s_, side_b_;  // (neighbour territory, account)
  std::vector<char> seen_;
  std::vector<account_index> queue_;
  double widest_limit_ = std::numeric_limits<double>::infinity();  // consolidate(): the widest territory may not grow
  std::vector<hull_point> hull_pts_, hull_;
};

/// Renames the territories of `a` so that each keeps the index of the territory of `orig` it overlaps
/// most (greedy, largest overlap first; a search from constructions numbers its territories freely).
/// Locked accounts keep their territory: a relabelling that would move one is not made. O(n + p² log p).
inline void relabel_by_overlap(std::vector<territory_index>& a, const std::vector<territory_index>& orig, std::size_t p,
                               const problem& pr) {
  std::vector<std::size_t> overlap(p * p, 0);
  for (std::size_t v = 0; v < a.size(); ++v) {
    if (orig[v] != no_territory) ++overlap[a[v] * p + orig[v]];
  }
  std::vector<std::pair<std::size_t, std::size_t>> cells;  // (overlap, a * p + orig)
  for (std::size_t k = 0; k < overlap.size(); ++k) {
    if (overlap[k] > 0) cells.push_back({overlap[k], k});
  }
  std::sort(cells.begin(), cells.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::vector<territory_index> to(p, no_territory);
  std::vector<char> used(p, 0);
  for (const auto& [o, k] : cells) {
    const std::size_t i = k / p, j = k % p;
    if (to[i] != no_territory || used[j]) continue;
    to[i] = static_cast<territory_index>(j);
    used[j] = 1;
  }
  for (std::size_t i = 0, j = 0; i < p; ++i) {  // the rest: free indices in order
    if (to[i] != no_territory) continue;
    while (used[j]) ++j;
    to[i] = static_cast<territory_index>(j);
    used[j] = 1;
  }
  for (std::size_t v = 0; v < a.size(); ++v) {
    if (pr.is_locked(static_cast<account_index>(v)) && to[a[v]] != a[v]) return;  // locks pin the numbering
  }
  for (auto& t : a) t = to[t];
}

template <class Distance>
rebalance_result run_rebalance(const Eigen::Ref<const Eigen::MatrixXd>& acts, const Eigen::Ref<const Eigen::MatrixX2d>& xy,
                               const adjacency& graph, const adjacency* user_graph, const plan& current,
                               const rebalance_plan_options& o, const Distance& dist) {
  const char* where = "rebalance()";
  const auto n = static_cast<std::size_t>(acts.rows());
  const auto m = static_cast<std::size_t>(acts.cols());
  if (current.size() != n) {
    throw invalid_input(errc::size_mismatch, "current",
                        fmt::format("{}: the current plan has {} accounts, the activities {}", where, current.size(), n));
  }
  const territory_index p0 = current.territory_count();
  std::vector<char> dropped(p0, 0);
  for (std::size_t i = 0; i < o.drop.size(); ++i) {
    const auto t = o.drop[i];
    if (t >= p0) {
      throw invalid_input(errc::out_of_range, "drop",
                          fmt::format("{}: drop[{}] = {} is not a territory of the current plan (it has {})", where, i, t, p0), i);
    }
    if (dropped[t]) {
      throw invalid_input(errc::invalid_parameter, "drop", fmt::format("{}: territory {} is dropped twice", where, t), i);
    }
    dropped[t] = 1;
  }
  // merges: `from` is dissolved like a dropped territory, its accounts go to `into`
  std::vector<territory_index> merge_into(p0, no_territory);
  for (std::size_t i = 0; i < o.merge.size(); ++i) {
    const auto [from, into] = o.merge[i];
    if (from >= p0 || into >= p0) {
      throw invalid_input(errc::out_of_range, "merge",
                          fmt::format("{}: merge[{}] = ({} into {}) names a territory the current plan does not have (it "
                                      "has {})",
                                      where, i, from, into, p0),
                          i);
    }
    if (from == into || dropped[from] || dropped[into] || merge_into[into] != no_territory) {
      throw invalid_input(errc::invalid_parameter, "merge",
                          fmt::format("{}: merge[{}] = ({} into {}): a territory merged into itself, dropped, or "
                                      "already merged away",
                                      where, i, from, into),
                          i);
    }
    dropped[from] = 1;
    merge_into[from] = into;
  }
  for (std::size_t i = 0; i < o.merge.size(); ++i) {  // into must survive every merge, and touch from
    const auto [from, into] = o.merge[i];
    bool adjacent = false;
    for (std::size_t v = 0; v < n && !adjacent && !dropped[into]; ++v) {
      if (current[static_cast<account_index>(v)] != from) continue;
      for (auto u : graph.neighbors(static_cast<account_index>(v))) adjacent = adjacent || current[u] == into;
    }
    if (!adjacent) {
      throw invalid_input(errc::invalid_parameter, "merge",
                          fmt::format("{}: merge[{}]: territory {} is not adjacent to territory {} (or that one is "
                                      "dissolved too): the merged territory would not be connected",
                                      where, i, from, into),
                          i);
    }
  }
  std::size_t split_new = 0;
  std::vector<char> split_seen(p0, 0);
  for (std::size_t i = 0; i < o.split.size(); ++i) {
    const auto [t, parts] = o.split[i];
    if (t >= p0) {
      throw invalid_input(errc::out_of_range, "split",
                          fmt::format("{}: split[{}] names territory {}, the current plan has {}", where, i, t, p0), i);
    }
    if (parts < 2 || dropped[t] || split_seen[t]) {
      throw invalid_input(errc::invalid_parameter, "split",
                          fmt::format("{}: split[{}] = (territory {}, {} parts): expected at least 2 parts of a territory "
                                      "that is kept and split once",
                                      where, i, t, parts),
                          i);
    }
    split_seen[t] = 1;
    split_new += parts - 1;
  }
  const std::size_t p = static_cast<std::size_t>(p0) - o.drop.size() - o.merge.size() + o.add + split_new;
  if (p == 0) {
    throw invalid_input(errc::out_of_range, o.add == 0 ? "drop" : "add",
                        fmt::format("{}: dropping {} of {} territories and adding {} leaves none", where, o.drop.size(), p0,
                                    o.add));
  }
  if (o.placements == 0) {
    throw invalid_input(errc::invalid_parameter, "placements",
                        fmt::format("{}: placements must be at least 1 (1 = the plain placement rule only)", where));
  }
  if (p > n) {
    throw invalid_input(errc::out_of_range, "add",
                        fmt::format("{}: {} territories after drop and add, but only {} accounts", where, p, n));
  }
  if (!o.move_cost.empty()) {
    if (o.move_cost.size() != n) {
      throw invalid_input(errc::size_mismatch, "move_cost",
                          fmt::format("{}: move_cost has {} values, expected {} (one per account) or none", where,
                                      o.move_cost.size(), n));
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (!std::isfinite(o.move_cost[a]) || o.move_cost[a] < 0.0) {
        throw invalid_input(errc::invalid_parameter, "move_cost",
                            fmt::format("{}: move_cost of account {} is {}, expected a finite value >= 0", where, a,
                                        o.move_cost[a]),
                            a);
      }
    }
  }
  // result territories: kept ones in order, then the new ones
  std::vector<territory_index> newidx(p0, no_territory), origin;
  for (territory_index t = 0; t < p0; ++t) {
    if (dropped[t]) continue;
    newidx[t] = static_cast<territory_index>(origin.size());
    origin.push_back(t);
  }
  origin.resize(p, no_territory);
  partition_options po{.territories = static_cast<territory_index>(p), .tolerance = o.tolerance};
  po.max_diameter = o.max_diameter;
  po.min_counts = o.min_counts;
  po.median_bounds = o.median_bounds;
  po.activity_names = o.activity_names;
  po.account_ids = o.account_ids;
  po.target_shares = o.target_shares;
  if (!o.locked.empty()) {
    if (o.locked.size() != n) {
      throw invalid_input(errc::size_mismatch, "locked",
                          fmt::format("{}: locked has {} values, expected {} (one per account) or none", where,
                                      o.locked.size(), n));
    }
    po.locked.assign(n, no_territory);
    for (std::size_t a = 0; a < n; ++a) {
      const auto t = o.locked[a];
      if (t == no_territory) continue;
      const std::string id = a < o.account_ids.size() ? o.account_ids[a] : std::string{};
      if (t >= p0) {
        throw invalid_input(errc::out_of_range, "locked",
                            fmt::format("{}: account {} is locked to territory {}, which the current plan does not have",
                                        where, account_name(po, a), t),
                            a, id);
      }
      if (dropped[t]) {
        throw invalid_input(errc::invalid_parameter, merge_into[t] == no_territory ? "locked" : "merge",
                            fmt::format("{}: account {} is locked to territory {}, which is {}", where,
                                        account_name(po, a), t, merge_into[t] == no_territory ? "dropped" : "merged away"),
                            a, id);
      }
      po.locked[a] = newidx[t];
    }
  }
  validate_common(acts, &graph, po, where);
  validate_coordinates(xy, n, where);
  // forbids in result indices (a forbid of a dropped territory is void)
  std::vector<std::pair<account_index, territory_index>> forbid_pairs;
  for (std::size_t i = 0; i < o.forbidden.size(); ++i) {
    const auto [acc, t] = o.forbidden[i];
    if (acc >= n || t >= p0) {
      throw invalid_input(errc::out_of_range, "forbidden",
                          fmt::format("{}: forbidden[{}] = (account {}, territory {}) is not in the plan ({} accounts, {} "
                                      "territories)",
                                      where, i, acc, t, n, p0),
                          i);
    }
    if (!o.locked.empty() && o.locked[acc] == t) {
      throw invalid_input(errc::invalid_parameter, "forbidden",
                          fmt::format("{}: account {} is locked to territory {} and forbidden from it", where,
                                      account_name(po, acc), t),
                          i, acc < o.account_ids.size() ? o.account_ids[acc] : std::string{});
    }
    if (!dropped[t]) forbid_pairs.emplace_back(acc, newidx[t]);
  }
  const forbid_set forbid(std::move(forbid_pairs));

  const auto tau = expand_tolerance(po, m);
  problem pr = make_problem(acts, xy, tau, p);
  pr.graph = &graph;
  add_business_constraints(pr, po.min_counts, po.median_bounds, po.locked, po.max_diameter);
  set_target_shares(pr, po.target_shares);

  // the current plan in result indices; forced moves (locks), cut-off pieces and orphans
  std::vector<territory_index> orig(n, no_territory), a(n, no_territory);
  for (std::size_t v = 0; v < n; ++v) {
    const auto t = current[static_cast<account_index>(v)];
    if (t != no_territory) orig[v] = newidx[t];
    a[v] = orig[v];
    if (pr.is_locked(static_cast<account_index>(v))) a[v] = pr.locked[v];
    if (t != no_territory && merge_into[t] != no_territory) a[v] = newidx[merge_into[t]];  // merged
    if (a[v] != no_territory && !forbid.allows(static_cast<account_index>(v), a[v])) a[v] = no_territory;  // must leave
  }
  if (user_graph != nullptr) {
    // pieces of each territory: keep the piece with the most locked accounts, then the heaviest, then the
    // one with the lowest account; unlocked accounts of the other pieces become orphans
    std::vector<std::uint32_t> piece(n, std::numeric_limits<std::uint32_t>::max());
    struct info {
      territory_index t;
      std::size_t locks = 0;
      double load = 0.0;
      std::size_t first = 0;
    };
    std::vector<info> pieces;
    std::vector<account_index> queue;
    for (std::size_t s = 0; s < n; ++s) {
      if (piece[s] != std::numeric_limits<std::uint32_t>::max() || a[s] == no_territory) continue;
      const auto id = static_cast<std::uint32_t>(pieces.size());
      pieces.push_back({a[s], 0, 0.0, s});
      queue.assign(1, static_cast<account_index>(s));
      piece[s] = id;
      for (std::size_t h = 0; h < queue.size(); ++h) {
        const auto x = queue[h];
        pieces[id].locks += pr.is_locked(x) ? 1 : 0;
        pieces[id].load += pr.load(x);
        for (auto u : graph.neighbors(x)) {
          if (a[u] == a[s] && piece[u] == std::numeric_limits<std::uint32_t>::max()) {
            piece[u] = id;
            queue.push_back(u);
          }
        }
      }
    }
    std::vector<std::uint32_t> keep(p, std::numeric_limits<std::uint32_t>::max());
    for (std::uint32_t i = 0; i < pieces.size(); ++i) {
      auto& k = keep[pieces[i].t];
      if (k == std::numeric_limits<std::uint32_t>::max()) {
        k = i;
        continue;
      }
      const auto& x = pieces[i];
      const auto& y = pieces[k];
      if (x.locks > y.locks || (x.locks == y.locks && x.load > y.load + 1e-12)) k = i;
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (a[v] == no_territory || keep[a[v]] == piece[v] || pr.is_locked(static_cast<account_index>(v))) continue;
      a[v] = no_territory;
    }
  }
  // territories to carve: the new ones and any kept territory left empty
  std::vector<char> fresh(p, 0);
  {
    std::vector<std::size_t> size(p, 0);
    for (auto t : a) {
      if (t != no_territory) ++size[t];
    }
    for (std::size_t t = 0; t < p; ++t) fresh[t] = size[t] == 0 ? 1 : 0;
    if (std::all_of(fresh.begin(), fresh.end(), [](char f) { return f != 0; })) fresh[0] = 0;  // grow from one
  }
  // split parts: the last split_new territories, carved from their source in the order of o.split
  std::vector<territory_index> split_source(p, no_territory), split_left(p, 0);
  {
    std::size_t k = p - split_new;
    for (const auto& sp : o.split) {
      for (territory_index i = 1; i < sp.parts; ++i, ++k) {
        split_source[k] = newidx[sp.territory];
        split_left[k] = static_cast<territory_index>(sp.parts - i + 1);  // parts still in the source, this one included
        fresh[k] = 1;
      }
    }
  }
  const bool has_orphans = std::any_of(a.begin(), a.end(), [](territory_index t) { return t == no_territory; });

  // One start: place the orphans (with a receiver bias, or none), carve the new territories, repair,
  // undo what is not needed, repair again.
  auto run_start = [&](std::span<const double> bias) {
    std::vector<territory_index> sa = a;
    std::vector<char> sfresh = fresh;
    rebalancer<Distance>::place_orphans(pr, sa, sfresh, forbid, dist, bias);
    auto r = std::make_unique<rebalancer<Distance>>(pr, orig, o.move_cost, o.max_moves, forbid, o.stop, dist);
    r->load(sa);
    // the moved count starts from the accounts already away from their current territory (locks, drops,
    // cut-off pieces, unassigned): unavoidable moves
    std::size_t forced = 0;
    for (std::size_t v = 0; v < n; ++v) forced += sa[v] != orig[v] ? 1 : 0;
    r->set_moved(forced);
    for (std::size_t t = 0; t < p; ++t) {
      if (!sfresh[t] || split_source[t] != no_territory) continue;
      r->carve(static_cast<territory_index>(t), sfresh);
      sfresh[t] = 0;
    }
    for (std::size_t t = 0; t < p; ++t) {
      if (split_source[t] == no_territory) continue;
      const auto src = split_source[t];
      r->carve(static_cast<territory_index>(t), sfresh, src, r->load_of(src) / static_cast<double>(split_left[t]));
      sfresh[t] = 0;
    }
    r->repair();
    r->undo_unneeded();
    if (!r->cancelled) r->repair();  // the undo pass may leave a little to do when a budget stopped it
    return r;
  };
  // Placement variants (orphans only): where the orphans go is free (each moves anyway), but it sets
  // how much load the receivers must pass on, and so the moves of the repair. Variant 0 is the plain
  // rule (lightest receiver first); the others add a random bias per receiver, up to
  // kRebalancePlacementBias mean loads, drawn from `seed`. The starts with the fewest moves (fewest
  // violations first) are consolidated, and the best result is kept. Work budgets in accounts: the
  // variants while n·variants <= kRebalancePlacementWork, the consolidations while n·consolidations
  // <= kRebalanceConsolidateWork (always at least one of each).
  const std::size_t placements = std::clamp<std::size_t>(kRebalancePlacementWork / std::max<std::size_t>(n, 1), 1, o.placements);
  const std::size_t consolidated = std::clamp<std::size_t>(kRebalanceConsolidateWork / std::max<std::size_t>(n, 1), 1, placements);
  std::vector<std::unique_ptr<rebalancer<Distance>>> tries;
  tries.push_back(run_start({}));
  if (has_orphans && !tries.front()->cancelled) {
    std::vector<double> bias(p);
    for (std::size_t k = 1; k < placements && !o.stop.stop_requested(); ++k) {
      rng gen(derive_seed(o.seed, kRebalancePlacementStream + k));
      for (auto& b : bias) b = gen.uniform_real(0.0, kRebalancePlacementBias * static_cast<double>(std::max<std::size_t>(pr.mb, 1)));
      tries.push_back(run_start(bias));
    }
  }
  auto worse = [](const std::unique_ptr<rebalancer<Distance>>& x, const std::unique_ptr<rebalancer<Distance>>& y) {
    const double ex = x->total_excess(), ey = y->total_excess();
    const bool fx = ex <= kBalanceEps, fy = ey <= kBalanceEps;
    if (fx != fy) return fy;
    if (!fx && ex != ey) return ex > ey;  // exact comparisons: a strict weak order for the sort
    if (x->moved() != y->moved()) return x->moved() > y->moved();
    return x->moved_cost_now() > y->moved_cost_now();
  };
  // stable: among equals the earlier start (variant 0 first) wins; the plain rule is always consolidated,
  // so that the result is never worse than with it alone
  auto plain = tries.front().get();
  std::stable_sort(tries.begin(), tries.end(), [&](const auto& x, const auto& y) { return worse(y, x); });
  const auto it = std::find_if(tries.begin(), tries.end(), [plain](const auto& r) { return r.get() == plain; });
  if (static_cast<std::size_t>(it - tries.begin()) >= consolidated) std::iter_swap(it, tries.begin() + static_cast<std::ptrdiff_t>(consolidated - 1));
  if (tries.size() > consolidated) tries.resize(consolidated);
  for (auto& r : tries) {
    if (!r->cancelled) r->consolidate();
  }
  std::stable_sort(tries.begin(), tries.end(), [&](const auto& x, const auto& y) { return worse(y, x); });
  rebalancer<Distance>& rb = *tries.front();

  // When the greedy repair is stuck with violations (a territory of three huge units cannot shed part of
  // one), the engine's search (balance, then compactness) runs with the repaired plan as its only start;
  // its plan is then brought back towards the current one (undo pass, repair). Kept only when it meets the
  // balance, floors and median bounds, honours every forbid and stays within the move budget.
  std::string search_note, shape_note;
  std::unique_ptr<rebalancer<Distance>> rs;
  if (o.search && !rb.cancelled && rb.total_excess() > kBalanceEps) {
    // tries: the repaired plan as the only start, with 30 kicks (regrowing the widest territory, iterated
    // local search), under 3 seeds; then, when none finds a feasible plan, the full multi-start search
    // (the repaired plan its first start, constructions the others, territories renamed by overlap)
    bool any_feasible = false;
    for (std::uint64_t attempt = 0; attempt <= kRebalanceSearchTries; ++attempt) {
      const unsigned starts = attempt < kRebalanceSearchTries ? 1u : 0u;
      partition_options so = po;
      so.seed = attempt == 0 ? o.seed : derive_seed(o.seed, attempt);
      so.threads = o.threads;
      so.time_limit_seconds = o.time_limit_seconds;
      so.iteration_limit = o.iteration_limit;
      so.stop = o.stop;
      so.starts = starts;
      if (starts == 1) so.kicks = kRebalanceSearchKicks;  // perturbations of that one start: the way out of the jam
      so.initial_assignment = rb.assignment();
      const auto sr = ::territory::partition(acts, xy, graph, so, dist);
      if (o.stop.stop_requested()) break;
      bool ok = sr.feasible();
      any_feasible = any_feasible || ok;
      for (const auto& [acc, t] : forbid.pairs()) ok = ok && sr.assignment[acc] != t;
      if (!ok) continue;
      auto cand = std::make_unique<rebalancer<Distance>>(pr, orig, o.move_cost, std::numeric_limits<std::size_t>::max(),
                                                         forbid, o.stop, dist);
      const auto span = sr.assignment.assignment();
      std::vector<territory_index> sa(span.begin(), span.end());
      relabel_by_overlap(sa, orig, p, pr);
      cand->load(sa);
      std::size_t k = 0;
      for (std::size_t v = 0; v < n; ++v) k += sa[v] != orig[v] ? 1 : 0;
      cand->set_moved(k);
      cand->undo_unneeded();
      if (!cand->cancelled) cand->repair();
      if (!cand->cancelled) cand->consolidate();
      if (cand->cancelled || cand->total_excess() > kBalanceEps || cand->moved() > o.max_moves) continue;
      rs = std::move(cand);
      search_note = fmt::format("the greedy repair left violations ({} accounts moved); the engine's search from its "
                                "plan{}, brought back towards the current plan, restored every constraint with {} "
                                "accounts moved",
                                rb.moved(), starts == 1 ? "" : " (with further starts)", rs->moved());
      break;
    }
    if (!rs) {
      search_note = "the greedy repair left violations, and the engine's search from its plan found no feasible plan " +
                    std::string(any_feasible ? "within the move budget and the forbids" : "in its time limit");
    }
  }
  rebalancer<Distance>& fin = rs ? *rs : rb;

  // The shape step: boundary smoothing near the moved accounts, never adding disruption (smooth.hpp).
  std::vector<territory_index> final_assign = fin.assignment();
  const bool all_placed =
      std::none_of(final_assign.begin(), final_assign.end(), [](territory_index t) { return t == no_territory; });
  if (o.smooth && all_placed && !fin.cancelled && p >= 2 && !o.stop.stop_requested()) {
    smooth_limits sl;
    sl.beta = smooth_beta;
    sl.origin = &orig;  // caps: the repair's own moved count and move cost
    if (!o.move_cost.empty()) sl.move_cost = &o.move_cost;
    sl.allowed = [&forbid](account_index v, territory_index t) { return forbid.allows(v, t); };
    // the focus: moved accounts and every account within two graph steps of one
    std::vector<char> near(n, 0);
    std::vector<account_index> frontier;
    for (std::size_t v = 0; v < n; ++v) {
      if (final_assign[v] != orig[v]) {
        near[v] = 1;
        frontier.push_back(static_cast<account_index>(v));
      }
    }
    for (int step = 0; step < 2; ++step) {
      std::vector<account_index> next;
      for (auto v : frontier) {
        for (auto u : graph.neighbors(v)) {
          if (!near[u]) {
            near[u] = 1;
            next.push_back(u);
          }
        }
      }
      frontier = std::move(next);
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (near[v]) sl.focus.push_back(static_cast<account_index>(v));
    }
    sl.stop = [&o] { return o.stop.stop_requested(); };
    if (!sl.focus.empty()) {
      const auto so = smooth_boundaries(pr, dist, final_assign, derive_seed(o.seed, kSmoothStream), sl);
      if (so.cut_after < so.cut_before) {
        shape_note = fmt::format("the shape step shortened the boundaries from {} to {} cut edges without moving more "
                                 "accounts",
                                 so.cut_before, so.cut_after);
      }
    }
  }

  rebalance_result r;
  partition_result& pres = r;
  evaluate(pres, final_assign, acts, xy, user_graph, po, dist);
  set_stop_reason(pres, {}, fin.cancelled, false, false);
  for (const auto& [acc, t] : forbid.pairs()) {  // a forbid that could not be honoured (every territory forbidden)
    if (final_assign[acc] != t) continue;
    pres.violations.push_back({constraint_kind::forbidden, t, acc < o.account_ids.size() ? o.account_ids[acc] : std::to_string(acc),
                               1.0, fmt::format("account {} is in territory {}, which it is forbidden from",
                                                account_name(po, acc), t)});
  }
  set_constraint_status(pres, final_assign, po);
  if (!forbid.pairs().empty()) {
    constraint_status cs{constraint_kind::forbidden, "forbidden", true, 0.0, 0};
    for (const auto& v : pres.violations) {
      if (v.kind != constraint_kind::forbidden) continue;
      cs.holds = false;
      ++cs.violated_territories;
    }
    pres.constraints.push_back(cs);
  }
  r.origin = origin;
  plan_delta_options dopt;
  dopt.continues = origin;
  r.delta = compare_plans(current, r.assignment, acts, dopt);
  for (const auto& mv : r.delta.moves) r.moved_cost += o.move_cost.empty() ? 1.0 : o.move_cost[mv.account];
  r.budget_reached = rb.budget_reached && !r.feasible();
  if (!search_note.empty()) r.notes.push_back(search_note);
  if (!shape_note.empty()) r.notes.push_back(shape_note);
  {
    constraint_status cs{constraint_kind::max_moves, "max_moves", r.delta.accounts_moved <= o.max_moves, 0.0, 0};
    if (o.max_moves != std::numeric_limits<std::size_t>::max()) {
      cs.slack = static_cast<double>(o.max_moves) - static_cast<double>(r.delta.accounts_moved);
      r.constraints.push_back(cs);
    }
  }
  if (r.budget_reached) {
    r.notes.push_back(fmt::format("the move budget ({} accounts) stopped the repair: the plan is the best found within "
                                  "it",
                                  o.max_moves));
  }
  r.stats.moves = r.delta.accounts_moved;
  return r;
}

}  // namespace territory::detail::balance

namespace territory {

template <distance_policy Distance>
rebalance_result rebalance(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const adjacency& graph, const plan& current, const rebalance_plan_options& options, Distance distance) {
  static_assert(hull_distance<Distance>::value,
                "territory::rebalance(): the Distance policy must be one whose diameters can be taken over convex hulls");
  if (graph.size() != static_cast<std::size_t>(activities.rows())) {
    throw invalid_input(errc::size_mismatch, "graph",
                        fmt::format("rebalance(): graph has {} vertices, expected {} (one per account)", graph.size(),
                                    activities.rows()));
  }
  return detail::balance::run_rebalance(activities, coordinates, graph, &graph, current, options, distance);
}

template <distance_policy Distance>
rebalance_result rebalance(Eigen::Ref<const Eigen::MatrixXd> activities, Eigen::Ref<const Eigen::MatrixX2d> coordinates,
                           const plan& current, const rebalance_plan_options& options, Distance distance) {
  static_assert(hull_distance<Distance>::value,
                "territory::rebalance(): the Distance policy must be one whose diameters can be taken over convex hulls");
  detail::balance::validate_coordinates(coordinates, static_cast<std::size_t>(activities.rows()), "rebalance()");
  const auto g = detail::graph::knn_graph(coordinates, 8);
  return detail::balance::run_rebalance(activities, coordinates, g, nullptr, current, options, distance);
}

}  // namespace territory
