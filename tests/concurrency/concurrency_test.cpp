// The library's threaded parts and its concurrency contract (docs/concurrency.md), in one TU so
// that scripts/tsan.sh builds only this under ThreadSanitizer:
//   - partition() multi-start + iterated local search on 2..8 threads, cancelled from another
//     thread, with a progress callback; k-means restarts on 3 threads;
//   - immutable objects shared between threads with no lock: rule_table, compiled_rules,
//     adjacency, account inputs (const), validate_rules, evaluate_plan, partition() re-entrant;
//   - a router (mutable state) shared between threads behind a mutex, and one copy per thread.
// Every check compares with a serial run, so a data race that changes a result fails here even
// without TSan.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <territory/plan/metrics.hpp>
#include <territory/plan/scenario.hpp>
#include <territory/balance/partition.hpp>
#include <territory/cluster/kmeans.hpp>
#include <territory/core/random.hpp>
#include <territory/route/compiled_rules.hpp>
#include <territory/route/interpret.hpp>
#include <territory/route/router.hpp>
#include <territory/route/validate_rules.hpp>

#include "route/support.hpp"
#include "support/instances.hpp"

using namespace territory;

namespace {
/// Runs f(t) on `threads` threads and joins them.
template <class F>
void on_threads(unsigned threads, F f) {
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(f, t);
  for (auto& th : pool) th.join();
}

/// Euclidean, but throws invalid_input after `after` calls (all copies share the count).
struct throwing_distance {
  std::shared_ptr<std::atomic<long>> calls = std::make_shared<std::atomic<long>>(0);
  long after = 20000;
  double operator()(const point& p, const point& q) const {
    if (calls->fetch_add(1) >= after) throw invalid_input(errc::unknown_id, "travel_matrix", "no time for this pair");
    return std::hypot(p[0] - q[0], p[1] - q[1]);
  }
};
}  // namespace

template <>
struct territory::hull_distance<throwing_distance> : std::true_type {};

TEST_CASE("concurrency/partition: an exception on a worker thread stops the others and reaches the caller") {
  const auto in = test::jittered_grid(12, 12, 2);
  for (long after : {0L, 700L, 20000L}) {
    CAPTURE(after);
    throwing_distance d;
    d.after = after;
    CHECK_THROWS_AS((void)partition(in.acts, in.xy, in.graph, {.territories = 5, .threads = 3, .starts = 6}, d),
                    invalid_input);
  }
}

TEST_CASE("concurrency/partition: multi-start on 2, 3 and 8 threads is deterministic per thread count") {
  const auto in = test::jittered_grid(10, 10, 3);
  for (unsigned threads : {2U, 3U, 8U}) {
    CAPTURE(threads);
    const partition_options o{.territories = 4, .seed = 11, .threads = threads, .iteration_limit = 3000,
                              .starts = 2 * threads, .kicks = 2};
    const auto a = partition(in.acts, in.xy, in.graph, o);
    const auto b = partition(in.acts, in.xy, in.graph, o);
    CHECK(a.stats.threads == threads);
    CHECK(a.assignment.complete());
    CHECK(a.assignment == b.assignment);
    CHECK(a.max_diameter == b.max_diameter);
  }
}

