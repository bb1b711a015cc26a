#pragma once

// Boundary smoothing: the pass that runs after the compactness search (partition_impl.hpp, and the
// finest level of multilevel.hpp). The search minimises the widest territory (or the sum of distances
// to the centroids); the other territories are left ragged. This pass lowers the number of cut edges
// (graph edges whose two accounts lie in different territories: the length of the boundaries) while
//   - every move keeps the balance excess of the two territories it touches, and the median bounds'
//     violation, from rising (a feasible plan stays within every tolerance and bound),
//   - the donor territory stays connected (local articulation test) and the receiver is adjacent,
//   - no territory grows wider than the plan's max diameter before the pass (an account may only join a
//     territory whose farthest hull vertex is within that diameter),
//   - under compactness::center_distance, the sum of distances to the territory centroids never rises
//     above its value before the pass (kept exactly, per territory).
// The primary term of either measure is therefore never worsened. For rebalance()'s shape step
// (smooth_limits::origin) the number of accounts away from the current plan (and their move cost) never
// rises above the caps, forbidden territories are never entered, and proposals pick their account from
// a focus set (the accounts near the moved ones).
//
// Method: simulated annealing over boundary moves and pair exchanges. A proposal picks a random account
// v and a random neighbouring territory B (in proportion to v's neighbours there); the change of the cut
// is deg_A(v) - deg_B(v). When moving v alone breaks the balance, the best partner u of B (a neighbour of
// v, or a neighbour of such a neighbour, that touches A) is moved the other way in the same step (an
// exchange keeps the sums close). The energy of a proposal is its cut change plus smooth_beta times the
// change of the moved accounts' distances to the centroids (held fixed), in typical territory radii
// (sqrt(p) / bounding-box diagonal): boundary length first, dispersion second. A proposal is accepted
// with the Metropolis rule at temperature T, lowered geometrically from 1.5 to 0.05 over the pass; the
// plan of lowest energy seen is kept. The number of proposals is a count (deterministic): 300 per
// account (kSmoothProposalsPerAccount), at most 5·10^6. A final check recomputes balance excess, pieces, the max diameter (and the
// centre sum) from scratch and keeps the plan as it came in if any of them got worse.
//
// Complexity: per proposal O(deg·m) for the scoring, O(h) for the diameter test (h = hull size of the
// receiver), the articulation test (usually a few steps), and on acceptance O(k) for the sorted member
// list and hull of the two territories (k = their size; O(k) exact distance sums in center mode).
// Memory O(n + p·k). Deterministic for a given seed (unless the deadline or a stop request cuts it).

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "territory/balance/compactness.hpp"
#include "territory/balance/partition_options.hpp"
#include "territory/balance/partition_result.hpp"
#include "territory/core/ids.hpp"
#include "territory/core/random.hpp"
#include "territory/detail/balance/diameter.hpp"
#include "territory/detail/balance/median_bounds.hpp"
#include "territory/detail/balance/problem.hpp"
#include "territory/detail/balance/search.hpp"
#include "territory/graph/adjacency.hpp"
#include "territory/graph/contiguity.hpp"

