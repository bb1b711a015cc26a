#pragma once

// Construction: seeds by k-means++ sampling plus a few Lloyd steps per graph component, then
// multi-source region growing over the graph, the lightest territory taking its closest boundary
// account first. Contiguous by construction inside each component.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/core/random.hpp"
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
          for (std::size_t j = 0; j < pr.m; ++j) wt += pr.row(mem[i])[j];
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

/// Region growing from `seeds` (territory t grows from seeds[t]). Accounts of components without a
/// territory go to the territory of the nearest seed (contiguity then fails and is reported).
template <class Distance>
std::vector<territory_index> grow_regions(const problem& pr, const std::vector<account_index>& seeds,
                                          const Distance& dist) {
  const std::size_t p = seeds.size();
  std::vector<territory_index> assign(pr.n, no_territory);
  using cand = std::pair<double, account_index>;
  std::vector<std::priority_queue<cand, std::vector<cand>, std::greater<>>> frontier(p);
  std::vector<double> load(p, 0.0);
  const double active_cols = static_cast<double>(pr.m);  // the problem holds the balanced columns only
  auto weight = [&](account_index a) {
    double s = 0.0;
    for (std::size_t j = 0; j < pr.m; ++j) s += pr.row(a)[j];
    return active_cols > 0 ? s / active_cols : 1.0;
  };
  using ent = std::pair<double, territory_index>;
  std::priority_queue<ent, std::vector<ent>, std::greater<>> lightest;
  auto take = [&](territory_index t, account_index a) {
    assign[a] = t;
    load[t] += weight(a);
    for (auto b : pr.graph->neighbors(a)) {
      if (assign[b] == no_territory) frontier[t].push({dist(pr.xy[b], pr.xy[seeds[t]]), b});
    }
  };
  for (std::size_t t = 0; t < p; ++t) take(static_cast<territory_index>(t), seeds[t]);
  for (std::size_t t = 0; t < p; ++t) lightest.push({load[t], static_cast<territory_index>(t)});
  while (!lightest.empty()) {
    const auto t = lightest.top().second;
    lightest.pop();
    auto& f = frontier[t];
    while (!f.empty() && assign[f.top().second] != no_territory) f.pop();
    if (f.empty()) continue;  // enclosed: stops growing
    const auto a = f.top().second;
    f.pop();
    take(t, a);
    lightest.push({load[t], t});
  }
  for (std::size_t a = 0; a < pr.n; ++a) {
    if (assign[a] != no_territory) continue;
    territory_index best = 0;
    double bd = std::numeric_limits<double>::max();
    for (std::size_t t = 0; t < p; ++t) {
      const double d = dist(pr.xy[a], pr.xy[seeds[t]]);
      if (d < bd) {
        bd = d;
        best = static_cast<territory_index>(t);
      }
    }
    assign[a] = best;
  }
  return assign;
}

}  // namespace territory::detail::balance
