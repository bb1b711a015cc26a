// Must NOT compile: partition() with a travel_matrix (coordinates are account indices, so hull
// diameters and centroids would be meaningless). CTest balance.rejects_travel_matrix builds this
// file and passes only when the build fails with partition()'s static_assert message.

#include <Eigen/Core>

#include <territory/balance/partition.hpp>
#include <territory/geo/travel_matrix.hpp>

territory::partition_result use(const territory::adjacency& graph) {
  const auto tm = territory::travel_matrix::dense(Eigen::MatrixXd::Zero(2, 2));
  const Eigen::MatrixXd acts = Eigen::MatrixXd::Ones(2, 1);
  return territory::partition(acts, territory::travel_matrix::index_points(2), graph, {.territories = 1}, tm);
}