namespace territory::detail::balance {

/// Number of edges of `g` whose two accounts are in different territories (each undirected edge once).
/// O(n + e).
inline std::size_t cut_edges(const adjacency& g, const territory_index* assign, std::size_t n) {
  std::size_t c = 0;
  for (std::size_t v = 0; v < n; ++v) {
    for (auto u : g.neighbors(static_cast<account_index>(v))) c += (u > v && assign[u] != assign[v]) ? 1 : 0;
  }
  return c;
}
inline std::size_t cut_edges(const adjacency& g, const std::vector<territory_index>& assign) {
  return cut_edges(g, assign.data(), assign.size());
}

/// Proposals per account of the pass (at most kSmoothMaxProposals in all). 1,000 until the DL follow-up of
/// issue 10: on the US counties p = 20 main job 300 gives 609 cut edges instead of 597 (150: 610), and on
/// commdis-DL n <= 2,500 the pass took 0.3-0.8 s of the 2 s that the search needs.
inline constexpr std::uint64_t kSmoothProposalsPerAccount = 300;
inline constexpr std::uint64_t kSmoothMaxProposals = 5000000;

struct smooth_limits {
  compactness measure = compactness::max_diameter;
  std::uint64_t proposals = 0;  // 0 = auto: kSmoothProposalsPerAccount per account, at most kSmoothMaxProposals
  double t_start = 1.5, t_end = 0.05;
  double beta = 0.0;            // weight of the dispersion term (distance to the centroid / typical radius)
  // objective weights (partition_options::objective): the cut and dispersion term, travel from the
  // homes (one per territory, or none), evenness per balanced column of the problem (size mb or empty)
  double w_compact = 1.0, w_travel = 0.0;
  std::vector<std::optional<point>> homes;
  std::vector<double> w_balance;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::function<bool()> stop;  // polled every 1024 proposals; true = stop now (the best plan so far is kept)
  // Disruption (rebalance's shape step): with `origin` (the current plan, one territory per account or
  // no_territory), the accounts away from their origin never grow in number beyond the plan's own count
  // (or max_moved, when larger) nor, with `move_cost` (one per account), in cost beyond the plan's own
  // (or max_moved_cost): the pass may trade which accounts move (one goes home, another goes) but never
  // adds disruption.
  const std::vector<territory_index>* origin = nullptr;
  std::size_t max_moved = 0;
  const std::vector<double>* move_cost = nullptr;
  double max_moved_cost = 0.0;
  std::function<bool(account_index, territory_index)> allowed;  // may the account join the territory? (forbids)
  std::vector<account_index> focus;  // non-empty: proposals pick their account from these only
};

struct smooth_outcome {
  std::size_t cut_before = 0, cut_after = 0;
  std::uint64_t proposals = 0, moves = 0;
  bool stopped = false;   // by the deadline or the stop callback
  bool reverted = false;  // the final check failed and the plan was left as it was
};

template <class Distance>
class smoother {
 public:
  smoother(const problem& pr, const Distance& dist, std::uint64_t seed) : pr_(pr), dist_{dist}, gen_(seed), med_(pr) {}

  /// Smooths `assign` in place (see the file comment). Returns what it did.
  smooth_outcome run(std::vector<territory_index>& assign, const smooth_limits& lim) {
    smooth_outcome out;
    const std::size_t n = pr_.n;
    if (pr_.graph == nullptr || n < 2 || pr_.p < 2) return out;
    center_ = lim.measure == compactness::center_distance;
    beta_ = lim.beta;
    wc_ = lim.w_compact;
    wt_ = lim.homes.size() == pr_.p ? lim.w_travel : 0.0;
    homes_ = lim.homes;
    wb_ = lim.w_balance.size() == pr_.mb ? lim.w_balance : std::vector<double>{};
    if (std::all_of(wb_.begin(), wb_.end(), [](double x) { return x == 0.0; })) wb_.clear();
    load(assign);
    origin_ = lim.origin != nullptr && lim.origin->size() == n ? lim.origin : nullptr;
    cost_ = lim.move_cost != nullptr && lim.move_cost->size() == n ? lim.move_cost : nullptr;
    allowed_ = lim.allowed;
    focus_ = lim.focus;
    moved_k_ = 0;
    moved_c_ = 0.0;
    if (origin_ != nullptr) {
      for (std::size_t v = 0; v < n; ++v) {
        if (assign_[v] != (*origin_)[v]) {
          ++moved_k_;
          moved_c_ += cost_of(static_cast<account_index>(v));
        }
      }
    }
    // the caps: the disruption allowed, never below what the plan already has
    cap_k_ = std::max(lim.max_moved, moved_k_);
    cap_c_ = std::max(lim.max_moved_cost, moved_c_);
    out.cut_before = out.cut_after = cut_;
    const double D = cap_;  // the plan's max diameter before the pass
    const double S0 = center_ ? total_center() : 0.0;
    const std::size_t pieces_before = max_pieces(assign);
    // The best plan is the current one with the moves logged since it undone (log_), or, once that
    // log outgrows n, the copy best_ (so keeping the best costs O(1) amortised per move, not O(n)).
    log_.clear();
    logging_ = true;
    std::size_t best_cut = cut_;
    double best_energy = 0.0;  // energy_ is the change since the start: cut + beta * dispersion
    const std::size_t pool = focus_.empty() ? n : focus_.size();
    const std::uint64_t N =
        lim.proposals != 0 ? lim.proposals : std::min<std::uint64_t>(kSmoothProposalsPerAccount * pool, kSmoothMaxProposals);
    const double t0 = lim.t_start, t1 = lim.t_end;
    double T = t0;
    const double ratio = std::log(t1 / t0);
    for (std::uint64_t it = 0; it < N; ++it) {
      if ((it & 1023U) == 0) {
        if (std::chrono::steady_clock::now() >= lim.deadline || (lim.stop && lim.stop())) {
          out.stopped = true;
          break;
        }
        T = t0 * std::exp(ratio * static_cast<double>(it) / static_cast<double>(N));
      }
      ++out.proposals;
      if (propose(T, D, S0)) {
        ++out.moves;
        if (energy_ < best_energy - 1e-9) {
          best_energy = energy_;
          best_cut = cut_;
          log_.clear();
          logging_ = true;
        }
      }
      if (logging_ && log_.size() > n) {
        best_ = undo_log();
        log_.clear();
        logging_ = false;
      }
    }
    // Final check against the plan as it came in: balance excess, pieces, max diameter (and centre sum)
    // recomputed from scratch; any regression (only possible through rounding) leaves the plan unchanged.
    std::vector<territory_index> best = logging_ ? undo_log() : std::move(best_);
    if (best_energy < 0.0) {
      const double B_in = plan_excess(pr_, assign), B_out = plan_excess(pr_, best);  // median_bounds.hpp
      const double D_in = plan_diameter(assign), D_out = plan_diameter(best);
      bool ok = B_out <= B_in + 1e-9 && max_pieces(best) <= pieces_before && D_out <= D_in * (1.0 + 1e-12);
      if (ok && center_) ok = plan_center(best) <= plan_center(assign) * (1.0 + 1e-12);
      if (ok && origin_ != nullptr) {  // the disruption, recounted
        std::size_t k = 0;
        double c = 0.0;
        for (std::size_t v = 0; v < n; ++v) {
          if (best[v] == (*origin_)[v]) continue;
          ++k;
          c += cost_of(static_cast<account_index>(v));
        }
        ok = k <= cap_k_ && c <= cap_c_ * (1.0 + 1e-9);
      }
      if (ok) {
        assign = std::move(best);
        out.cut_after = best_cut;
      } else {
        out.reverted = true;
      }
    }
    return out;
  }

