#pragma once

// Construction: seeds by k-means++ sampling plus a few Lloyd steps per graph component, then
// multi-source region growing over the graph, the lightest territory taking its closest boundary
// account first. Contiguous by construction inside each component.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/random.hpp"
#include "territory/detail/balance/median_bounds.hpp"  // plan_excess
#include "territory/detail/balance/problem.hpp"

namespace territory::detail::balance {

/// Seeds (one account per territory), territories numbered component by component.
template <class Distance>
std::vector<account_index> choose_seeds(const problem& pr, rng& gen, const Distance& dist) {
  std::vector<account_index> seeds;
  const std::size_t comps = pr.comp_territories.size();
  std::vector<std::vector<account_index>> members(comps);
  for (std::size_t a = 0; a < pr.n; ++a) members[pr.comp_label[a]].push_back(static_cast<account_index>(a));
  std::vector<double> d2;
  for (std::size_t c = 0; c < comps; ++c) {
    const std::size_t k = pr.comp_territories[c];
    if (k == 0) continue;
    // Large components: seed on a random sample of about 64 accounts per territory (O(sample * k)).
    std::vector<account_index> sample;
    if (members[c].size() > 64 * k && members[c].size() * k > 20000000) {
      sample = members[c];
      gen.shuffle(sample.begin(), sample.end());
      sample.resize(64 * k);
      std::sort(sample.begin(), sample.end());
    }
    const auto& mem = sample.empty() ? members[c] : sample;
    std::vector<account_index> s;
    d2.assign(mem.size(), std::numeric_limits<double>::max());
    s.push_back(mem[gen.below(mem.size())]);
    while (s.size() < k) {
      double total = 0.0;
      for (std::size_t i = 0; i < mem.size(); ++i) {
        const double d = dist(pr.xy[mem[i]], pr.xy[s.back()]);
        d2[i] = std::min(d2[i], d * d);
        total += d2[i];
      }
      std::size_t pick = mem.size();
      if (total > 0.0) {
        double r = gen.uniform01() * total;
        for (std::size_t i = 0; i < mem.size(); ++i) {
          r -= d2[i];
          if (r < 0.0 && d2[i] > 0.0) {
            pick = i;
            break;
          }
        }
      }
      if (pick == mem.size()) {  // all remaining at distance 0 or rounding: first unused account
        for (std::size_t i = 0; i < mem.size(); ++i) {
          if (std::find(s.begin(), s.end(), mem[i]) == s.end()) {
            pick = i;
            break;
          }
        }
      }
      s.push_back(mem[pick]);
    }
    // A few weighted Lloyd steps (weight = mean normalised activity + small constant), then snap to accounts.
    if (k > 1 && mem.size() > k) {
      std::vector<point> centre(k);
      for (std::size_t i = 0; i < k; ++i) centre[i] = pr.xy[s[i]];
      std::vector<double> sx(k), sy(k), sw(k);
      std::vector<std::uint32_t> near(mem.size());
      for (int it = 0; it < 3; ++it) {
        std::fill(sx.begin(), sx.end(), 0.0);
        std::fill(sy.begin(), sy.end(), 0.0);
        std::fill(sw.begin(), sw.end(), 0.0);
        for (std::size_t i = 0; i < mem.size(); ++i) {
          const auto& q = pr.xy[mem[i]];
          std::uint32_t best = 0;
          double bd = std::numeric_limits<double>::max();
          for (std::size_t t = 0; t < k; ++t) {
            const double dx = q[0] - centre[t][0], dy = q[1] - centre[t][1];
            const double d = dx * dx + dy * dy;
            if (d < bd) {
              bd = d;
              best = static_cast<std::uint32_t>(t);
            }
          }
          near[i] = best;
          double wt = 0.05;
          for (std::size_t j = 0; j < pr.mb; ++j) wt += pr.row(mem[i])[j];
          sx[best] += wt * q[0];
          sy[best] += wt * q[1];
          sw[best] += wt;
        }
        for (std::size_t t = 0; t < k; ++t) {
          if (sw[t] > 0) centre[t] = {sx[t] / sw[t], sy[t] / sw[t]};
        }
      }
      std::vector<char> used(pr.n, 0);
      for (std::size_t t = 0; t < k; ++t) {
        account_index best = s[t];
        double bd = std::numeric_limits<double>::max();
        for (auto a : mem) {
          if (used[a]) continue;
          const double dx = pr.xy[a][0] - centre[t][0], dy = pr.xy[a][1] - centre[t][1];
          const double d = dx * dx + dy * dy;
          if (d < bd) {
            bd = d;
            best = a;
          }
        }
        s[t] = best;
        used[best] = 1;
      }
    }
    seeds.insert(seeds.end(), s.begin(), s.end());
  }
  return seeds;
}

/// Multi-source region growing, the one home of region growing in the engine: territory t grows from
/// all of src[t] (already in `assign`, the rest no_territory), the lightest territory (load =
/// problem::load) taking its nearest frontier account first, nearness measured to the source the
/// frontier grew from. Accounts of components without any source go to the territory of the nearest
/// source (contiguity then fails and is reported). Complexity O(e log n + u·S), u = such accounts,
/// S = sources. Throws nothing (bad_alloc aside).
template <class Distance>
std::vector<territory_index> grow_from_sources(const problem& pr, const std::vector<std::vector<account_index>>& src,
                                               std::vector<territory_index> assign, const Distance& dist) {
  const std::size_t n = pr.n, p = src.size();
  using cand = std::pair<double, account_index>;
  std::vector<std::priority_queue<cand, std::vector<cand>, std::greater<>>> frontier(p);
  std::vector<account_index> origin(n, 0);
  std::vector<double> load(p, 0.0);
  auto push_frontier = [&](territory_index t, account_index a) {
    for (auto b : pr.graph->neighbors(a)) {  // skills: a territory never grows into an account it does not allow
      if (assign[b] == no_territory && pr.allows(b, t)) frontier[t].push({dist(pr.xy[b], pr.xy[origin[a]]), b});
    }
  };
  for (std::size_t t = 0; t < p; ++t) {
    for (auto a : src[t]) {
      origin[a] = a;
      load[t] += pr.load(a) / pr.share_of(t);  // relative to t's target (target shares)
    }
  }
  for (std::size_t t = 0; t < p; ++t) {
    for (auto a : src[t]) push_frontier(static_cast<territory_index>(t), a);
  }
  using ent = std::pair<double, territory_index>;
  std::priority_queue<ent, std::vector<ent>, std::greater<>> lightest;
  for (std::size_t t = 0; t < p; ++t) lightest.push({load[t], static_cast<territory_index>(t)});
  while (!lightest.empty()) {
    const auto t = lightest.top().second;
    lightest.pop();
    auto& f = frontier[t];
    while (!f.empty() && assign[f.top().second] != no_territory) f.pop();
    if (f.empty()) continue;
    const auto a = f.top().second;
    f.pop();
    // the source it grew from: a neighbour of t already taken
    for (auto b : pr.graph->neighbors(a)) {
      if (assign[b] == t) {
        origin[a] = origin[b];
        break;
      }
    }
    assign[a] = t;
    load[t] += pr.load(a) / pr.share_of(t);
    push_frontier(t, a);
    lightest.push({load[t], t});
  }
  // skills: accounts that only territories without their skill could reach join a neighbouring
  // territory (one that allows them first), so territories stay connected and the search, which
  // counts every such account in its infeasibility, moves them on
  for (bool grew = pr.mx < pr.m; grew;) {
    grew = false;
    for (std::size_t a = 0; a < n; ++a) {
      if (assign[a] != no_territory) continue;
      territory_index pick = no_territory;
      for (auto b : pr.graph->neighbors(static_cast<account_index>(a))) {
        const auto t = assign[b];
        if (t == no_territory) continue;
        if (pick == no_territory || (pr.allows(static_cast<account_index>(a), t) && !pr.allows(static_cast<account_index>(a), pick))) pick = t;
      }
      if (pick != no_territory) {
        assign[a] = pick;
        grew = true;
      }
    }
  }
  // components without any territory: the territory of the nearest source
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] != no_territory) continue;
    territory_index best = 0;
    double bd = std::numeric_limits<double>::max();
    for (std::size_t t = 0; t < p; ++t) {
      for (auto s0 : src[t]) {
        const double d = dist(pr.xy[a], pr.xy[s0]);
        if (d < bd) {
          bd = d;
          best = static_cast<territory_index>(t);
        }
      }
    }
    assign[a] = best;
  }
  return assign;
}

