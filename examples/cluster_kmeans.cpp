// k-means (k-means++ seeding, Hamerly iteration) and balanced k-means on synthetic accounts:
// three towns of very different size; plain k-means follows the towns, balanced k-means
// gives every cluster the same workload.
#include <cstdio>
#include <vector>

#include <territory/cluster/balanced_kmeans.hpp>
#include <territory/cluster/kmeans.hpp>
#include <territory/core/random.hpp>

int main() {
  territory::rng r(7);
  const std::size_t sizes[3] = {300, 120, 60};
  const double cx[3] = {0, 40, 10}, cy[3] = {0, 10, 45};
  Eigen::MatrixXd xy(480, 2);
  std::vector<double> workload(480);
  Eigen::Index k = 0;
  for (int t = 0; t < 3; ++t) {
    for (std::size_t i = 0; i < sizes[t]; ++i, ++k) {
      xy(k, 0) = cx[t] + r.normal(0, 6);
      xy(k, 1) = cy[t] + r.normal(0, 6);
      workload[static_cast<std::size_t>(k)] = 1.0 + static_cast<double>(r.below(3));
    }
  }
  const auto plain = territory::kmeans(xy, 4, {.weights = workload, .seed = 1});
  std::printf("kmeans: %s after %llu iterations, wcss %.0f, workload deviation %.1f %%\n",
              std::string(territory::to_string(plain.why_stopped)).c_str(),
              static_cast<unsigned long long>(plain.stats.iterations), plain.objective,
              100 * plain.quality.max_deviation);
  for (std::size_t j = 0; j < 4; ++j) std::printf("  cluster %zu: workload %.0f\n", j, plain.quality.totals[j]);

  const auto bal = territory::balanced_kmeans(xy, 4, workload, {.tolerance = 0.03, .seed = 1});
  std::printf("balanced_kmeans: %s, wcss %.0f, workload deviation %.1f %% (tolerance 3 %%)\n",
              std::string(territory::to_string(bal.why_stopped)).c_str(), bal.quality.wcss,
              100 * bal.quality.max_deviation);
  for (std::size_t j = 0; j < 4; ++j) std::printf("  cluster %zu: workload %.0f\n", j, bal.quality.totals[j]);
  return 0;
}
