#pragma once

/// @file string_dictionary.hpp
/// Open-addressing dictionary from strings to dense codes 1…k (0 = absent), built once and
/// then only read. Used by the compiled router; lookups hash 8 bytes at a time.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace territory::detail::route {

[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xFF51AFD7ED558CCDULL);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29U;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBULL;
    h ^= h >> 31U;
  }
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32U);
}

class string_dictionary {
 public:
  /// Code of `s`, adding it if new. Codes are 1, 2, … in insertion order.
  std::uint32_t insert(std::string_view s) {
    if (auto c = find(s)) return c;
    keys_.emplace_back(s);
    const auto code = static_cast<std::uint32_t>(keys_.size());
    if (keys_.size() * 2 > slots_.size()) {
      rehash(slots_.empty() ? 16 : slots_.size() * 2);
    } else {
      place(code);
    }
    return code;
  }

  /// Code of `s`, or 0 when absent.
  [[nodiscard]] std::uint32_t find(std::string_view s) const noexcept {
    if (slots_.empty()) return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_bytes(s) & mask;; i = (i + 1) & mask) {
      const std::uint32_t c = slots_[i];
      if (c == 0) return 0;
      const std::string& k = keys_[c - 1];
      if (k.size() == s.size() && std::memcmp(k.data(), s.data(), s.size()) == 0) return c;
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
  /// The string of code c (1-based).
  [[nodiscard]] const std::string& key(std::uint32_t c) const noexcept { return keys_[c - 1]; }

 private:
  void place(std::uint32_t code) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash_bytes(keys_[code - 1]) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = code;
  }
  void rehash(std::size_t n) {
    slots_.assign(n, 0);
    for (std::uint32_t c = 1; c <= keys_.size(); ++c) place(c);
  }

  std::vector<std::string> keys_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace territory::detail::route
