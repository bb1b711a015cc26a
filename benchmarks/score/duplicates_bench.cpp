// Likely-duplicate detection on 10⁴–10⁶ synthetic company names (one or two words of 2–4 of
// 40 syllables, plus a legal suffix) and domains, 1 % of them look-alikes with one typo.
// Synthetic names collide far more than real ones (many exact repeats at 10⁶).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <territory/core/random.hpp>
#include <territory/score/duplicates.hpp>

#include "bench_common.hpp"

namespace {

struct data {
  std::vector<std::string> names, domains;
};

data make(std::size_t n) {
  static const char* syl[] = {"ka",  "lo",  "mi",  "ter", "van", "dor", "sel", "qui", "bra", "nex",
                              "tor", "ul",  "pha", "zen", "rik", "mo",  "sta", "gel", "fin", "cor",
                              "ab",  "ex",  "ion", "tra", "pol", "mar", "ven", "ris", "lum", "sor",
                              "tek", "dyn", "hal", "or",  "ix",  "ny",  "gra", "fel", "bor", "cas"};
  static const char* suffix[] = {" Inc", " LLC", " GmbH", " Ltd", "", " Corp"};
  territory::rng r(42);
  data d;
  d.names.reserve(n);
  d.domains.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && r.below(100) == 0) {  // look-alike of an earlier account with one typo
      std::string s = d.names[r.below(i)];
      s[r.below(s.size())] = static_cast<char>('a' + r.below(26));
      d.names.push_back(s);
      d.domains.emplace_back();
      continue;
    }
    std::string w;
    const auto words = 1 + r.below(2);
    for (std::uint64_t k = 0; k < words; ++k) {
      if (k) w += ' ';
      const auto parts = 2 + r.below(3);
      for (std::uint64_t p = 0; p < parts; ++p) w += syl[r.below(40)];
    }
    std::string dom = w;
    for (auto& c : dom) {
      if (c == ' ') c = '-';
    }
    d.names.push_back(w + suffix[r.below(6)]);
    d.domains.push_back(dom + ".com");
  }
  return d;
}

void BM_find_duplicates(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto d = make(n);
  std::size_t groups = 0, skipped = 0;
  for (auto _ : state) {
    const auto r = territory::find_duplicates(d.names, d.domains);
    groups = r.groups.size();
    skipped = r.skipped_blocks;
    benchmark::DoNotOptimize(r.pairs.data());
  }
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["skipped_blocks"] = static_cast<double>(skipped);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(static_cast<std::int64_t>(n));
}

void sizes(benchmark::internal::Benchmark* b) {
  if (territory::bench::smoke()) {
    b->Arg(10000);
  } else {
    b->RangeMultiplier(10)->Range(10000, 1000000)->Complexity(benchmark::oNLogN);
  }
}

}  // namespace

BENCHMARK(BM_find_duplicates)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
