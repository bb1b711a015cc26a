#pragma once

/// @file duplicates.hpp
/// Data hygiene: likely-duplicate accounts by normalised domain or (similar) normalised name,
/// found by blocking on keys rather than comparing all pairs. Reported, never merged.

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "territory/core/account_table.hpp"
#include "territory/core/error.hpp"
#include "territory/core/ids.hpp"
#include "territory/geo/haversine.hpp"

namespace territory {

/// Why two accounts look like duplicates (bit flags, combined in `reasons`).
enum class duplicate_reason : std::uint8_t {
  same_domain = 1,   ///< equal normalised web domains
  same_name = 2,     ///< equal normalised names
  similar_name = 4,  ///< normalised names within the edit distance
};

/// True if `reasons` contains `r`.
[[nodiscard]] constexpr bool has_reason(std::uint8_t reasons, duplicate_reason r) noexcept {
  return (reasons & static_cast<std::uint8_t>(r)) != 0;
}

/// Lower-cases ASCII letters, drops '.' and '\'' (so "L.L.C." is "llc"), turns '&' into "and"
/// and any other punctuation into a space, then removes a leading "the" and trailing legal
/// suffixes (inc, incorporated, llc, llp, lp, ltd, limited, corp, corporation, co, company,
/// gmbh, ag, sa, sas, srl, spa, bv, nv, plc, pty, oy, ab, kg, with an "and" between them),
/// and joins words with one space.
/// "The ACME, Inc." and "Acme Inc" both give "acme". O(length).
[[nodiscard]] inline std::string normalize_name(std::string_view name) {
  std::string s;
  s.reserve(name.size());
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.' || c == '\'') continue;
    if (c == '&') {
      s += " and ";
    } else if (c >= 'A' && c <= 'Z') {
      s += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      s += static_cast<char>(c);
    } else {
      s += ' ';
    }
  }
  std::vector<std::string_view> words;
  std::string_view v(s);
  for (std::size_t i = 0; i < v.size();) {
    while (i < v.size() && v[i] == ' ') ++i;
    std::size_t j = i;
    while (j < v.size() && v[j] != ' ') ++j;
    if (j > i) words.push_back(v.substr(i, j - i));
    i = j;
  }
  static constexpr std::array<std::string_view, 25> suffixes{
      "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag",
      "sa",  "sas",          "srl", "spa", "bv", "nv",  "plc",     "pty",  "oy",          "ab", "kg",      "the"};
  auto is_suffix = [&](std::string_view w) {
    return std::find(suffixes.begin(), suffixes.end() - 1, w) != suffixes.end() - 1;
  };
  std::size_t first = 0, last = words.size();
  if (last - first > 1 && words[first] == "the") ++first;
  for (bool stripped = false; last - first > 1; --last) {
    if (is_suffix(words[last - 1])) {
      stripped = true;
    } else if (!(stripped && words[last - 1] == "and")) {  // "& Co. KG": the "and" goes too
      break;
    }
  }
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

/// Lower-cases and strips a web address or e-mail down to its host: scheme, "www.", user
/// part of an e-mail, port, path, query and trailing dots go. "https://WWW.Acme.com/about"
/// and "sales@acme.com" both give "acme.com". O(length).
[[nodiscard]] inline std::string normalize_domain(std::string_view domain) {
  std::string s;
  for (char ch : domain) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  if (const auto p = s.find("://"); p != std::string::npos) s.erase(0, p + 3);
  if (const auto p = s.find_first_of("/?#"); p != std::string::npos) s.erase(p);
  if (const auto p = s.rfind('@'); p != std::string::npos) s.erase(0, p + 1);
  if (const auto p = s.find(':'); p != std::string::npos) s.erase(p);
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (s.rfind("www.", 0) == 0) s.erase(0, 4);
  return s;
}

/// Two likely duplicates and why.
struct duplicate_pair {
  account_index a = 0;  ///< a < b
  account_index b = 0;
  std::uint8_t reasons = 0;         ///< `duplicate_reason` flags
  std::uint32_t name_distance = 0;  ///< edit distance of the normalised names (0 if equal or not compared)
  friend bool operator==(const duplicate_pair&, const duplicate_pair&) = default;
};

/// Accounts linked by duplicate pairs (connected through them), with the union of reasons.
struct duplicate_group {
  std::vector<account_index> members;  ///< increasing
  std::uint8_t reasons = 0;
};