 private:
  static constexpr account_index none_ = std::numeric_limits<account_index>::max();

  // ---- state ------------------------------------------------------------------------------
  void load(const std::vector<territory_index>& a) {
    const std::size_t n = pr_.n, p = pr_.p, m = pr_.m;
    assign_ = a;
    sums_.assign(p * m, 0.0);
    mem_.assign(p, {});
    pos_.assign(n, 0);
    cx_.assign(p, 0.0);
    cy_.assign(p, 0.0);
    for (std::size_t v = 0; v < n; ++v) {
      const auto t = assign_[v];
      pos_[v] = static_cast<std::uint32_t>(mem_[t].size());
      mem_[t].push_back(static_cast<account_index>(v));
      pr_.add(sums_.data() + t * m, static_cast<account_index>(v), t, 1.0);
      cx_[t] += pr_.xy[v][0];
      cy_[t] += pr_.xy[v][1];
    }
    exc_.assign(p, 0.0);
    for (std::size_t t = 0; t < p; ++t) exc_[t] = excess(sums_.data() + t * m);
    if (med_.active()) med_.reset(sums_.data());
    sorted_.assign(p, {});
    hull_.assign(p, {});
    cap_ = 0.0;
    for (std::size_t t = 0; t < p; ++t) {
      for (auto v : mem_[t]) sorted_[t].push_back({pr_.xy[v][0], pr_.xy[v][1], v});
      std::sort(sorted_[t].begin(), sorted_[t].end());
      convex_hull_sorted(sorted_[t], none_, hull_[t]);
      cap_ = std::max(cap_, hull_diam(hull_[t]));
    }
    cap_ = std::min(cap_, pr_.max_diameter);  // the hard cap (problem::max_diameter): no move beyond it
    dsum_.assign(p, 0.0);
    if (center_) {
      for (std::size_t t = 0; t < p; ++t) dsum_[t] = center_sum(static_cast<territory_index>(t));
    }
    cut_ = cut_edges(*pr_.graph, assign_);
    {  // typical territory radius (under the policy), for the dispersion term
      double minx = pr_.xy[0][0], maxx = minx, miny = pr_.xy[0][1], maxy = miny;
      for (const auto& q : pr_.xy) {
        minx = std::min(minx, q[0]);
        maxx = std::max(maxx, q[0]);
        miny = std::min(miny, q[1]);
        maxy = std::max(maxy, q[1]);
      }
      const double diag = dist_(point{minx, miny}, point{maxx, maxy});
      inv_len_ = diag > 0.0 ? std::sqrt(static_cast<double>(pr_.p)) / diag : 1.0;
    }
    stamp_.assign(n, 0);
    label_.assign(n, 0);
  }

