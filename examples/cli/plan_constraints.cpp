#include "plan_constraints.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "args.hpp"
#include "csv.hpp"
#include "plan_report.hpp"

namespace territory_cli {

namespace {

/// "COL=VALUE:K" -> (COL, VALUE, K); usage_error naming the spec otherwise.
void parse_min_count(const std::string& spec, std::string& col, std::string& value, std::uint32_t& k) {
  const auto eq = spec.find('=');
  const auto colon = spec.rfind(':');
  if (eq == std::string::npos || colon == std::string::npos || colon < eq || eq == 0) {
    throw usage_error("'--min-count " + spec + "': expected COL=VALUE:K, e.g. tier=A:3");
  }
  col = spec.substr(0, eq);
  value = spec.substr(eq + 1, colon - eq - 1);
  const std::string_view ks(spec.data() + colon + 1, spec.size() - colon - 1);
  unsigned long long kk = 0;
  const auto [ptr, ec] = std::from_chars(ks.data(), ks.data() + ks.size(), kk);
  if (ks.empty() || ec != std::errc{} || ptr != ks.data() + ks.size() || kk == 0 || kk > 1000000000ULL) {
    throw usage_error("'--min-count " + spec + "': K must be a whole number from 1 to 1000000000, got '" +
                      std::string(ks) + "'");
  }
  k = static_cast<std::uint32_t>(kk);
}

/// "COL:F" of --median-cap / --median-floor -> the bound on that numeric column.
territory::median_bound parse_median_bound(const std::string& spec, territory::median_side side,
                                           const territory::account_table& accounts, const std::string& accounts_file) {
  const bool cap = side == territory::median_side::cap;
  const char* flag = cap ? "--median-cap" : "--median-floor";
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw usage_error(fmt::format("'{} {}': expected COL:F, e.g. {}", flag, spec, cap ? "workload:1.5" : "revenue:0.6"));
  }
  const std::string col = spec.substr(0, colon);
  const std::string_view fs(spec.data() + colon + 1, spec.size() - colon - 1);
  double f = 0.0;
  const auto [ptr, ec] = std::from_chars(fs.data(), fs.data() + fs.size(), f);
  const bool number = !fs.empty() && ec == std::errc{} && ptr == fs.data() + fs.size() && std::isfinite(f);
  if (!number || (cap ? f < 1.0 : (f <= 0.0 || f > 1.0))) {
    throw usage_error(fmt::format("'{} {}': F must be a number {}, got '{}' (the median territory itself must meet "
                                  "the bound)",
                                  flag, spec, cap ? ">= 1" : "in (0, 1]", fs));
  }
  const auto j = accounts.find_activity(col);
  if (!j) {
    throw input_error(fmt::format("{}: '{} {}': {}", accounts_file, flag, spec,
                                  accounts.has_attribute(col)
                                      ? fmt::format("column '{}' is not numeric", col)
                                      : fmt::format("no column '{}' in the accounts file", col)));
  }
  const std::size_t n = accounts.size();
  territory::median_bound b{col, std::vector<double>(n), side, f};
  for (std::size_t a = 0; a < n; ++a) {
    const double v = accounts.activities()(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(*j));
    if (v < 0.0) {
      throw input_error(fmt::format("{}: account '{}': column '{}' is {:g}, but '{}' needs values >= 0", accounts_file,
                                    accounts.id(static_cast<territory::account_index>(a)), col, v, flag));
    }
    b.values[a] = v;
  }
  return b;
}

}  // namespace

business_constraints read_business_constraints(const business_specs& specs, const territory::account_table& accounts,
                                               const std::string& accounts_file, std::size_t territories) {
  business_constraints bc;
  const std::size_t n = accounts.size();
  const auto& min_count_specs = specs.min_count;
  if (specs.locks) {
    bc.locked.assign(n, territory::no_territory);
    const auto& lk = accounts.locked();
    const auto& owners = accounts.owners();
    std::map<std::string, territory::territory_index, std::less<>> index;
    for (std::size_t a = 0; a < n && a < lk.size(); ++a) {
      if (lk[a] == 0) continue;
      const std::string owner = a < owners.size() ? owners[a] : std::string();
      if (owner.empty()) {
        throw input_error(fmt::format("{}: account '{}' is locked but has no owner (column 'owner'); --locks needs "
                                      "the owner each locked account stays with",
                                      accounts_file, accounts.id(static_cast<territory::account_index>(a))));
      }
      auto it = index.find(owner);
      if (it == index.end()) {
        if (bc.lock_owner.size() >= territories) {
          throw input_error(fmt::format("{}: locked accounts name more owners than the {} territories requested (owner "
                                        "'{}' of account '{}' would be territory {}); every locked owner needs a "
                                        "territory of its own",
                                        accounts_file, territories, owner,
                                        accounts.id(static_cast<territory::account_index>(a)), bc.lock_owner.size() + 1));
        }
        it = index.emplace(owner, static_cast<territory::territory_index>(bc.lock_owner.size())).first;
        bc.lock_owner.push_back(owner);
      }
      bc.locked[a] = it->second;
    }
    if (bc.lock_owner.empty()) bc.locked.clear();  // nothing locked: no lock constraint
  }
  for (const auto& spec : min_count_specs) {
    std::string col, value;
    std::uint32_t k = 0;
    parse_min_count(spec, col, value, k);
    territory::min_count mc{col + "=" + value, std::vector<std::uint8_t>(n, 0), k};
    if (accounts.has_attribute(col)) {
      const auto& cells = accounts.attribute(col);
      for (std::size_t a = 0; a < n; ++a) mc.member[a] = cells[a] == value ? 1 : 0;
    } else if (const auto j = accounts.find_activity(col)) {
      double x = 0.0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
      if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size()) {
        throw usage_error("'--min-count " + spec + "': column '" + col + "' is numeric, so VALUE must be a number, got '" +
                          value + "'");
      }
      for (std::size_t a = 0; a < n; ++a) {
        mc.member[a] = accounts.activities()(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(*j)) == x ? 1 : 0;
      }
    } else {
      throw input_error(fmt::format("{}: '--min-count {}': no column '{}' in the accounts file", accounts_file, spec, col));
    }
    bc.min_counts.push_back(std::move(mc));
  }
  for (const auto& spec : specs.median_cap) {
    bc.median_bounds.push_back(parse_median_bound(spec, territory::median_side::cap, accounts, accounts_file));
  }
  for (const auto& spec : specs.median_floor) {
    bc.median_bounds.push_back(parse_median_bound(spec, territory::median_side::floor, accounts, accounts_file));
  }
  return bc;
}

