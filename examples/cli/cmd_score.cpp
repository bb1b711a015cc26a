// territory-cli score: the weighted composite score of every account (territory::score_accounts,
// default policy revenue_potential 40 %, strategic_value 25 %, complexity 20 %, growth 15 %) and
// its tier A-D (territory::assign_tiers), written back as the accounts with a `score` and a `tier`
// column, so that `plan --min-count tier=A:3` can follow. Every other column and row is kept, in
// order, re-written by the CLI's CSV writer (values byte for byte; quoted only where needed).
// Exit 0: written. Exit 1: bad input or usage; one line on stderr; no output file created or touched.

#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include <territory/score/score_accounts.hpp>
#include <territory/score/tier.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "csv.hpp"
#include "output.hpp"

namespace territory_cli {

namespace {

constexpr const char* default_weights = "revenue_potential=0.4,strategic_value=0.25,complexity=0.2,growth=0.15";

/// "name=value" -> (name, value), usage_error naming the flag otherwise.
std::pair<std::string, std::string> key_value(std::string_view part, std::string_view flag, std::string_view shape) {
  const auto eq = part.find('=');
  if (eq == std::string_view::npos || trim(part.substr(0, eq)).empty() || trim(part.substr(eq + 1)).empty()) {
    throw usage_error("'" + std::string(flag) + "' expects " + std::string(shape) + ", got '" + std::string(part) + "'");
  }
  return {std::string(trim(part.substr(0, eq))), std::string(trim(part.substr(eq + 1)))};
}

/// --weights: the criteria in the order given; a weight of 0 drops its criterion. The weights
/// must be finite, >= 0 and sum to 1 (within 1e-6); they are then scaled to sum to exactly 1.
std::vector<territory::criterion> parse_weights(const std::string& flag, territory::normalizer norm) {
  std::vector<territory::criterion> out;
  double sum = 0.0;
  std::vector<std::string> seen;
  for (const auto& part : split_list(flag)) {
    auto [name, text] = key_value(part, "--weights", "CRITERION=W[,CRITERION=W...] (revenue_potential=0.4,...)");
    for (const auto& s : seen) {
      if (s == name) throw usage_error("'--weights' names criterion '" + name + "' twice");
    }
    seen.push_back(name);
    const auto w = parse_number(text);
    if (!w || !std::isfinite(*w) || *w < 0.0) {
      throw usage_error("'--weights': weight of '" + name + "' is '" + text + "', expected a finite number >= 0");
    }
    sum += *w;
    if (*w > 0.0) out.push_back({name, *w, norm});
  }
  if (out.empty()) throw usage_error("'--weights' gives no criterion a weight above 0");
  if (std::abs(sum - 1.0) > 1e-6) {
    throw usage_error(fmt::format("'--weights' sum to {:g}, expected 1 (e.g. revenue_potential=0.4,strategic_value=0.25,"
                                  "complexity=0.2,growth=0.15)",
                                  sum));
  }
  for (auto& c : out) c.weight /= sum;
  return out;
}

territory::normalizer parse_normalizer(const std::string& s) {
  for (auto n : {territory::normalizer::min_max, territory::normalizer::percentile_rank, territory::normalizer::z_score,
                 territory::normalizer::identity}) {
    if (s == territory::to_string(n)) return n;
  }
  throw usage_error("'--normalizer' must be min_max, percentile_rank, z_score or identity, got '" + s + "'");
}

territory::missing_policy parse_missing(const std::string& s) {
  if (s == "reject") return territory::missing_policy::reject;
  if (s == "impute") return territory::missing_policy::impute_segment_median;
  if (s == "zero") return territory::missing_policy::zero;
  throw usage_error("'--missing' must be reject, impute or zero, got '" + s + "'");
}

/// Three numbers "a,b,c" for --tier-quantiles / --tier-thresholds.
std::array<double, 3> three_numbers(const std::string& s, std::string_view flag) {
  const auto parts = split_list(s);
  std::array<double, 3> v{};
  bool ok = parts.size() == 3;
  for (std::size_t i = 0; ok && i < 3; ++i) {
    const auto x = parse_number(parts[i]);
    ok = x && std::isfinite(*x);
    if (ok) v[i] = *x;
  }
  if (!ok) throw usage_error("'" + std::string(flag) + "' expects three numbers A,B,C, got '" + s + "'");
  return v;
}

}  // namespace

const command_spec& score_spec() {
  static const command_spec spec{
      "score",
      "Scores every account with a weighted composite of normalised criteria (territory::score_accounts; default "
      "revenue_potential 40 %, strategic_value 25 %, complexity 20 %, growth 15 %, each min-max normalised to "
      "0-100) and tiers it A-D (territory::assign_tiers); writes the accounts back with a score and a tier column "
      "(replaced in place when present, else appended), every other column and row kept in order.",
      {
          {"--accounts", "FILE", "accounts.csv with one numeric column per criterion (the column named as the "
                                 "criterion unless --columns says otherwise).",
           "", true},
          {"--out", "FILE", "Output: the accounts with score (0-100, 4 decimals) and tier (A-D) columns; not the "
                            "input file.",
           "", true},
          {"--weights", "CRITERION=W[,...]", "Criteria and their weights (>= 0, summing to 1): the library's names "
                                             "revenue_potential, strategic_value, complexity, growth, or any other "
                                             "name (a column of that name); a criterion left out or at 0 is not used.",
           default_weights},
          {"--columns", "CRITERION=COLUMN[,...]", "The column that feeds a criterion (default: the column named as the "
                                                  "criterion), e.g. revenue_potential=population.",
           ""},
          {"--normalizer", "NAME", "How each criterion is brought to 0-100: min_max, percentile_rank, z_score or "
                                   "identity (values already on 0-100).",
           "min_max"},
          {"--missing", "reject|impute|zero", "An empty cell in a criterion column: exit 1 naming it (reject), the "
                                              "median of the account's segment (impute), or 0 after normalising "
                                              "(zero).",
           "reject"},
          {"--segment", "COLUMN", "Segment column for --missing impute (no such column: one segment).", "segment"},
          {"--tier-quantiles", "A,B,C", "Tiers by rank: the top share A of the accounts is tier A, up to B tier B, "
                                        "up to C tier C, the rest D (0 <= A <= B <= C <= 1; equal scores share a "
                                        "tier).",
           "0.1,0.3,0.6"},
          {"--tier-thresholds", "A,B,C", "Tiers by score instead: >= A is tier A, >= B tier B, >= C tier C, else D "
                                         "(A >= B >= C); give one of this and --tier-quantiles.",
           ""},
      },
      "Exit status: 0 the scored accounts were written; 1 bad input or usage (one line on stderr naming the flag, "
      "or the file, line and column; no output file created or touched). See docs/cli.md."};
  return spec;
}

int cmd_score(int argc, char** argv) {
  const args a(argc, argv, 2, score_spec());
  const std::string accounts_file = a.require("--accounts");
  const std::string out_path = a.require("--out");
  const auto norm = parse_normalizer(*a.get("--normalizer"));
  territory::scoring_policy policy;
  policy.criteria = parse_weights(*a.get("--weights"), norm);
  policy.missing = parse_missing(*a.get("--missing"));
  std::vector<std::string> column_of;  // per criterion
  for (const auto& c : policy.criteria) column_of.push_back(c.name);
  if (const auto cols = a.get("--columns")) {
    std::vector<std::string> seen;
    for (const auto& part : split_list(*cols)) {
      auto [name, col] = key_value(part, "--columns", "CRITERION=COLUMN[,CRITERION=COLUMN...]");
      for (const auto& s : seen) {
        if (s == name) throw usage_error("'--columns' names criterion '" + name + "' twice");
      }
      seen.push_back(name);
      std::size_t k = 0;
      while (k < policy.criteria.size() && policy.criteria[k].name != name) ++k;
      if (k == policy.criteria.size()) {
        throw usage_error("'--columns' names criterion '" + name + "', which has no weight above 0 in '--weights'");
      }
      column_of[k] = col;
    }
  }
  if (a.has("--tier-quantiles") && a.has("--tier-thresholds")) {
    throw usage_error("give one of '--tier-quantiles' and '--tier-thresholds', not both");
  }
  std::optional<territory::tier_thresholds> thresholds;
  territory::tier_quantiles quantiles;
  if (const auto t = a.get("--tier-thresholds")) {
    const auto v = three_numbers(*t, "--tier-thresholds");
    if (!(v[0] >= v[1] && v[1] >= v[2])) throw usage_error("'--tier-thresholds' must satisfy A >= B >= C, got '" + *t + "'");
    thresholds = territory::tier_thresholds{v[0], v[1], v[2]};
  } else {
    const auto q = *a.get("--tier-quantiles");
    const auto v = three_numbers(q, "--tier-quantiles");
    if (!(v[0] >= 0 && v[0] <= v[1] && v[1] <= v[2] && v[2] <= 1)) {
      throw usage_error("'--tier-quantiles' must satisfy 0 <= A <= B <= C <= 1, got '" + q + "'");
    }
    quantiles = {v[0], v[1], v[2]};
  }
  check_writable(out_path);
  check_distinct_files(a, {"--out"}, {"--accounts"});

  // inputs: every cell checked (naming file, line and column) before any work
  csv_table t = read_csv(accounts_file);
  const std::size_t n = t.rows.size();
  if (n == 0) throw input_error(accounts_file + ":1: no account rows after the header, expected at least one account");
  const std::size_t k = policy.criteria.size();
  std::vector<std::size_t> col(k);
  for (std::size_t c = 0; c < k; ++c) {
    const auto pos = t.column(column_of[c]);
    if (!pos) {
      throw input_error(accounts_file + ":1: missing column '" + column_of[c] + "' of criterion '" + policy.criteria[c].name +
                        "' (name another with --columns " + policy.criteria[c].name + "=COLUMN, or leave the criterion "
                        "out of --weights)");
    }
    col[c] = *pos;
  }
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = t.rows[i];
    for (std::size_t c = 0; c < k; ++c) {
      const auto s = trim(r.fields[col[c]]);
      double v = std::nan("");
      if (s.empty()) {
        if (policy.missing == territory::missing_policy::reject) {
          throw input_error(t.where(r, col[c]) + "empty value of criterion '" + policy.criteria[c].name +
                            "' (--missing reject; or --missing impute|zero)");
        }
      } else {
        const auto x = parse_number(s);
        if (!x || !std::isfinite(*x)) {
          throw input_error(t.where(r, col[c]) + "'" + std::string(s) + "' is not a finite number (criterion '" +
                            policy.criteria[c].name + "')");
        }
        v = *x;
      }
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = v;
    }
  }
  // ids for the library's messages: the id column, else the line
  std::vector<std::string> ids(n);
  const auto id_col = t.column("id");
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = id_col ? std::string(trim(t.rows[i].fields[*id_col])) : "line " + std::to_string(t.rows[i].line);
  }
  std::vector<std::string> segments;
  if (policy.missing == territory::missing_policy::impute_segment_median && m.hasNaN()) {
    if (const auto sc = t.column(*a.get("--segment"))) {
      segments.reserve(n);
      for (const auto& r : t.rows) segments.emplace_back(trim(r.fields[*sc]));
    }
  }
  territory::score_result scored;
  try {
    scored = territory::score_accounts(m, policy, {.segments = segments, .named = {}, .ids = ids});
  } catch (const territory::invalid_input& e) {  // an account's problem: name its line and column
    const auto i = e.index();
    const std::string field = e.field();
    std::size_t c = 0;
    while (c < k && field != "criteria." + policy.criteria[c].name) ++c;
    if (!i || *i >= n || c == k) throw;
    throw input_error(t.where(t.rows[*i], col[c]) + e.message());
  }
  const auto tiers = thresholds ? territory::assign_tiers(scored.score, *thresholds)
                                : territory::assign_tiers(scored.score, quantiles);

  // the accounts again, with score and tier replaced in place or appended
  std::size_t score_col = t.column("score").value_or(t.header.size());
  if (score_col == t.header.size()) t.header.emplace_back("score");
  std::size_t tier_col = t.column("tier").value_or(t.header.size());
  if (tier_col == t.header.size()) t.header.emplace_back("tier");
  std::string csv;
  csv.reserve(n * (t.header.size() * 8 + 16));
  auto write_row = [&csv](const std::vector<std::string>& fields) {
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (c > 0) csv += ',';
      csv += csv_field(fields[c]);
    }
    csv += '\n';
  };
  write_row(t.header);
  std::size_t count[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    auto& f = t.rows[i].fields;
    f.resize(t.header.size());
    f[score_col] = fmt::format("{:.4f}", scored.score(static_cast<Eigen::Index>(i)));
    f[tier_col] = std::string(territory::to_string(tiers[i]));
    ++count[static_cast<int>(tiers[i])];
    write_row(f);
  }
  write_file_atomic(out_path, csv);

  std::string criteria;
  for (std::size_t c = 0; c < k; ++c) {
    criteria += fmt::format("{}{}={:g}", c ? ", " : "", policy.criteria[c].name, policy.criteria[c].weight);
    if (column_of[c] != policy.criteria[c].name) criteria += " (" + column_of[c] + ")";
  }
  std::printf("score: %zu accounts, tiers A %zu, B %zu, C %zu, D %zu; %s, %s%s\n", n, count[0], count[1], count[2],
              count[3], criteria.c_str(), std::string(territory::to_string(norm)).c_str(),
              scored.missing_values > 0
                  ? fmt::format(", {} missing values {}", scored.missing_values,
                                policy.missing == territory::missing_policy::zero ? "scored as 0" : "imputed")
                        .c_str()
                  : "");
  return 0;
}

}  // namespace territory_cli