  [[nodiscard]] double excess(const double* s) const { return pr_.excess(s); }  // problem.hpp: the one home
  [[nodiscard]] double hull_diam(const std::vector<hull_point>& h) const {
    double best = 0.0;
    for (std::size_t i = 0; i < h.size(); ++i) {
      for (std::size_t j = i + 1; j < h.size(); ++j) {
        best = std::max(best, dist_(point{h[i].x, h[i].y}, point{h[j].x, h[j].y}));
      }
    }
    return best;
  }
  /// Max distance from v to territory t (over t's hull vertices).
  [[nodiscard]] double reach(account_index v, territory_index t) const {
    double best = 0.0;
    for (const auto& h : hull_[t]) best = std::max(best, dist_(pr_.xy[v], point{h.x, h.y}));
    return best;
  }
  [[nodiscard]] double center_sum(territory_index t) const {
    if (mem_[t].empty()) return 0.0;
    const double k = static_cast<double>(mem_[t].size());
    const point c{cx_[t] / k, cy_[t] / k};
    double s = 0.0;
    for (auto v : mem_[t]) s += dist_(pr_.xy[v], c);
    return s;
  }
  [[nodiscard]] double total_center() const {
    double s = 0.0;
    for (double d : dsum_) s += d;
    return s;
  }

  // Whole-plan measures for the final check (same arithmetic as evaluate.hpp).
  [[nodiscard]] std::size_t max_pieces(const std::vector<territory_index>& a) const {
    const auto pc = territory::detail::count_pieces(*pr_.graph, a, pr_.p);
    std::size_t extra = 0;
    for (auto c : pc) extra += c > 1 ? c - 1 : 0;
    return extra;
  }
  [[nodiscard]] double plan_diameter(const std::vector<territory_index>& a) const {
    std::vector<std::vector<hull_point>> pts(pr_.p);
    for (std::size_t v = 0; v < pr_.n; ++v) pts[a[v]].push_back({pr_.xy[v][0], pr_.xy[v][1], static_cast<account_index>(v)});
    std::vector<hull_point> h;
    double d = 0.0;
    for (auto& q : pts) {
      if (q.size() < 2) continue;
      convex_hull(q, h);
      for (std::size_t i = 0; i < h.size(); ++i) {
        for (std::size_t j = i + 1; j < h.size(); ++j) {
          d = std::max(d, static_cast<double>(dist_.d(point{h[i].x, h[i].y}, point{h[j].x, h[j].y})));
        }
      }
    }
    return d;
  }
  [[nodiscard]] double plan_center(const std::vector<territory_index>& a) const {
    std::vector<double> sx(pr_.p, 0.0), sy(pr_.p, 0.0), k(pr_.p, 0.0);
    for (std::size_t v = 0; v < pr_.n; ++v) {
      sx[a[v]] += pr_.xy[v][0];
      sy[a[v]] += pr_.xy[v][1];
      k[a[v]] += 1.0;
    }
    double s = 0.0;
    for (std::size_t v = 0; v < pr_.n; ++v) {
      const auto t = a[v];
      s += dist_(pr_.xy[v], point{sx[t] / k[t], sy[t] / k[t]});
    }
    return s;
  }

  /// The current plan with the logged moves undone (newest first).
  [[nodiscard]] std::vector<territory_index> undo_log() const {
    auto a = assign_;
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) a[it->first] = it->second;
    return a;
  }

