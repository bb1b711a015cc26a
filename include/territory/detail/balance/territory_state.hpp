#pragma once

// The territory state of the local search (issue 10, section 3: state / objective terms /
// neighbourhoods / driver): the assignment, member lists, activity sums, coordinate sums
// (centroids), boundary sets, and an undo log that rolls the state back to an earlier mark.
// Derived quantities of the search (hulls, diameters, balance excess, tabu) live in `searcher`,
// which derives from this class and keeps the member names used here.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "territory/core/ids.hpp"
#include "territory/detail/balance/problem.hpp"

namespace territory::detail::balance {

class territory_state {
 public:
  static constexpr std::uint32_t kNoPos = std::numeric_limits<std::uint32_t>::max();

  territory_state() = default;
  explicit territory_state(const problem& pr) : spr_(&pr) {}

  /// Loads an assignment (one territory < p per account). Clears the undo log. O(n·(m + deg)).
  void init_state(std::vector<territory_index> a) {
    const problem& pr = *spr_;
    const std::size_t n = pr.n, p = pr.p, m = pr.m;
    assign_ = std::move(a);
    sums_.assign(p * m, 0.0);
    mem_.assign(p, {});
    pos_.assign(n, 0);
    cx_.assign(p, 0.0);
    cy_.assign(p, 0.0);
    for (std::size_t v = 0; v < n; ++v) {
      const auto t = assign_[v];
      pos_[v] = static_cast<std::uint32_t>(mem_[t].size());
      mem_[t].push_back(static_cast<account_index>(v));
      pr.add(sums_.data() + t * m, static_cast<account_index>(v), t, 1.0);
      cx_[t] += pr.xy[v][0];
      cy_[t] += pr.xy[v][1];
    }
    bnd_.assign(p, {});
    bpos_.assign(n, kNoPos);
    for (std::size_t v = 0; v < n; ++v) bnd_update(static_cast<account_index>(v));
    log_.clear();
    saved_.clear();
  }

  /// Moves account v to territory `to` (≠ its territory): members, sums, centroid sums and boundary
  /// sets; with the log on, records what rollback() needs. O(m + deg²).
  void move(account_index v, territory_index to) {
    const problem& pr = *spr_;
    const auto from = assign_[v];
    const std::size_t m = pr.m;
    if (logging_) {
      log_.push_back({v, from, pos_[v]});
      for (std::size_t j = 0; j < m; ++j) saved_.push_back(sums_[from * m + j]);
      for (std::size_t j = 0; j < m; ++j) saved_.push_back(sums_[to * m + j]);
      saved_.insert(saved_.end(), {cx_[from], cy_[from], cx_[to], cy_[to]});
    }
    auto& fm = mem_[from];
    const auto last = fm.back();
    fm[pos_[v]] = last;
    pos_[last] = pos_[v];
    fm.pop_back();
    pos_[v] = static_cast<std::uint32_t>(mem_[to].size());
    mem_[to].push_back(v);
    if (bpos_[v] != kNoPos) bnd_remove(v, from);
    assign_[v] = to;
    bnd_update(v);
    for (auto u : pr.graph->neighbors(v)) bnd_update(u);
    pr.add(sums_.data() + from * m, v, from, -1.0);
    pr.add(sums_.data() + to * m, v, to, 1.0);
    cx_[from] -= pr.xy[v][0];
    cy_[from] -= pr.xy[v][1];
    cx_[to] += pr.xy[v][0];
    cy_[to] += pr.xy[v][1];
  }