void check_business_constraints(const business_constraints& bc, const territory::plan& assignment,
                                const territory::account_table& accounts, std::vector<territory::violation>& out,
                                const std::vector<std::string>& names, const std::vector<double>& shares) {
  const std::size_t n = assignment.size();
  auto label = [&](territory::territory_index t) {
    return t < names.size() ? names[t] : std::to_string(territory_id(t));
  };
  for (std::size_t a = 0; a < n && !bc.locked.empty(); ++a) {
    const auto want = bc.locked[a];
    const auto got = assignment[static_cast<territory::account_index>(a)];
    if (want == territory::no_territory || want == got) continue;
    out.push_back({territory::constraint_kind::locked, got, accounts.id(static_cast<territory::account_index>(a)), 1.0,
                   fmt::format("account '{}' is locked to owner {} (territory {}) but sits in territory {}",
                               accounts.id(static_cast<territory::account_index>(a)), bc.lock_owner[want],
                               label(want), label(got))});
  }
  for (const auto& f : bc.forbidden) {
    if (assignment[f.account] != f.territory) continue;
    out.push_back({territory::constraint_kind::forbidden, f.territory, accounts.id(f.account), 1.0,
                   fmt::format("account '{}' is in territory {}, which the review forbids it", accounts.id(f.account),
                               label(f.territory))});
  }
  const auto p = assignment.territory_count();
  for (const auto& mc : bc.min_counts) {
    std::vector<std::size_t> count(p, 0);
    for (std::size_t a = 0; a < n; ++a) count[assignment[static_cast<territory::account_index>(a)]] += mc.member[a];
    for (territory::territory_index t = 0; t < p; ++t) {
      if (count[t] >= mc.min) continue;
      out.push_back({territory::constraint_kind::min_tier, t, mc.name, static_cast<double>(mc.min - count[t]),
                     fmt::format("territory {}: {} accounts with {}, at least {} required", label(t), count[t],
                                 mc.name, mc.min)});
    }
  }
  for (const auto& b : bc.median_bounds) {
    const bool cap = b.side == territory::median_side::cap;
    std::vector<double> sum(p, 0.0);
    double total = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
      sum[assignment[static_cast<territory::account_index>(a)]] += b.values[a];
      total += b.values[a];
    }
    if (p == 0 || !(total > 0.0)) continue;
    if (shares.size() == p) {  // --grow-from-reps: each territory's sum per unit of its target share
      double st = 0.0;
      for (double x : shares) st += x;
      for (territory::territory_index t = 0; t < p; ++t) sum[t] /= shares[t] * static_cast<double>(p) / st;
    }
    auto sorted = sum;
    std::sort(sorted.begin(), sorted.end());
    const double median = p % 2 == 1 ? sorted[p / 2] : 0.5 * (sorted[p / 2 - 1] + sorted[p / 2]);
    const double bound = b.factor * median, mean = total / static_cast<double>(p);
    for (territory::territory_index t = 0; t < p; ++t) {
      const double over = (cap ? sum[t] - bound : bound - sum[t]) / mean;
      if (!(over > 1e-9)) continue;
      out.push_back({cap ? territory::constraint_kind::workload_cap : territory::constraint_kind::revenue_floor, t,
                     b.name, over,
                     fmt::format("territory {}: {} {:.6g}{} is {} the {} of {:g} x the median territory's {:.6g}",
                                 label(t), b.name, sum[t], shares.size() == p ? " per unit of its target" : "",
                                 cap ? "above" : "below", cap ? "cap" : "floor", b.factor, median)});
    }
  }
}

}  // namespace territory_cli