  [[nodiscard]] double cost_of(account_index v) const { return cost_ != nullptr ? (*cost_)[v] : 1.0; }
  /// Would moving v to `to` (and, when u != none_, u to `to_u`) keep the disruption within the caps
  /// and every account out of a territory it may not join?
  [[nodiscard]] bool disruption_ok(account_index v, territory_index to, account_index u = none_,
                                   territory_index to_u = no_territory) const {
    if (allowed_ && (!allowed_(v, to) || (u != none_ && !allowed_(u, to_u)))) return false;
    if (origin_ == nullptr) return true;
    long dk = 0;
    double dc = 0.0;
    auto add = [&](account_index x, territory_index t) {
      const int before = assign_[x] != (*origin_)[x] ? 1 : 0, after = t != (*origin_)[x] ? 1 : 0;
      dk += after - before;
      dc += static_cast<double>(after - before) * cost_of(x);
    };
    add(v, to);
    if (u != none_) add(u, to_u);
    if (dk > 0 && moved_k_ + static_cast<std::size_t>(dk) > cap_k_) return false;
    return dc <= 0.0 || moved_c_ + dc <= cap_c_ * (1.0 + 1e-12);
  }

  void apply(account_index v, territory_index to) {
    const auto from = assign_[v];
    if (logging_) log_.emplace_back(v, from);
    if (origin_ != nullptr) {
      const int before = from != (*origin_)[v] ? 1 : 0, after = to != (*origin_)[v] ? 1 : 0;
      moved_k_ = moved_k_ + static_cast<std::size_t>(after) - static_cast<std::size_t>(before);
      moved_c_ += static_cast<double>(after - before) * cost_of(v);
    }
    const std::size_t m = pr_.m;
    auto& fm = mem_[from];
    const auto last = fm.back();
    fm[pos_[v]] = last;
    pos_[last] = pos_[v];
    fm.pop_back();
    pos_[v] = static_cast<std::uint32_t>(mem_[to].size());
    mem_[to].push_back(v);
    for (auto u : pr_.graph->neighbors(v)) {  // cut: edges to `from` become cut, edges to `to` stop being cut
      if (assign_[u] == from) ++cut_;
      else if (assign_[u] == to) --cut_;
    }
    assign_[v] = to;
    pr_.add(sums_.data() + from * m, v, from, -1.0);
    pr_.add(sums_.data() + to * m, v, to, 1.0);
    exc_[from] = excess(sums_.data() + from * m);
    exc_[to] = excess(sums_.data() + to * m);
    if (med_.active()) med_.update(from, sums_.data() + from * m, to, sums_.data() + to * m);
    cx_[from] -= pr_.xy[v][0];
    cy_[from] -= pr_.xy[v][1];
    cx_[to] += pr_.xy[v][0];
    cy_[to] += pr_.xy[v][1];
    const hull_point hp{pr_.xy[v][0], pr_.xy[v][1], v};
    auto& sf = sorted_[from];
    sf.erase(std::lower_bound(sf.begin(), sf.end(), hp));
    auto& st = sorted_[to];
    st.insert(std::upper_bound(st.begin(), st.end(), hp), hp);
    bool on_hull = false;
    for (const auto& h : hull_[from]) on_hull = on_hull || h.a == v;
    if (on_hull) convex_hull_sorted(sf, none_, hull_[from]);
    pts_.assign(hull_[to].begin(), hull_[to].end());
    pts_.push_back(hp);
    convex_hull(pts_, hull_[to]);
    if (center_) {
      dsum_[from] = center_sum(from);
      dsum_[to] = center_sum(to);
    }
  }

