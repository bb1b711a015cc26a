// Scores accounts with the default sales-ops policy (revenue potential 40 %, strategic value
// 25 %, complexity 20 %, growth 15 %), imputing missing criteria with the segment median,
// lifting a named account's strategic value to 90+, and tiering by quantiles.
// Reads score_accounts.csv from the working directory (examples/data).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <territory/core/account_table.hpp>
#include <territory/score/score_accounts.hpp>
#include <territory/score/tier.hpp>

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

int main() {
  std::ifstream in("score_accounts.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> ids, segments;
  std::vector<std::vector<double>> cols(4);
  while (std::getline(in, line)) {
    const auto f = split(line);
    ids.push_back(f[0]);
    segments.push_back(f[3]);
    for (int c = 0; c < 4; ++c) cols[c].push_back(f[4 + c].empty() ? std::nan("") : std::stod(f[4 + c]));
  }
  territory::account_table table(ids, Eigen::MatrixX2d::Zero(static_cast<Eigen::Index>(ids.size()), 2));
  const char* names[4] = {"revenue_potential", "strategic_value", "complexity", "growth"};
  for (int c = 0; c < 4; ++c) {
    table.add_activity(names[c],
                       Eigen::Map<const Eigen::VectorXd>(cols[c].data(), static_cast<Eigen::Index>(cols[c].size())));
  }
  table.set_attribute("segment", segments);

  territory::scoring_policy policy{};  // the default 40/25/20/15 policy
  policy.missing = territory::missing_policy::impute_segment_median;
  const std::vector<territory::account_index> named{table.index_of("A010")};
  const auto scored = territory::score_accounts(table, policy, named);
  const auto tiers = territory::assign_tiers(scored.score, territory::tier_quantiles{.a = 0.2, .b = 0.5, .c = 0.8});

  std::printf("%zu accounts, %zu missing values imputed\n", table.size(), scored.missing_values);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    std::printf("%s  %-10s score %5.1f  tier %s  (rev %5.1f  strat %5.1f  cplx %5.1f  growth %5.1f)\n", ids[i].c_str(),
                segments[i].c_str(), scored.score(e), std::string(territory::to_string(tiers[i])).c_str(),
                scored.normalized(e, 0), scored.normalized(e, 1), scored.normalized(e, 2), scored.normalized(e, 3));
  }
  return 0;
}