/// Options of `find_duplicates`.
struct duplicate_options {
  std::size_t max_edit_distance = 1;  ///< similar names: Levenshtein distance <= this (0: exact names only)
  std::size_t min_name_length = 5;    ///< shorter normalised names only match exactly
  std::size_t max_block_size = 2000;  ///< blocks above this are skipped for fuzzy matching (reported)
  /// Domains shared by unrelated accounts (free mail), never a duplicate reason.
  std::vector<std::string> ignored_domains{"gmail.com", "yahoo.com",  "hotmail.com", "outlook.com",
                                           "aol.com",   "icloud.com", "example.com"};
  /// Optional proximity filter for name matches: n×2 (lat, lon) WGS84 coordinates and a
  /// distance; similar or equal names further apart than `max_km` are not reported.
  const Eigen::MatrixX2d* coordinates = nullptr;
  double max_km = 50.0;
};

/// Result of `find_duplicates`.
struct [[nodiscard]] duplicate_report {
  /// Sorted by (a, b). For an exact key (domain, name) shared by several accounts, each is
  /// paired with the next one in index order (a chain, not all pairs), which links the
  /// whole group without quadratic output; similar names are paired through the first
  /// account of each distinct name. With a proximity filter all near pairs are listed.
  std::vector<duplicate_pair> pairs;
  std::vector<duplicate_group> groups;  ///< sorted by smallest member
  std::size_t skipped_blocks = 0;       ///< blocks too large for fuzzy matching
};

namespace detail {

/// Levenshtein distance if <= bound, else bound + 1. O(|a|·|b|) with an early exit.
inline std::size_t bounded_levenshtein(std::string_view a, std::string_view b, std::size_t bound) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > bound) return bound + 1;
  std::vector<std::size_t> prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U), prev[j] + 1, cur[j - 1] + 1});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > bound) return bound + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[m], bound + 1);
}

/// FNV-1a 64 of `w` without the character at `skip` (skip >= size: the whole string).
inline std::uint64_t fnv1a(std::string_view w, std::size_t skip) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<unsigned char>(w[i]);
    h *= 1099511628211ULL;
  }
  h ^= static_cast<std::uint64_t>(skip >= w.size() ? w.size() : w.size() - 1) * 0x9E3779B97F4A7C15ULL;
  return h;
}

}  // namespace detail