  /// Does territory t stay connected without v? Breadth-first searches from every t-neighbour of v
  /// in lock step, merged (union-find) when they meet; false as soon as one group is exhausted alone.
  bool stays_connected(account_index v, territory_index t) {
    src_.clear();
    for (auto u : pr_.graph->neighbors(v)) {
      if (assign_[u] == t) src_.push_back(u);
    }
    const std::size_t k = src_.size();
    if (k <= 1) return true;
    if (++cur_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0);
      cur_ = 1;
    }
    parent_.resize(k);
    if (gq_.size() < k) gq_.resize(k);
    head_.assign(k, 0);
    for (std::size_t i = 0; i < k; ++i) {
      parent_[i] = static_cast<std::uint32_t>(i);
      gq_[i].assign(1, src_[i]);
      stamp_[src_[i]] = cur_;
      label_[src_[i]] = static_cast<std::uint32_t>(i);
    }
    stamp_[v] = cur_;
    label_[v] = std::numeric_limits<std::uint32_t>::max();
    auto find = [&](std::uint32_t x) {
      while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
      return x;
    };
    std::size_t groups = k;
    for (;;) {
      for (std::size_t i = 0; i < k; ++i) {
        if (parent_[i] != i) continue;
        if (head_[i] >= gq_[i].size()) return false;
        const auto x = gq_[i][head_[i]++];
        for (auto u : pr_.graph->neighbors(x)) {
          if (assign_[u] != t || u == v) continue;
          if (stamp_[u] != cur_) {
            stamp_[u] = cur_;
            const auto r = find(static_cast<std::uint32_t>(i));
            label_[u] = r;
            gq_[r].push_back(u);
            continue;
          }
          const auto a = find(label_[u]);
          const auto b = find(static_cast<std::uint32_t>(i));
          if (a == b) continue;
          const auto root = std::min(a, b), other = std::max(a, b);
          parent_[other] = root;
          auto& rq = gq_[root];
          auto& oq = gq_[other];
          rq.insert(rq.end(), oq.begin() + static_cast<std::ptrdiff_t>(head_[other]), oq.end());
          oq.clear();
          head_[other] = 0;
          if (--groups == 1) return true;
        }
      }
    }
  }

  /// Neighbours of v in territory t.
  [[nodiscard]] int count_in(account_index v, territory_index t) const {
    int c = 0;
    for (auto u : pr_.graph->neighbors(v)) c += assign_[u] == t ? 1 : 0;
    return c;
  }
  [[nodiscard]] bool touches_without(account_index x, territory_index t, account_index skip) const {
    for (auto u : pr_.graph->neighbors(x)) {
      if (u != skip && assign_[u] == t) return true;
    }
    return false;
  }

  [[nodiscard]] bool accept(double delta, double T) {
    if (delta <= 0.0) return true;
    return gen_.uniform01() < std::exp(-delta / T);
  }
  /// Change of the distance to the centroid when v moves from `from` to `to` (centroids held fixed,
  /// the receiver's taken without v), in typical territory radii.
  [[nodiscard]] double disp_delta(account_index v, territory_index from, territory_index to) const {
    if (beta_ == 0.0) return 0.0;
    const double sf = static_cast<double>(mem_[from].size()), st = static_cast<double>(mem_[to].size());
    return beta_ * inv_len_ *
           (dist_(pr_.xy[v], point{cx_[to] / st, cy_[to] / st}) - dist_(pr_.xy[v], point{cx_[from] / sf, cy_[from] / sf}));
  }

  /// Travel change when v moves from `from` to `to`: the weighted distance from the receiver's home
  /// minus that from the donor's (a territory without a home counts 0), in typical territory radii.
  [[nodiscard]] double travel_delta(account_index v, territory_index from, territory_index to) const {
    if (wt_ == 0.0) return 0.0;
    double d = 0.0;
    if (homes_[to]) d += dist_(pr_.xy[v], *homes_[to]);
    if (homes_[from]) d -= dist_(pr_.xy[v], *homes_[from]);
    return wt_ * inv_len_ * d;
  }
  /// Evenness change when territories a and b get the sums sa and sb: Σ_k w_k ((S - 1)/τ_k)², over the
  /// balanced columns with a weight. O(mb).
  [[nodiscard]] double balance_delta(territory_index a, const double* sa, territory_index b, const double* sb) const {
    if (wb_.empty()) return 0.0;
    const std::size_t m = pr_.m;
    double d = 0.0;
    for (std::size_t k = 0; k < wb_.size(); ++k) {
      if (wb_[k] == 0.0) continue;
      const double it = 1.0 / std::max(pr_.tau[k], 0.005);
      auto q = [&](double x) { return (x - 1.0) * it * (x - 1.0) * it; };
      d += wb_[k] * (q(sa[k]) + q(sb[k]) - q(sums_[a * m + k]) - q(sums_[b * m + k]));
    }
    return d;
  }

  /// One proposal (see the file comment). True if the plan changed.
  bool propose(double T, double D, double S0) {
    const std::size_t m = pr_.m;
    const auto v = focus_.empty() ? static_cast<account_index>(gen_.below(pr_.n)) : focus_[gen_.below(focus_.size())];
    const auto A = assign_[v];
    const auto nb = pr_.graph->neighbors(v);
    int other = 0;
    for (auto u : nb) other += assign_[u] != A ? 1 : 0;
    if (other == 0 || mem_[A].size() <= 1 || pr_.is_locked(v)) return false;  // locked accounts never move
    auto pick = static_cast<int>(gen_.below(static_cast<std::uint64_t>(other)));
    territory_index B = A;
    for (auto u : nb) {
      if (assign_[u] != A && pick-- == 0) {
        B = assign_[u];
        break;
      }
    }
    const int dv = count_in(v, A) - count_in(v, B);
    std::copy_n(sums_.data() + A * m, m, sa_.data());
    std::copy_n(sums_.data() + B * m, m, sb_.data());
    pr_.add(sa_.data(), v, A, -1.0);
    pr_.add(sb_.data(), v, B, 1.0);
    if (infeasibility_delta(pr_, med_, exc_, A, sa_.data(), B, sb_.data()) <= 1e-12) {
      double e = wc_ * (dv + disp_delta(v, A, B));
      if (wt_ != 0.0) e += travel_delta(v, A, B);
      if (!wb_.empty()) e += balance_delta(A, sa_.data(), B, sb_.data());
      if (!disruption_ok(v, B)) return false;
      if (!accept(e, T)) return false;
      if (reach(v, B) > D) return false;
      if (!stays_connected(v, A)) return false;
      apply(v, B);
      if (center_ && total_center() > S0) {
        apply(v, A);
        return false;
      }
      energy_ += e;
      return true;
    }
    // Exchange: v goes to B, a partner u of B comes to A. Partners: B-neighbours of v and their
    // B-neighbours, touching A (other than through v); the best cut change among the balanced ones.
    cand_.clear();
    for (auto u : nb) {
      if (assign_[u] != B) continue;
      cand_.push_back(u);
      for (auto x : pr_.graph->neighbors(u)) {
        if (x != v && assign_[x] == B) cand_.push_back(x);
      }
    }
    std::sort(cand_.begin(), cand_.end());
    cand_.erase(std::unique(cand_.begin(), cand_.end()), cand_.end());
    account_index bu = none_;
    int bd = std::numeric_limits<int>::max();
    for (auto u : cand_) {
      if (pr_.is_locked(u) || !touches_without(u, A, v) || mem_[B].size() <= 1) continue;
      if (!disruption_ok(v, B, u, A)) continue;
      const int adj = pr_.graph->connected(u, v) ? 1 : 0;
      const int d = dv + count_in(u, B) - count_in(u, A) + 2 * adj;
      if (d >= bd) continue;
      std::copy_n(sums_.data() + A * m, m, sa_.data());
      std::copy_n(sums_.data() + B * m, m, sb_.data());
      pr_.add(sa_.data(), v, A, -1.0);
      pr_.add(sa_.data(), u, A, 1.0);
      pr_.add(sb_.data(), v, B, 1.0);
      pr_.add(sb_.data(), u, B, -1.0);
      if (infeasibility_delta(pr_, med_, exc_, A, sa_.data(), B, sb_.data()) > 1e-12) continue;
      bd = d;
      bu = u;
    }
    if (bu == none_) return false;
    double e = wc_ * (bd + disp_delta(v, A, B) + disp_delta(bu, B, A));
    if (wt_ != 0.0) e += travel_delta(v, A, B) + travel_delta(bu, B, A);
    if (!wb_.empty()) {  // the sums of the chosen exchange (the candidate loop left the last one tried)
      std::copy_n(sums_.data() + A * m, m, sa_.data());
      std::copy_n(sums_.data() + B * m, m, sb_.data());
      pr_.add(sa_.data(), v, A, -1.0);
      pr_.add(sa_.data(), bu, A, 1.0);
      pr_.add(sb_.data(), v, B, 1.0);
      pr_.add(sb_.data(), bu, B, -1.0);
      e += balance_delta(A, sa_.data(), B, sb_.data());
    }
    if (!accept(e, T)) return false;
    if (reach(v, B) > D || !stays_connected(v, A)) return false;
    apply(v, B);
    if (reach(bu, A) > D || !stays_connected(bu, B)) {
      apply(v, A);
      return false;
    }
    apply(bu, A);
    if (center_ && total_center() > S0) {
      apply(bu, B);
      apply(v, A);
      return false;
    }
    energy_ += e;
    return true;
  }

  const problem& pr_;
  fast_distance<Distance> dist_;
  rng gen_;
  bool center_ = false;
  double beta_ = 0.0, inv_len_ = 1.0, energy_ = 0.0;
  double wc_ = 1.0, wt_ = 0.0;
  std::vector<std::optional<point>> homes_;
  std::vector<double> wb_;
  std::vector<territory_index> assign_, best_;
  std::vector<std::pair<account_index, territory_index>> log_;
  bool logging_ = true;
  std::vector<double> sums_, exc_, cx_, cy_, dsum_;
  median_tracker med_;  // the median bounds: no move may raise their violation
  std::vector<std::vector<account_index>> mem_;
  std::vector<std::uint32_t> pos_;
  std::vector<std::vector<hull_point>> sorted_, hull_;
  std::vector<hull_point> pts_;
  double cap_ = 0.0;
  std::size_t cut_ = 0;
  std::vector<std::uint32_t> stamp_, label_, parent_;
  std::uint32_t cur_ = 0;
  std::vector<account_index> src_, cand_;
  std::vector<std::vector<account_index>> gq_;
  std::vector<std::size_t> head_;
  std::vector<double> sa_ = std::vector<double>(pr_.m), sb_ = std::vector<double>(pr_.m);
  const std::vector<territory_index>* origin_ = nullptr;  // disruption (smooth_limits::origin)
  const std::vector<double>* cost_ = nullptr;
  std::function<bool(account_index, territory_index)> allowed_;
  std::vector<account_index> focus_;
  std::size_t moved_k_ = 0, cap_k_ = 0;
  double moved_c_ = 0.0, cap_c_ = 0.0;
};