/// Region growing from `seeds` (territory t grows from seeds[t]): grow_from_sources with one source per
/// territory.
template <class Distance>
std::vector<territory_index> grow_regions(const problem& pr, const std::vector<account_index>& seeds,
                                          const Distance& dist) {
  std::vector<std::vector<account_index>> src(seeds.size());
  std::vector<territory_index> assign(pr.n, no_territory);
  for (std::size_t t = 0; t < seeds.size(); ++t) {
    src[t].push_back(seeds[t]);
    assign[seeds[t]] = static_cast<territory_index>(t);
  }
  return grow_from_sources(pr, src, std::move(assign), dist);
}

/// Construction with locks (partition_options::locked) or seeds (partition_options::seeds): territory t
/// grows from ALL the accounts locked to it (so every piece of a territory holds one of its locked
/// accounts), else from its seed when it has one, the free territories from
/// seeds drawn by D² sampling (k-means++) away from the locked territories of their component. Each
/// component gets the territories locked in it; free territories fill its allocation
/// (pr.comp_territories), surplus ones go to the component with the most accounts per territory.
/// Region growing then runs as in grow_regions (lightest territory first, its nearest frontier
/// account by distance to the source it grew from). Locked accounts keep their territory in the
/// result. Complexity O(n·(L + p) + e log n), L = territories with locks. Throws nothing (bad_alloc aside).
template <class Distance>
std::vector<territory_index> grow_from_locks(const problem& pr, rng& gen, const Distance& dist) {
  const std::size_t n = pr.n, p = pr.p, comps = pr.comp_territories.size();
  std::vector<std::vector<account_index>> src(p);
  for (std::size_t a = 0; a < n; ++a) {
    if (pr.is_locked(static_cast<account_index>(a))) src[pr.locked[a]].push_back(static_cast<account_index>(a));
  }
  for (std::size_t t = 0; t < p && !pr.seeds.empty(); ++t) {  // seeds (rep homes): a territory without locks grows from its seed
    const auto a = pr.seeds[t];
    if (src[t].empty() && a != no_account && !pr.is_locked(a) && pr.allows(a, t)) src[t].push_back(a);
  }
  std::vector<std::vector<account_index>> members(comps);
  for (std::size_t a = 0; a < n; ++a) members[pr.comp_label[a]].push_back(static_cast<account_index>(a));
  // territories present per component, and a centre per locked territory and component
  std::vector<std::size_t> used(comps, 0);
  std::vector<std::vector<point>> centres(comps);
  for (std::size_t t = 0; t < p; ++t) {
    std::vector<std::uint32_t> cs;
    for (auto a : src[t]) cs.push_back(pr.comp_label[a]);
    std::sort(cs.begin(), cs.end());
    cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
    for (auto c : cs) {
      ++used[c];
      point q{0.0, 0.0};
      double k = 0.0;
      for (auto a : src[t]) {
        if (pr.comp_label[a] != c) continue;
        q[0] += pr.xy[a][0];
        q[1] += pr.xy[a][1];
        k += 1.0;
      }
      centres[c].push_back({q[0] / k, q[1] / k});
    }
  }
  std::vector<territory_index> free_t;
  for (std::size_t t = 0; t < p; ++t) {
    if (src[t].empty()) free_t.push_back(static_cast<territory_index>(t));
  }
  std::vector<territory_index> assign(n, no_territory);
  for (std::size_t t = 0; t < p; ++t) {
    for (auto a : src[t]) assign[a] = static_cast<territory_index>(t);  // locked accounts and seeds
  }
  // a free territory needs a seed: an account of the component that is neither locked nor a seed
  std::vector<std::size_t> open_accounts(comps, 0);
  for (std::size_t a = 0; a < n; ++a) open_accounts[pr.comp_label[a]] += assign[a] == no_territory ? 1 : 0;
  std::vector<std::size_t> slots(comps, 0);
  std::size_t next_free = 0;
  for (std::size_t c = 0; c < comps && next_free < free_t.size(); ++c) {
    const std::size_t want = pr.comp_territories[c] > used[c] ? pr.comp_territories[c] - used[c] : 0;
    const std::size_t give = std::min({want, free_t.size() - next_free, open_accounts[c]});
    slots[c] = give;
    next_free += give;
  }
  while (next_free < free_t.size()) {  // surplus: most accounts per territory first
    std::size_t best = comps;
    double bv = -1.0;
    for (std::size_t c = 0; c < comps; ++c) {
      const std::size_t have = used[c] + slots[c];
      if (slots[c] >= open_accounts[c]) continue;  // every open account already seeds a territory
      const double v = static_cast<double>(members[c].size()) / static_cast<double>(have + 1);
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    if (best == comps) break;
    ++slots[best];
    ++next_free;
  }
  // seeds of the free territories: D² sampling per component, away from the locked centres
  std::size_t fi = 0;
  std::vector<double> d2;
  for (std::size_t c = 0; c < comps; ++c) {
    const auto& mem = members[c];
    d2.assign(mem.size(), std::numeric_limits<double>::max());
    for (const auto& q : centres[c]) {
      for (std::size_t i = 0; i < mem.size(); ++i) {
        const double d = dist(pr.xy[mem[i]], q);
        d2[i] = std::min(d2[i], d * d);
      }
    }
    for (std::size_t k = 0; k < slots[c]; ++k, ++fi) {
      const bool any = !centres[c].empty() || k > 0;
      double total = 0.0;
      const auto tf = free_t[fi];  // skills: its seed is an account it allows
      auto open_at = [&](std::size_t i) { return assign[mem[i]] == no_territory && pr.allows(mem[i], tf); };
      for (std::size_t i = 0; i < mem.size(); ++i) total += open_at(i) && any ? d2[i] : 0.0;
      std::size_t pick = mem.size();
      if (total > 0.0) {
        double r = gen.uniform01() * total;
        for (std::size_t i = 0; i < mem.size(); ++i) {
          if (!open_at(i)) continue;
          r -= d2[i];
          if (r < 0.0 && d2[i] > 0.0) {
            pick = i;
            break;
          }
        }
      }
      if (pick == mem.size()) {  // first territory of a lock-free component, or every distance 0
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < mem.size(); ++i) {
          if (open_at(i)) open.push_back(i);
        }
        for (std::size_t i = 0; i < mem.size() && open.empty(); ++i) {  // none it allows: any free account
          if (assign[mem[i]] == no_territory) open.push_back(i);
        }
        if (open.empty()) break;
        pick = open[gen.below(open.size())];
      }
      const auto t = free_t[fi];
      src[t].push_back(mem[pick]);
      assign[mem[pick]] = t;
      for (std::size_t i = 0; i < mem.size(); ++i) {
        const double d = dist(pr.xy[mem[i]], pr.xy[mem[pick]]);
        d2[i] = std::min(d2[i], d * d);
      }
    }
  }
  return grow_from_sources(pr, src, std::move(assign), dist);
}