/// Finds likely duplicates among n accounts by (1) equal normalised domains, (2) equal
/// normalised names and (3) normalised names within `max_edit_distance`, compared only
/// inside blocks sharing the first or the last three characters. Pairs and their
/// connected groups are reported with reasons; nothing is merged.
///
/// @param names   n account names, or empty; "" = unknown.
/// @param domains n web domains / e-mail addresses, or empty; "" = unknown.
/// @param options edit distance, minimum name length, block size, ignored domains and the optional
///        proximity filter (`duplicate_options`).
/// Complexity: O(n·L²) hashing and O(n·L log(n·L)) sorting for distance 1, plus one O(L²)
/// verification per candidate pair; O(n log n · L) plus Σ b² verifications over blocks for
/// larger distances. Blocks above `max_block_size` are skipped and counted. Memory O(n·L).
/// Throws: invalid_input{errc::size_mismatch} (field "domains" or "coordinates") when a
///         non-empty input does not have one entry per account.
/// Example (examples/dedupe_accounts.cpp):
/// @code
/// const auto report = territory::find_duplicates(names, domains);
/// for (const auto& g : report.groups) { /* g.members, g.reasons */ }
/// @endcode
/// Determinism: a pure function of its input.
[[nodiscard]] inline duplicate_report find_duplicates(std::span<const std::string> names,
                                                      std::span<const std::string> domains,
                                                      const duplicate_options& options = {}) {
  const std::size_t n = std::max(names.size(), domains.size());
  if (!names.empty() && !domains.empty() && names.size() != domains.size()) {
    throw invalid_input(errc::size_mismatch, "domains",
                        "find_duplicates(): domains has " + std::to_string(domains.size()) + " values, expected " +
                            std::to_string(names.size()) + " (one per account)");
  }
  if (options.coordinates != nullptr && static_cast<std::size_t>(options.coordinates->rows()) != n) {
    throw invalid_input(errc::size_mismatch, "coordinates",
                        "find_duplicates(): coordinates has " + std::to_string(options.coordinates->rows()) +
                            " rows, expected " + std::to_string(n) + " (one per account)");
  }
  std::vector<duplicate_pair> raw;
  auto near = [&](std::size_t a, std::size_t b) {
    if (options.coordinates == nullptr) return true;
    const auto& c = *options.coordinates;
    const auto ia = static_cast<Eigen::Index>(a), ib = static_cast<Eigen::Index>(b);
    return haversine{}({c(ia, 0), c(ia, 1)}, {c(ib, 0), c(ib, 1)}) <= options.max_km;
  };
  auto add = [&](std::size_t a, std::size_t b, duplicate_reason r, std::size_t dist) {
    if (a > b) std::swap(a, b);
    raw.push_back({static_cast<account_index>(a), static_cast<account_index>(b), static_cast<std::uint8_t>(r),
                   static_cast<std::uint32_t>(dist)});
  };
  // exact keys: sort (key, index), link consecutive equal keys to the first of the run
  auto exact = [&](const std::vector<std::string>& key, duplicate_reason r, bool proximity) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < key.size(); ++i) {
      if (!key[i].empty()) idx.push_back(i);
    }
    std::sort(idx.begin(), idx.end(),
              [&](std::size_t x, std::size_t y) { return key[x] < key[y] || (key[x] == key[y] && x < y); });
    for (std::size_t s = 0; s < idx.size();) {
      std::size_t e = s + 1;
      while (e < idx.size() && key[idx[e]] == key[idx[s]]) ++e;
      for (std::size_t t = s; t < e; ++t) {
        for (std::size_t u = t + 1; u < e && (u == t + 1 || proximity); ++u) {
          if (!proximity || near(idx[t], idx[u])) add(idx[t], idx[u], r, 0);
        }
      }
      s = e;
    }
  };
  if (!domains.empty()) {
    std::vector<std::string> dom(n);
    for (std::size_t i = 0; i < n; ++i) {
      dom[i] = normalize_domain(domains[i]);
      if (std::find(options.ignored_domains.begin(), options.ignored_domains.end(), dom[i]) !=
          options.ignored_domains.end()) {
        dom[i].clear();
      }
    }
    exact(dom, duplicate_reason::same_domain, false);
  }
  duplicate_report out;
  if (!names.empty()) {
    std::vector<std::string> nm(n);
    for (std::size_t i = 0; i < n; ++i) nm[i] = normalize_name(names[i]);
    exact(nm, duplicate_reason::same_name, options.coordinates != nullptr);
    if (options.max_edit_distance == 1) {
      // one edit: the two names share a one-deletion variant (or one is a variant of the
      // other). Block on 64-bit hashes of the name and all its one-deletion variants; verify.
      struct keyed {
        std::uint64_t h;
        std::uint32_t id;
        bool operator<(const keyed& o) const noexcept { return h < o.h || (h == o.h && id < o.id); }
        bool operator==(const keyed& o) const noexcept { return h == o.h && id == o.id; }
      };
      // one representative per distinct name (the smallest index): accounts sharing a name are
      // already chained by the exact pass; with a proximity filter every account counts
      std::vector<std::uint32_t> reps;
      {
        std::vector<std::uint32_t> idx;
        for (std::size_t i = 0; i < n; ++i) {
          if (nm[i].size() >= options.min_name_length) idx.push_back(static_cast<std::uint32_t>(i));
        }
        if (options.coordinates == nullptr) {
          std::sort(idx.begin(), idx.end(),
                    [&](std::uint32_t x, std::uint32_t y) { return nm[x] < nm[y] || (nm[x] == nm[y] && x < y); });
          for (std::size_t t = 0; t < idx.size(); ++t) {
            if (t == 0 || nm[idx[t]] != nm[idx[t - 1]]) reps.push_back(idx[t]);
          }
        } else {
          reps = std::move(idx);
        }
      }
      std::vector<keyed> keys;
      for (const auto i : reps) {
        const auto& w = nm[i];
        keys.push_back({detail::fnv1a(w, w.size()), i});
        for (std::size_t p = 0; p < w.size(); ++p) keys.push_back({detail::fnv1a(w, p), i});
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (std::size_t s = 0; s < keys.size();) {
        std::size_t e = s + 1;
        while (e < keys.size() && keys[e].h == keys[s].h) ++e;
        if (e - s > options.max_block_size) {
          ++out.skipped_blocks;
        } else {
          for (std::size_t t = s; t < e; ++t) {
            for (std::size_t u = t + 1; u < e; ++u) {
              const auto a = keys[t].id, b = keys[u].id;
              if (nm[a] == nm[b]) continue;  // exact: reported above
              if (detail::bounded_levenshtein(nm[a], nm[b], 1) == 1 && near(a, b)) {
                add(a, b, duplicate_reason::similar_name, 1);
              }
            }
          }
        }
        s = e;
      }
    } else if (options.max_edit_distance > 1) {
      for (int side = 0; side < 2; ++side) {
        std::vector<std::pair<std::string, std::size_t>> keyed;
        for (std::size_t i = 0; i < n; ++i) {
          if (nm[i].size() < options.min_name_length) continue;
          keyed.emplace_back(side == 0 ? nm[i].substr(0, 3) : nm[i].substr(nm[i].size() - 3), i);
        }
        std::sort(keyed.begin(), keyed.end());
        for (std::size_t s = 0; s < keyed.size();) {
          std::size_t e = s + 1;
          while (e < keyed.size() && keyed[e].first == keyed[s].first) ++e;
          if (e - s > options.max_block_size) {
            ++out.skipped_blocks;
          } else {
            for (std::size_t t = s; t < e; ++t) {
              for (std::size_t u = t + 1; u < e; ++u) {
                const auto a = keyed[t].second, b = keyed[u].second;
                if (nm[a] == nm[b]) continue;  // exact: reported above
                const auto dist = detail::bounded_levenshtein(nm[a], nm[b], options.max_edit_distance);
                if (dist <= options.max_edit_distance && near(a, b)) add(a, b, duplicate_reason::similar_name, dist);
              }
            }
          }
          s = e;
        }
      }
    }
  }
  // merge reasons of equal pairs
  std::sort(raw.begin(), raw.end(),
            [](const duplicate_pair& x, const duplicate_pair& y) { return x.a < y.a || (x.a == y.a && x.b < y.b); });
  for (const auto& p : raw) {
    if (!out.pairs.empty() && out.pairs.back().a == p.a && out.pairs.back().b == p.b) {
      out.pairs.back().reasons |= p.reasons;
      out.pairs.back().name_distance = std::max(out.pairs.back().name_distance, p.name_distance);
    } else {
      out.pairs.push_back(p);
    }
  }
  // groups: connected components of the pairs
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0U);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& p : out.pairs) {
    auto ra = find(p.a), rb = find(p.b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::vector<std::uint32_t> group_of(n, 0xFFFFFFFFU);
  std::vector<char> in_pair(n, 0);
  for (const auto& p : out.pairs) in_pair[p.a] = in_pair[p.b] = 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (!in_pair[i]) continue;
    const auto r = find(static_cast<std::uint32_t>(i));
    if (group_of[r] == 0xFFFFFFFFU) {
      group_of[r] = static_cast<std::uint32_t>(out.groups.size());
      out.groups.emplace_back();
    }
    out.groups[group_of[r]].members.push_back(static_cast<account_index>(i));
  }
  for (const auto& p : out.pairs) out.groups[group_of[find(p.a)]].reasons |= p.reasons;
  return out;
}