TEST_CASE("concurrency/partition: cancelled from another thread, with a progress callback on the caller") {
  const auto in = test::jittered_grid(16, 16, 5);
  std::stop_source stop;
  std::atomic<std::uint64_t> calls{0};
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> other_thread{false};
  partition_options o{.territories = 6, .seed = 3, .threads = 4, .time_limit_seconds = 60, .starts = 16};
  o.stop = stop.get_token();
  o.on_progress = [&](const progress&) {
    if (std::this_thread::get_id() != caller) other_thread = true;
    ++calls;
    return false;
  };
  std::thread canceller([&] {
    while (calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the search runs
    stop.request_stop();
  });
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = partition(in.acts, in.xy, in.graph, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  canceller.join();
  MESSAGE("cancelled after ", seconds, " s");
  CHECK(r.why_stopped == status::cancelled);  // the work budget of a 60 s limit is far from spent
  CHECK(r.assignment.complete());  // the best plan so far, never a half-updated one
  CHECK(r.assignment.territory_count() == 6);
  CHECK_FALSE(other_thread.load());  // the callback runs on the calling thread only
  CHECK(calls.load() > 0);
  const auto m = evaluate_plan(in.acts, in.xy, &in.graph, r.assignment, std::vector<double>{0.05});
  CHECK(m.feasible() == r.feasible());
}

TEST_CASE("concurrency/partition: re-entrant, two calls at once on shared const inputs give the serial plans") {
  const auto in = test::jittered_grid(9, 11, 8);
  const partition_options o1{.territories = 3, .seed = 1, .threads = 2, .iteration_limit = 2000, .starts = 4};
  const partition_options o2{.territories = 5, .seed = 2, .threads = 1, .iteration_limit = 2000, .starts = 3};
  const auto s1 = partition(in.acts, in.xy, in.graph, o1);
  const auto s2 = partition(in.acts, in.xy, in.graph, o2);
  std::vector<plan> got(4);
  on_threads(4, [&](unsigned t) { got[t] = partition(in.acts, in.xy, in.graph, t % 2 == 0 ? o1 : o2).assignment; });
  CHECK(got[0] == s1.assignment);
  CHECK(got[2] == s1.assignment);
  CHECK(got[1] == s2.assignment);
  CHECK(got[3] == s2.assignment);
}

TEST_CASE("concurrency/scenarios: a sweep on 3 threads gives the plans of each scenario run alone") {
  const auto in = test::jittered_grid(9, 11, 4);
  scenario_inputs shared;
  shared.base = partition_options{.territories = 4, .tolerance = {0.1}, .seed = 3, .time_limit_seconds = 60.0,
                                  .iteration_limit = 1500, .starts = 2};
  std::vector<scenario> sc(5);
  for (std::size_t i = 0; i < sc.size(); ++i) {
    sc[i].name = "s" + std::to_string(i);
    sc[i].seed = 10 + i;
    sc[i].objective.compactness = 1.0 / static_cast<double>(i + 1);
  }
  const auto sweep = run_scenarios(in.acts, in.xy, &in.graph, shared, sc, 3);
  REQUIRE(sweep.results.size() == sc.size());
  for (std::size_t i = 0; i < sc.size(); ++i) {
    const auto alone = run_scenario(in.acts, in.xy, &in.graph, shared, sc[i]);
    CHECK(sweep.results[i].assignment == alone.assignment);
  }
}

TEST_CASE("concurrency/evaluate_plan: one adjacency and plan read by several threads") {
  const auto in = test::jittered_grid(12, 12, 4);
  const auto r = partition(in.acts, in.xy, in.graph, {.territories = 4, .seed = 5, .iteration_limit = 1000, .starts = 2});
  const auto serial = evaluate_plan(in.acts, in.xy, &in.graph, r.assignment, std::vector<double>{0.05});
  std::vector<plan_metrics> got(4);
  on_threads(4, [&](unsigned t) { got[t] = evaluate_plan(in.acts, in.xy, &in.graph, r.assignment, std::vector<double>{0.05}); });
  for (const auto& m : got) {
    CHECK(m.max_diameter == serial.max_diameter);
    CHECK(m.cut_edges == serial.cut_edges);
    CHECK(m.violations.size() == serial.violations.size());
  }
}

TEST_CASE("concurrency/kmeans: restarts on 3 threads equal the serial result") {
  rng g(17);
  Eigen::MatrixXd pts(300, 2);
  for (Eigen::Index i = 0; i < pts.rows(); ++i) pts.row(i) << g.uniform_real(0, 10), g.uniform_real(0, 10);
  const auto serial = kmeans(pts, 5, {.restarts = 6, .seed = 4, .threads = 1});
  const auto parallel = kmeans(pts, 5, {.restarts = 6, .seed = 4, .threads = 3});
  CHECK(parallel.assignment == serial.assignment);
  CHECK(parallel.objective == serial.objective);
}

TEST_CASE("concurrency/route: a const rule_table and compiled_rules shared by threads without a lock") {
  const rule_table t(route_test::random_rules(7, 150));
  const compiled_rules c(t);
  const auto accounts = route_test::random_accounts(8, 2000);
  std::vector<rule_index> serial;
  for (const auto& a : accounts) serial.push_back(c.first_match(a.view()));
  std::vector<std::vector<rule_index>> got(4);
  on_threads(4, [&](unsigned k) {
    for (const auto& a : accounts) {
      got[k].push_back(k % 2 == 0 ? c.first_match(a.view()) : first_matching_rule(t, a.view()));
    }
  });
  for (const auto& g : got) CHECK(g == serial);
  // validate_rules reads the table only
  const auto report = validate_rules(t);
  std::vector<std::size_t> counts(3);
  on_threads(3, [&](unsigned k) { counts[k] = validate_rules(t).findings.size(); });
  for (auto n : counts) CHECK(n == report.findings.size());
}

TEST_CASE("concurrency/route: a router shared behind a mutex, and one copy per thread") {
  std::vector<rep> reps(5);
  for (int i = 0; i < 5; ++i) {
    reps[static_cast<std::size_t>(i)].id = "r" + std::to_string(i);
    reps[static_cast<std::size_t>(i)].team = i < 2 ? "west" : (i < 4 ? "east" : "");
  }
  std::vector<rule> team_rules{route_test::seg("w", 1, "", "West"), route_test::seg("e", 1, "", "East"),
                               route_test::fallback("d", "r4")};  // r4: no team, so team loads are order-free
  team_rules[0].team = "west";
  team_rules[1].team = "east";
  const router prototype(rule_table(team_rules), reps, {.policy = distribution::least_loaded});
  std::vector<route_test::stored_account> accounts(400);
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    accounts[i].id = "a" + std::to_string(i);
    accounts[i].region = i % 3 == 0 ? "West" : (i % 3 == 1 ? "East" : "North");
  }
  // shared: the mutex makes each route() atomic; the order differs between runs, the totals do not
  router shared = prototype;
  std::mutex lock;
  on_threads(4, [&](unsigned k) {
    for (std::size_t i = k; i < accounts.size(); i += 4) {
      const std::scoped_lock guard(lock);
      (void)shared.route(accounts[i].view());
    }
  });
  router serial = prototype;
  for (const auto& a : accounts) (void)serial.route(a.view());
  const auto s = shared.snapshot();
  const auto expect = serial.snapshot();
  CHECK(s.accounts == expect.accounts);  // least_loaded by count: balanced the same whatever the order
  // one copy per thread: each copy's decisions equal the serial ones
  std::vector<router_state> states(3);
  on_threads(3, [&](unsigned k) {
    router mine = prototype;
    for (const auto& a : accounts) (void)mine.route(a.view());
    states[k] = mine.snapshot();
  });
  for (const auto& st : states) CHECK(st == expect);
}