/// Share of the time limit kept for the smoothing pass (the compactness search stops before it).
inline constexpr double smooth_time_share = 0.1;
inline constexpr std::uint64_t kSmoothStream = 0x534D000000ULL;  // "SM": apart from the other seed streams
/// Weight of the dispersion term in the pass's energy (cut edges + beta * distance to the centroid in
/// typical territory radii): on the US counties, p = 20, beta = 0.5 kept the cut within 1 % of beta = 0
/// and lowered the mean distance to the centroid by 2 % (beta = 1: cut +3 %, distance -3 %).
inline constexpr double smooth_beta = 0.5;

/// After the pass: a plan whose primary term the pass lowered (it may, never raises it) gets that value
/// appended to `stats.objective_trace`, so that the trace still ends at the plan's measure.
inline void trace_smoothed(partition_result& r, const partition_options& o) {
  auto& tr = r.stats.objective_trace;
  if (tr.empty() || !r.feasible()) return;
  const double v = o.compactness == compactness::center_distance ? r.sum_center_distance : r.max_diameter;
  if (v < tr.back() * (1.0 - 1e-12)) tr.push_back(v);
}

/// Is the pass on for these options? (option `smooth`, not with `stop_when_feasible`)
inline bool smooth_enabled(const partition_options& o) { return o.smooth && !o.stop_when_feasible; }

