#include "plan_constraints.hpp"

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

}  // namespace

business_constraints read_business_constraints(bool locks, const std::vector<std::string>& min_count_specs,
                                               const territory::account_table& accounts,
                                               const std::string& accounts_file, std::size_t territories) {
  business_constraints bc;
  const std::size_t n = accounts.size();
  if (locks) {
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
  return bc;
}

void check_business_constraints(const business_constraints& bc, const territory::plan& assignment,
                                const territory::account_table& accounts, std::vector<territory::violation>& out,
                                const std::vector<std::string>& names) {
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
}

}  // namespace territory_cli
