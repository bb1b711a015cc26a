// Shared by the find_package and add_subdirectory consumer tests, the vcpkg port test
// and the Conan test_package: a tiny program that uses the installed library.
#include <territory/territory.hpp>

#include <cstdio>

int main() {
  const std::vector<std::string> ids{"a", "b", "c", "d"};
  Eigen::MatrixX2d xy(4, 2);
  xy << 0, 0, 1, 0, 0, 1, 1, 1;
  territory::account_table accounts(ids, xy);
  accounts.add_activity("revenue", Eigen::Vector4d(1, 1, 1, 1));
  const auto report = territory::validate(accounts, {.territories = 2});
  const territory::plan p({0, 0, 1, 1}, 2);
  const auto sizes = p.sizes();
  const bool feasible = report.ok() && p.complete() && sizes[0] == 2 && sizes[1] == 2;
  std::printf("consumer: %zu accounts in %u territories, %s (territory %d.%d.%d)\n", accounts.size(),
              p.territory_count(), feasible ? "feasible" : "INFEASIBLE", TERRITORY_VERSION_MAJOR,
              TERRITORY_VERSION_MINOR, TERRITORY_VERSION_PATCH);
  return feasible ? 0 : 1;
}
