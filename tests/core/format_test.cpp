// Tests of territory/format.hpp (opt-in fmt formatters).
#include <doctest/doctest.h>

#include <territory/format.hpp>

using namespace territory;

TEST_CASE("format: enums print their stable names") {
  CHECK(fmt::format("{}", status::time_limit) == "time_limit");
  CHECK(fmt::format("{}", errc::duplicate_id) == "duplicate_id");
  CHECK(fmt::format("{}", constraint_kind::contiguity) == "contiguity");
  CHECK(fmt::format("{}", rep_status::departed) == "departed");
  CHECK(fmt::format("[{:>10}]", status::converged) == "[ converged]");
}

TEST_CASE("format: problems print like invalid_input::what()") {
  const problem p{errc::unknown_id, "adjacency", 3, "zz", "edge 3 names unknown account 'zz'"};
  CHECK(fmt::format("{}", p) == std::string(invalid_input(p).what()));
}

TEST_CASE("format: violations name kind, territory, subject, amount and reason") {
  const violation v{constraint_kind::balance, 3, "population", 0.02, "7.0 % above the mean (allowed 5.0 %)"};
  CHECK(fmt::format("{}", v) == "balance territory 3 population: 0.02 (7.0 % above the mean (allowed 5.0 %))");
  const violation whole{constraint_kind::min_tier, no_territory, "", 2, ""};
  CHECK(fmt::format("{}", whole) == "min_tier: 2");
}
