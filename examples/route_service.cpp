// route_service: the router inside a long-running service — load once, route many.
//
// Startup, once: the rule table and the reps (configuration in a real service; here in code)
// are validated before going live (a table with gaps or overlaps is refused), compiled into a
// territory::router, and seeded with each rep's existing book (add_load) so that least-loaded
// distribution starts from today's workloads.
// Request loop: each message (one line of route_service.csv, standing in for a queue consumer
// or an HTTP handler) is either a new account to route or an event. Routing one account costs
// O(matching rules + team size), with no allocation and no I/O in the library, so nothing is
// re-read or recompiled per request. A bad request is rejected on its own (invalid_input names
// the field) and the service goes on. A rep who leaves (depart) is taken out of the rotation
// in place: rules naming them are skipped from then on, their team shares the work.
// Restart: after every request the service keeps a checkpoint of the distribution state
// (snapshot; persist it in a real service). A restarted service builds its router from the
// same configuration, restores the checkpoint and continues exactly where the old one stopped:
// the example proves it by replaying the last requests on a fresh router.
// Threads: route() updates the distribution state, so one router serves one request at a time;
// the service guards it with a mutex (explain() is const and needs none against other readers).
// Reads route_service.csv from the working directory (examples/data).
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <territory/route.hpp>

namespace {

using namespace territory;

/// The configuration a service would load at startup. `departed` lists reps who have left.
std::vector<rep> load_reps(const std::vector<std::string>& departed = {}) {
  const std::pair<const char*, const char*> config[] = {{"ann", ""},     {"eve", ""},     {"hal", "health"},
                                                        {"hoa", "health"}, {"wen", "west"}, {"wil", "west"},
                                                        {"wes", "west"}};
  std::vector<rep> reps;
  for (const auto& [id, team] : config) {
    rep r;
    r.id = id;
    r.team = team;
    for (const auto& d : departed) {
      if (r.id == d) r.status = rep_status::departed;
    }
    reps.push_back(std::move(r));
  }
  return reps;
}

rule_table load_rules() {
  std::vector<rule> rules(5);
  rules[0] = {.id = "vip", .kind = rule_kind::named, .owner = "ann", .domains = {"acme.com"}};
  rules[1] = {.id = "health", .kind = rule_kind::industry, .team = "health", .industry = "health"};
  rules[2] = {.id = "west", .kind = rule_kind::segment, .team = "west", .region = "West"};
  rules[3] = {.id = "east", .kind = rule_kind::segment, .owner = "eve", .region = "East"};
  rules[4] = {.id = "default", .kind = rule_kind::fallback, .owner = "ann"};
  return rule_table(std::move(rules));
}

/// One message of the stream: kind, id, domain, industry, region, employees.
struct message {
  std::vector<std::string> f;
  [[nodiscard]] routing_account account() const {
    routing_account a{.id = f[1], .domain = f[2], .industry = f[3], .region = f[4]};
    if (!f[5].empty()) a.employees = std::stod(f[5]);  // "nan" parses to NaN: route() rejects it
    return a;
  }
};

/// The service: one router, built once, guarded for concurrent handlers.
class routing_service {
 public:
  routing_service(rule_table rules, std::vector<rep> reps)
      : router_(std::move(rules), std::move(reps), {.policy = distribution::least_loaded}) {}

  router& get() { return router_; }

  /// Handles one request; returns the decision, or nullopt when the request is rejected.
  std::optional<route_decision> handle(const routing_account& a) {
    const std::lock_guard lock(mutex_);
    try {
      const auto d = router_.route(a);
      checkpoint_ = router_.snapshot();  // persist in a real service
      return d;
    } catch (const invalid_input& e) {
      std::printf("rejected %s: %s\n", std::string(a.id).c_str(), e.what());
      return std::nullopt;
    }
  }

  void depart(const std::string& rep_id) {
    const std::lock_guard lock(mutex_);
    router_.depart(rep_id);
    checkpoint_ = router_.snapshot();
  }

  [[nodiscard]] router_state checkpoint() const { return checkpoint_; }

 private:
  std::mutex mutex_;
  router router_;
  router_state checkpoint_;
};

std::string describe(const router& r, const std::optional<route_decision>& d) {
  if (!d) return "rejected";
  if (!d->routed()) return "no rule";
  return r.reps()[d->rep].id + " (rule " + r.rules()[d->rule].id + ")";
}

}  // namespace

int main() {
  // ---- startup: load, validate, compile, seed the loads; all of it once
  const auto rules = load_rules();
  const auto reps = load_reps();
  const auto findings = validate_rules(rules, {.reps = reps});
  if (!findings.ok()) {
    for (const auto& f : findings.findings) std::printf("refusing to go live: %s\n", f.message.c_str());
    return 1;
  }
  routing_service service(rules, reps);
  const std::pair<const char*, std::uint64_t> books[] = {{"hal", 3}, {"hoa", 1}, {"wen", 4}, {"wil", 1}, {"wes", 2}};
  for (const auto& [id, accounts] : books) service.get().add_load(*service.get().find_rep(id), accounts, 0.0);
  std::printf("live: %zu rules, %zu reps, 0 findings\n", rules.size(), reps.size());

  // ---- the request loop
  std::ifstream in("route_service.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<message> stream;
  while (std::getline(in, line)) {
    message m;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) m.f.push_back(cell);
    m.f.resize(6);
    stream.push_back(std::move(m));
  }
  std::vector<std::string> departed;
  std::vector<std::string> decisions;  // of every message, for the restart check below
  std::vector<router_state> checkpoints;
  std::size_t routed = 0, rejected = 0;
  for (const auto& m : stream) {
    if (m.f[0] == "depart") {
      service.depart(m.f[1]);
      departed.push_back(m.f[1]);
      std::printf("event: %s departs\n", m.f[1].c_str());
      decisions.emplace_back("depart");
    } else {
      const auto d = service.handle(m.account());
      (d ? routed : rejected) += 1;
      decisions.push_back(describe(service.get(), d));
      std::printf("%s %s/%s/%s -> %s\n", m.f[1].c_str(), m.f[3].c_str(), m.f[4].c_str(), m.f[5].c_str(),
                  decisions.back().c_str());
    }
    checkpoints.push_back(service.checkpoint());
  }

  // ---- a restart after the 10th message: a fresh router from the configuration as it is now
  // (the departed rep marked so), the checkpoint restored, the remaining requests routed again
  constexpr std::size_t crash_after = 10;
  routing_service restarted(load_rules(), load_reps(departed));
  restarted.get().restore(checkpoints[crash_after - 1]);
  std::size_t same = 0, total = 0;
  for (std::size_t i = crash_after; i < stream.size(); ++i) {
    if (stream[i].f[0] != "route") continue;
    ++total;
    same += describe(restarted.get(), restarted.handle(stream[i].account())) == decisions[i] ? 1 : 0;
  }
  std::printf("restart after message %zu: checkpoint restored, %zu of %zu later decisions identical\n", crash_after,
              same, total);

  const auto state = service.checkpoint();
  std::printf("routed %zu, rejected %zu; accounts per rep (book + routed):", routed, rejected);
  for (std::size_t i = 0; i < reps.size(); ++i) {
    std::printf(" %s=%llu", reps[i].id.c_str(), static_cast<unsigned long long>(state.accounts[i]));
  }
  std::printf("\n");
  return same == total ? 0 : 1;
}