/// Convenience form over an account table: names and domains from the attribute columns
/// `name_attribute` and `domain_attribute` (each may be absent: then not used), proximity
/// from the table's coordinates when they are WGS84 and `use_proximity` is set.
/// Throws: invalid_input{errc::missing_column} (field "attributes") if neither column exists.
[[nodiscard]] inline duplicate_report find_duplicates(const account_table& accounts, duplicate_options options = {},
                                                      std::string_view name_attribute = "name",
                                                      std::string_view domain_attribute = "domain",
                                                      bool use_proximity = false) {
  const bool has_name = accounts.has_attribute(name_attribute);
  const bool has_domain = accounts.has_attribute(domain_attribute);
  if (!has_name && !has_domain) {
    throw invalid_input(errc::missing_column, "attributes",
                        "find_duplicates(): the table has neither a '" + std::string(name_attribute) + "' nor a '" +
                            std::string(domain_attribute) + "' attribute");
  }
  if (use_proximity && accounts.coordinates_system() == coordinate_system::wgs84)
    options.coordinates = &accounts.coordinates();
  std::span<const std::string> names, domains;
  if (has_name) names = accounts.attribute(name_attribute);
  if (has_domain) domains = accounts.attribute(domain_attribute);
  return find_duplicates(names, domains, options);
}

}  // namespace territory
