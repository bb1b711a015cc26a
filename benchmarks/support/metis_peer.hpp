#pragma once

// METIS 5.1 as a peer: multi-constraint k-way partitioning of a benchmark instance
// (METIS_PartGraphKway, ncon = number of activities, integer-scaled vertex weights,
// ubvec = 1 + tau, optional METIS_OPTION_CONTIG, seed). Only with TERRITORY_HAVE_METIS,
// which benchmarks/CMakeLists.txt defines when libmetis is found.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <territory/core/plan.hpp>

#include "support/ctdp.hpp"

#if defined(TERRITORY_HAVE_METIS)
#include <metis.h>
#endif

namespace territory::bench {

/// True when the benchmarks were built with METIS.
inline constexpr bool have_metis =
#if defined(TERRITORY_HAVE_METIS)
    true;
#else
    false;
#endif

struct metis_options {
  bool contig = true;        // METIS_OPTION_CONTIG = 1
  std::uint64_t seed = 1;    // METIS_OPTION_SEED
};

struct metis_result {
  plan assignment;           // p territories (empty plan when METIS failed or is absent)
  int code = 0;              // METIS return code (METIS_OK = 1); 0 when METIS is absent
  double seconds = 0;        // wall time of METIS_PartGraphKway alone
  [[nodiscard]] bool ok() const { return code == 1; }
};

/// Partitions the instance with METIS. Vertex weights: activity j of unit i is scaled by
/// s_j = min(10^4 / max_j, 10^9 / total_j) and rounded (at least 1 when the value is > 0),
/// so that the 32-bit totals cannot overflow. Edge weights: none (unit).
[[nodiscard]] inline metis_result metis_partition(const instance& inst, const metis_options& options = {}) {
  metis_result out;
#if defined(TERRITORY_HAVE_METIS)
  const auto n = inst.size();
  const auto m = static_cast<std::size_t>(inst.activities.cols());
  idx_t nvtxs = static_cast<idx_t>(n);
  idx_t ncon = static_cast<idx_t>(m);
  idx_t nparts = static_cast<idx_t>(inst.p);
  std::vector<idx_t> xadj(n + 1), adjncy(inst.graph.targets().size());
  for (std::size_t i = 0; i <= n; ++i) xadj[i] = static_cast<idx_t>(inst.graph.offsets()[i]);
  for (std::size_t k = 0; k < adjncy.size(); ++k) adjncy[k] = static_cast<idx_t>(inst.graph.targets()[k]);
  std::vector<idx_t> vwgt(n * m);
  for (std::size_t j = 0; j < m; ++j) {
    const auto col = inst.activities.col(static_cast<Eigen::Index>(j));
    const double mx = col.maxCoeff(), total = col.sum();
    const double s = (mx > 0 && total > 0) ? std::min(1e4 / mx, 1e9 / total) : 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = col(static_cast<Eigen::Index>(i));
      vwgt[i * m + j] = v > 0 ? std::max<idx_t>(1, static_cast<idx_t>(std::llround(v * s))) : 0;
    }
  }
  std::vector<real_t> ubvec(m, static_cast<real_t>(1.0 + inst.tau));
  idx_t opts[METIS_NOPTIONS];
  METIS_SetDefaultOptions(opts);
  opts[METIS_OPTION_CONTIG] = options.contig ? 1 : 0;
  opts[METIS_OPTION_SEED] = static_cast<idx_t>(options.seed);
  opts[METIS_OPTION_NUMBERING] = 0;
  idx_t edgecut = 0;
  std::vector<idx_t> part(n, 0);
  const auto t0 = std::chrono::steady_clock::now();
  if (nparts == 1) {
    out.code = METIS_OK;
  } else {
    out.code = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(), nullptr, nullptr,
                                   &nparts, nullptr, ubvec.data(), opts, &edgecut, part.data());
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (out.code == METIS_OK) {
    std::vector<territory_index> a(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<territory_index>(part[i]);
    out.assignment = plan(std::move(a), inst.p);
  }
#else
  (void)inst;
  (void)options;
#endif
  return out;
}

}  // namespace territory::bench
