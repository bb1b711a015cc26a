// Routes new accounts through a rule cascade (named list → industry specialists → region ×
// employee-range table → default), validates the table first, distributes a team's accounts
// capacity-weighted with a ramping rep, and explains each decision.
// Reads route_new_accounts.csv from the working directory (examples/data).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <territory/route.hpp>

int main() {
  using namespace territory;
  using namespace std::chrono;

  std::vector<rule> rules(6);
  rules[0] = {.id = "vip", .kind = rule_kind::named, .owner = "ann", .account_ids = {"globex"}, .domains = {"acme.com"}};
  rules[1] = {.id = "health", .kind = rule_kind::industry, .owner = "hal", .industry = "health"};
  rules[2] = {.id = "west-small", .kind = rule_kind::segment, .owner = "wes", .region = "West", .max_employees = 249};
  rules[3] = {.id = "west-large", .kind = rule_kind::segment, .team = "west", .region = "West", .min_employees = 250};
  rules[4] = {.id = "east", .priority = 2, .kind = rule_kind::segment, .owner = "eve", .region = "East"};
  rules[5] = {.id = "default", .kind = rule_kind::fallback, .owner = "ann"};
  const rule_table table(rules);

  std::vector<rep> reps(6);
  reps[0].id = "ann";
  reps[1].id = "hal";
  reps[2].id = "wes";
  reps[3].id = "wen";
  reps[3].team = "west";
  reps[4].id = "wil";
  reps[4].team = "west";
  reps[4].start_date = year{2026} / 11 / 20;  // in week 1 on 2026-11-25: 25 %
  reps[5].id = "eve";

  const auto report = validate_rules(table, {.reps = reps});
  std::printf("validation: %zu finding(s)\n", report.findings.size());
  for (const auto& f : report.findings) std::printf("  %s: %s\n", std::string(to_string(f.kind)).c_str(), f.message.c_str());

  router r(table, reps, {.policy = distribution::capacity_weighted, .as_of = sys_days(year{2026} / 11 / 25)});
  std::printf("weights in team west: wen %.2f, wil %.2f\n", static_cast<double>(r.weight(3)) / 1000,
              static_cast<double>(r.weight(4)) / 1000);

  std::ifstream in("route_new_accounts.csv");
  std::string line;
  std::getline(in, line);  // header: id,domain,industry,region,size_band,employees
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    f.resize(6);
    routing_account a{f[0], f[1], f[2], f[3], f[4], {}};
    if (!f[5].empty()) a.employees = std::stod(f[5]);
    const auto why = r.explain(a);
    const auto d = r.route(a);
    std::printf("%s -> %s (rule %s)\n  %s\n", f[0].c_str(), r.reps()[d.rep].id.c_str(), table[d.rule].id.c_str(),
                why.reason.c_str());
  }
  const auto state = r.snapshot();
  std::printf("accounts per rep:");
  for (std::size_t i = 0; i < reps.size(); ++i) std::printf(" %s=%llu", reps[i].id.c_str(), static_cast<unsigned long long>(state.accounts[i]));
  std::printf("\n");
  return 0;
}