  /// Turns the undo log on or off (off clears it).
  void set_logging(bool on) {
    logging_ = on;
    if (!on) {
      log_.clear();
      saved_.clear();
    }
  }
  /// A mark for rollback(): the number of logged moves.
  [[nodiscard]] std::size_t mark() const noexcept { return log_.size(); }
  /// Forgets the log (the current state becomes the one rollback(0) returns to).
  void clear_log() {
    log_.clear();
    saved_.clear();
  }
  /// Undoes the logged moves after `mark`, newest first: assignment, member lists (same order), sums
  /// and centroid sums (bit-identical, restored from the log) and boundary sets (same sets) are
  /// as they were at the mark. O(moves undone · (m + deg²)).
  void rollback(std::size_t to_mark) {
    const problem& pr = *spr_;
    const std::size_t m = pr.m, rec = 2 * m + 4;
    while (log_.size() > to_mark) {
      const auto e = log_.back();
      log_.pop_back();
      const double* sv = saved_.data() + log_.size() * rec;
      const auto v = e.v, from = e.from, to = assign_[v];
      // members: v is the last of `to` (later moves were undone first); put it back at its old slot
      auto& tm = mem_[to];
      tm.pop_back();
      auto& fm = mem_[from];
      if (e.pos == fm.size()) {
        fm.push_back(v);
      } else {
        const auto moved = fm[e.pos];
        fm.push_back(moved);
        pos_[moved] = static_cast<std::uint32_t>(fm.size() - 1);
        fm[e.pos] = v;
      }
      pos_[v] = e.pos;
      if (bpos_[v] != kNoPos) bnd_remove(v, to);
      assign_[v] = from;
      bnd_update(v);
      for (auto u : pr.graph->neighbors(v)) bnd_update(u);
      for (std::size_t j = 0; j < m; ++j) {
        sums_[from * m + j] = sv[j];
        sums_[to * m + j] = sv[m + j];
      }
      cx_[from] = sv[2 * m];
      cy_[from] = sv[2 * m + 1];
      cx_[to] = sv[2 * m + 2];
      cy_[to] = sv[2 * m + 3];
      saved_.resize(log_.size() * rec);
    }
  }

  /// Does territory t stay connected without account v (v in t)? Breadth-first searches from every
  /// t-neighbour of v in lock step, merged (union-find) when they meet; false as soon as one group is
  /// exhausted alone. Cost: about the size of the smaller side, usually a few steps; O(|t|·deg) at
  /// worst. (The searcher and the smoothing pass still carry copies of this test: issue 10's
  /// "one home" list.)
  [[nodiscard]] bool keeps_connected(account_index v, territory_index t) {
    const problem& pr = *spr_;
    cc_src_.clear();
    for (auto u : pr.graph->neighbors(v)) {
      if (assign_[u] == t) cc_src_.push_back(u);
    }
    const std::size_t k = cc_src_.size();
    if (k <= 1) return true;
    if (cc_stamp_.size() != pr.n) {
      cc_stamp_.assign(pr.n, 0);
      cc_label_.assign(pr.n, 0);
      cc_cur_ = 0;
    }
    if (++cc_cur_ == 0) {
      std::fill(cc_stamp_.begin(), cc_stamp_.end(), 0);
      cc_cur_ = 1;
    }
    cc_parent_.resize(k);
    if (cc_queue_.size() < k) cc_queue_.resize(k);
    cc_head_.assign(k, 0);
    for (std::size_t i = 0; i < k; ++i) {
      cc_parent_[i] = static_cast<std::uint32_t>(i);
      cc_queue_[i].assign(1, cc_src_[i]);
      cc_stamp_[cc_src_[i]] = cc_cur_;
      cc_label_[cc_src_[i]] = static_cast<std::uint32_t>(i);
    }
    cc_stamp_[v] = cc_cur_;
    auto find = [&](std::uint32_t x) {
      while (cc_parent_[x] != x) x = cc_parent_[x] = cc_parent_[cc_parent_[x]];
      return x;
    };
    std::size_t groups = k;
    for (;;) {
      for (std::size_t i = 0; i < k; ++i) {
        if (cc_parent_[i] != i) continue;  // only roots own a live queue
        if (cc_head_[i] >= cc_queue_[i].size()) return false;
        const auto x = cc_queue_[i][cc_head_[i]++];
        for (auto u : pr.graph->neighbors(x)) {
          if (assign_[u] != t || u == v) continue;
          if (cc_stamp_[u] != cc_cur_) {
            cc_stamp_[u] = cc_cur_;
            const auto r = find(static_cast<std::uint32_t>(i));
            cc_label_[u] = r;
            cc_queue_[r].push_back(u);
            continue;
          }
          const auto a = find(cc_label_[u]);
          const auto b = find(static_cast<std::uint32_t>(i));
          if (a == b) continue;
          const auto root = std::min(a, b), other = std::max(a, b);
          cc_parent_[other] = root;
          auto& rq = cc_queue_[root];
          auto& oq = cc_queue_[other];
          rq.insert(rq.end(), oq.begin() + static_cast<std::ptrdiff_t>(cc_head_[other]), oq.end());
          oq.clear();
          cc_head_[other] = 0;
          if (--groups == 1) return true;
        }
      }
    }
  }