/// Construction by recursive weighted bisection, for maps whose accounts are very unequal (where
/// region growing leaves the last territories far from the mean). Per graph component with k
/// territories: the accounts are split along their principal axis (turned by a random angle of at
/// most ±`jitter` radians, drawn from `gen`, so that starts differ) at the point where the weight
/// (mean normalised load of the balanced columns) of the first part is closest to floor(k/2)/k of
/// the total; both parts recurse. Contiguity is then repaired: each territory keeps its heaviest
/// connected piece, the other pieces are handed to the neighbouring territories by a breadth-first
/// search from the kept pieces (so every territory stays connected). Accounts of components without
/// territories go to the territory of the nearest account reached (contiguity then fails and is
/// reported, as with grow_regions). Territories are numbered component by component, as in
/// choose_seeds. Complexity O(n log n log p + e). Throws nothing (std::bad_alloc aside).
inline std::vector<territory_index> bisect_regions(const problem& pr, rng& gen, double jitter = 0.35) {
  const std::size_t n = pr.n;
  std::vector<territory_index> assign(n, no_territory);
  std::vector<double> wt(n, 1.0);
  for (std::size_t a = 0; a < n; ++a) wt[a] = pr.load(static_cast<account_index>(a));
  const std::size_t comps = pr.comp_territories.size();
  std::vector<std::vector<account_index>> members(comps);
  for (std::size_t a = 0; a < n; ++a) members[pr.comp_label[a]].push_back(static_cast<account_index>(a));
  std::vector<std::pair<double, account_index>> proj;
  // recursion on index ranges of one vector (explicit stack: depth log2 p, but no recursion limits)
  struct task {
    std::size_t lo, hi;  // accounts ids[lo, hi)
    std::size_t k;       // territories
    territory_index base;
  };
  std::vector<account_index> ids;
  std::vector<task> stack;
  territory_index next_base = 0;
  for (std::size_t c = 0; c < comps; ++c) {
    const std::size_t k = pr.comp_territories[c];
    if (k == 0) continue;
    ids = members[c];
    stack.push_back({0, ids.size(), k, next_base});
    next_base = static_cast<territory_index>(next_base + k);
    while (!stack.empty()) {
      const task tk = stack.back();
      stack.pop_back();
      if (tk.k == 1 || tk.hi - tk.lo <= 1) {
        for (std::size_t i = tk.lo; i < tk.hi; ++i) assign[ids[i]] = tk.base;
        continue;
      }
      // principal axis of the coordinates (unweighted covariance), turned by a random angle
      double mx = 0.0, my = 0.0;
      const double cnt = static_cast<double>(tk.hi - tk.lo);
      for (std::size_t i = tk.lo; i < tk.hi; ++i) {
        mx += pr.xy[ids[i]][0];
        my += pr.xy[ids[i]][1];
      }
      mx /= cnt;
      my /= cnt;
      double sxx = 0.0, syy = 0.0, sxy = 0.0;
      for (std::size_t i = tk.lo; i < tk.hi; ++i) {
        const double dx = pr.xy[ids[i]][0] - mx, dy = pr.xy[ids[i]][1] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      const double angle = 0.5 * std::atan2(2.0 * sxy, sxx - syy) + jitter * (2.0 * gen.uniform01() - 1.0);
      const double ux = std::cos(angle), uy = std::sin(angle);
      proj.clear();
      double total = 0.0;
      for (std::size_t i = tk.lo; i < tk.hi; ++i) {
        proj.push_back({ux * pr.xy[ids[i]][0] + uy * pr.xy[ids[i]][1], ids[i]});
        total += wt[ids[i]];
      }
      std::sort(proj.begin(), proj.end());
      const std::size_t k1 = tk.k / 2;
      const double target = total * static_cast<double>(k1) / static_cast<double>(tk.k);
      // first part = proj[0, cut): at least k1 accounts, leaving at least k - k1
      const std::size_t len = proj.size();
      std::size_t cut = k1;
      double acc = 0.0;
      for (std::size_t i = 0; i < k1; ++i) acc += wt[proj[i].second];
      double best = std::abs(acc - target);
      std::size_t best_cut = cut;
      while (cut + (tk.k - k1) < len) {
        acc += wt[proj[cut].second];
        ++cut;
        const double d = std::abs(acc - target);
        if (d < best) {
          best = d;
          best_cut = cut;
        }
        if (acc > target) break;
      }
      for (std::size_t i = 0; i < len; ++i) ids[tk.lo + i] = proj[i].second;
      stack.push_back({tk.lo + best_cut, tk.hi, tk.k - k1, static_cast<territory_index>(tk.base + k1)});
      stack.push_back({tk.lo, tk.lo + best_cut, k1, tk.base});
    }
  }
  // contiguity repair: keep each territory's heaviest piece
  std::vector<std::uint32_t> piece(n, std::numeric_limits<std::uint32_t>::max());
  std::vector<double> piece_w;
  std::vector<territory_index> piece_t;
  std::vector<account_index> queue;
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] == no_territory || piece[a] != std::numeric_limits<std::uint32_t>::max()) continue;
    const auto id = static_cast<std::uint32_t>(piece_w.size());
    piece_w.push_back(0.0);
    piece_t.push_back(assign[a]);
    queue.assign(1, static_cast<account_index>(a));
    piece[a] = id;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const auto x = queue[h];
      piece_w[id] += wt[x] + 1e-12;
      for (auto u : pr.graph->neighbors(x)) {
        if (assign[u] == assign[a] && piece[u] == std::numeric_limits<std::uint32_t>::max()) {
          piece[u] = id;
          queue.push_back(u);
        }
      }
    }
  }
  std::vector<std::uint32_t> keep(pr.p, std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t i = 0; i < piece_w.size(); ++i) {
    auto& kp = keep[piece_t[i]];
    if (kp == std::numeric_limits<std::uint32_t>::max() || piece_w[i] > piece_w[kp]) kp = i;
  }
  queue.clear();
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] == no_territory) continue;
    if (keep[assign[a]] != piece[a]) {
      assign[a] = no_territory;
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] != no_territory) queue.push_back(static_cast<account_index>(a));
  }
  for (std::size_t h = 0; h < queue.size(); ++h) {
    const auto x = queue[h];
    for (auto u : pr.graph->neighbors(x)) {
      if (assign[u] == no_territory) {
        assign[u] = assign[x];
        queue.push_back(u);
      }
    }
  }
  // accounts of components without territories: the territory with the nearest centroid
  std::vector<double> cxs(pr.p, 0.0), cys(pr.p, 0.0), cns(pr.p, 0.0);
  bool orphans = false;
  for (std::size_t a = 0; a < n; ++a) {
    if (assign[a] == no_territory) {
      orphans = true;
      continue;
    }
    cxs[assign[a]] += pr.xy[a][0];
    cys[assign[a]] += pr.xy[a][1];
    cns[assign[a]] += 1.0;
  }
  for (std::size_t a = 0; orphans && a < n; ++a) {
    if (assign[a] != no_territory) continue;
    double bd = std::numeric_limits<double>::max();
    territory_index bt = 0;
    for (std::size_t t = 0; t < pr.p; ++t) {
      if (cns[t] == 0.0) continue;
      const double dx = pr.xy[a][0] - cxs[t] / cns[t], dy = pr.xy[a][1] - cys[t] / cns[t];
      if (dx * dx + dy * dy < bd) {
        bd = dx * dx + dy * dy;
        bt = static_cast<territory_index>(t);
      }
    }
    assign[a] = bt;
  }
  return assign;
}

}  // namespace territory::detail::balance
