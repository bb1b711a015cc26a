// Hygiene build (scripts/hygiene.sh, CTest headers.strict_warnings): every public header, with the
// library's main function templates instantiated for the shipped distance policies, compiled with
// -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror. Never run: it only has to compile.
#include "all_headers.hpp"  // generated: one #include per public header

namespace territory::hygiene {

void instantiate(const Eigen::MatrixXd& acts, const Eigen::MatrixX2d& xy, const adjacency& g, const plan& pl,
                 std::span<const point> centres, std::span<const double> loads, std::span<const rep> reps) {
  const partition_options o{.territories = 2};
  (void)partition(acts, xy, g, o);
  (void)partition(acts, xy, o);
  (void)partition(acts, xy, g, o, haversine{});
  (void)partition(acts, xy, o, haversine{});
  (void)partition(acts, xy, g, o, drive_time{});
  (void)evaluate_plan(acts, xy, &g, pl, plan_metrics_options{});
  (void)evaluate_plan(acts, xy, &g, pl, plan_metrics_options{}, haversine{});
  (void)evaluate_plan(acts, xy, &g, pl, plan_metrics_options{}, drive_time{});
  (void)rebalance(acts, xy, g, pl, rebalance_plan_options{});
  (void)rebalance(acts, xy, pl, rebalance_plan_options{}, haversine{});
  (void)join_islands(acts, xy, g, o);
  (void)join_islands(acts, xy, g, o, haversine{});
  (void)design_from_reps(reps, xy, {}, euclidean{});
  (void)design_from_reps(reps, xy, {}, haversine{});
  (void)travel_from_homes(pl.assignment(), xy, {}, euclidean{});
  (void)travel_from_homes(pl.assignment(), xy, {}, haversine{});
  (void)assign_reps(centres, loads, reps);
  (void)assign_reps(centres, loads, reps, {}, haversine{});
  (void)delaunay_adjacency(xy);
  (void)delaunay_adjacency(xy, {}, haversine{});
  (void)connect_components(g, xy);
  (void)connect_components(g, xy, haversine{});
  const scenario_inputs si{};
  const std::vector<scenario> sc(1);
  (void)run_scenario(acts, xy, &g, si, sc.front());
  (void)run_scenario(acts, xy, nullptr, si, sc.front(), haversine{});
  (void)run_scenarios(acts, xy, &g, si, sc, 2);
  (void)run_scenarios(acts, xy, &g, si, sc, 2, haversine{});
  (void)scenario_options(sc.front(), si, xy, haversine{});
}

}  // namespace territory::hygiene