  [[nodiscard]] const std::vector<territory_index>& assignment() const noexcept { return assign_; }
  [[nodiscard]] const std::vector<account_index>& members(territory_index t) const noexcept { return mem_[t]; }
  [[nodiscard]] const std::vector<account_index>& boundary(territory_index t) const noexcept { return bnd_[t]; }
  [[nodiscard]] const double* sums(territory_index t) const noexcept { return sums_.data() + t * spr_->m; }
  [[nodiscard]] double centroid_x_sum(territory_index t) const noexcept { return cx_[t]; }
  [[nodiscard]] double centroid_y_sum(territory_index t) const noexcept { return cy_[t]; }

 protected:
  // ---- boundary sets: bnd_[t] = accounts of t with a neighbour in another territory ----------
  [[nodiscard]] bool is_boundary(account_index x) const {
    const auto t = assign_[x];
    for (auto u : spr_->graph->neighbors(x)) {
      if (assign_[u] != t) return true;
    }
    return false;
  }
  void bnd_remove(account_index x, territory_index t) {
    auto& b = bnd_[t];
    const auto i = bpos_[x];
    b[i] = b.back();
    bpos_[b[i]] = i;
    b.pop_back();
    bpos_[x] = kNoPos;
  }
  /// Puts x into (or takes it out of) its territory's boundary set. O(deg).
  void bnd_update(account_index x) {
    const bool in = bpos_[x] != kNoPos;
    const bool should = is_boundary(x);
    if (in && !should) {
      bnd_remove(x, assign_[x]);
    } else if (!in && should) {
      bpos_[x] = static_cast<std::uint32_t>(bnd_[assign_[x]].size());
      bnd_[assign_[x]].push_back(x);
    }
  }

  struct log_entry {
    account_index v;
    territory_index from;
    std::uint32_t pos;  // v's slot in mem_[from] before the move
  };

  const problem* spr_ = nullptr;
  std::vector<territory_index> assign_;
  std::vector<double> sums_, cx_, cy_;           // p*m activity sums; p coordinate sums
  std::vector<std::vector<account_index>> mem_;  // members per territory
  std::vector<std::uint32_t> pos_;               // slot of an account in mem_
  std::vector<std::vector<account_index>> bnd_;  // boundary accounts per territory
  std::vector<std::uint32_t> bpos_;              // slot of an account in bnd_, kNoPos if interior
  bool logging_ = false;
  std::vector<log_entry> log_;
  std::vector<double> saved_;  // per log entry: sums of from and to (2m), cx/cy of from and to (4)
  // keeps_connected(): scratch of the lock-step searches
  std::vector<account_index> cc_src_;
  std::vector<std::uint32_t> cc_stamp_, cc_label_, cc_parent_;
  std::vector<std::vector<account_index>> cc_queue_;
  std::vector<std::size_t> cc_head_;
  std::uint32_t cc_cur_ = 0;
};

}  // namespace territory::detail::balance