/// Runs the smoothing pass on `assign` (see the file comment).
template <class Distance>
smooth_outcome smooth_boundaries(const problem& pr, const Distance& dist, std::vector<territory_index>& assign,
                                 std::uint64_t seed, const smooth_limits& lim) {
  smoother<Distance> s(pr, dist, seed);
  return s.run(assign, lim);
}

/// The pass as partition() runs it: the options' measure, seed stream and stop token, until `deadline`.
template <class Distance>
smooth_outcome run_smoothing(const problem& pr, const Distance& dist, std::vector<territory_index>& assign,
                             const partition_options& o, std::chrono::steady_clock::time_point deadline) {
  smooth_limits sl;
  sl.measure = o.compactness;
  sl.beta = smooth_beta;
  sl.w_compact = o.objective.compactness;
  sl.w_travel = o.objective.travel;
  for (const auto& h : o.homes) sl.homes.push_back(h ? std::optional<point>(point{(*h)[0], (*h)[1]}) : std::nullopt);
  if (!o.objective.balance.empty()) {  // input columns -> the problem's balanced columns
    sl.w_balance.assign(pr.mb, 0.0);
    for (std::size_t k = 0; k < pr.mb; ++k) {
      if (pr.column[k] < o.objective.balance.size()) sl.w_balance[k] = o.objective.balance[pr.column[k]];
    }
  }
  sl.deadline = deadline;
  sl.stop = [&o] { return o.stop.stop_requested(); };
  return smooth_boundaries(pr, dist, assign, derive_seed(o.seed, kSmoothStream), sl);
}

}  // namespace territory::detail::balance
