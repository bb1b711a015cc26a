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

[[nodiscard]] inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
[[nodiscard]] inline std::uint32_t load4(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// The first and last up-to-8 bytes of a short string as two words (overlapping loads, no
// calls); equal strings of equal length give equal words.
[[nodiscard]] inline std::uint64_t tail_word(const char* p, std::size_t n) noexcept {
  if (n >= 8) return load8(p + n - 8);
  if (n >= 4) return (static_cast<std::uint64_t>(load4(p)) << 32U) | load4(p + n - 4);
  std::uint64_t w = 0;
  if (n > 0) w = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16U) |
                 (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8U) |
                 static_cast<unsigned char>(p[n - 1]);
  return w;
}

[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xFF51AFD7ED558CCDULL);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n > 8) {
    h = (h ^ load8(p)) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29U;
    p += 8;
    n -= 8;
  }
  h = (h ^ tail_word(p, n)) * 0x94D049BB133111EBULL;
  h ^= h >> 31U;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32U);
}

[[nodiscard]] inline bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n <= 16) {
    if (n >= 8) return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    return tail_word(a, n) == tail_word(b, n);
  }
  return std::memcmp(a, b, n) == 0;
}

class string_dictionary {
 public:
  /// Code of `s`, adding it if new. Codes are 1, 2, … in insertion order.
  std::uint32_t insert(std::string_view s) {
    if (auto c = find(s)) return c;
    keys_.emplace_back(s);
    hashes_.push_back(hash_bytes(s));
    const auto code = static_cast<std::uint32_t>(keys_.size());
    if (keys_.size() * 2 > slots_.size()) {
      rehash(slots_.empty() ? 16 : slots_.size() * 2);
    } else {
      place(code);
    }
    return code;
  }

  /// Code of `s`, or 0 when absent. Compares the full 64-bit hash before the bytes; a
  /// 4096-bit filter answers most misses without touching the slots.
  [[nodiscard]] std::uint32_t find(std::string_view s) const noexcept {
    if (slots_.empty()) return 0;
    const std::uint64_t h = hash_bytes(s);
    const std::uint64_t f = (h >> 52U) & 4095U;
    if (((filter_[f / 64] >> (f % 64)) & 1U) == 0) return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const slot& e = slots_[i];
      if (e.code == 0) return 0;
      if (e.hash == h && e.size == s.size()) {
        // short keys are compared inside the slot (one cache line), longer ones in keys_
        const char* k = s.size() <= sizeof(e.inline_key) ? e.inline_key : keys_[e.code - 1].data();
        if (equal_bytes(k, s.data(), s.size())) return e.code;
      }
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
  /// The string of code c (1-based).
  [[nodiscard]] const std::string& key(std::uint32_t c) const noexcept { return keys_[c - 1]; }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::uint32_t code = 0;  // 0 = empty
    std::uint32_t size = 0;
    char inline_key[16] = {};  // the key itself when size <= 16
  };

  void place(std::uint32_t code) {
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t h = hashes_[code - 1];
    const std::uint64_t f = (h >> 52U) & 4095U;
    filter_[f / 64] |= std::uint64_t{1} << (f % 64);
    std::size_t i = h & mask;
    while (slots_[i].code != 0) i = (i + 1) & mask;
    const std::string& k = keys_[code - 1];
    slot e{h, code, static_cast<std::uint32_t>(k.size()), {}};
    if (k.size() <= sizeof(e.inline_key)) std::memcpy(e.inline_key, k.data(), k.size());
    slots_[i] = e;
  }
  void rehash(std::size_t n) {
    slots_.assign(n, slot{});
    for (std::uint32_t c = 1; c <= keys_.size(); ++c) place(c);
  }

  std::vector<std::string> keys_;
  std::vector<std::uint64_t> hashes_;
  std::vector<slot> slots_;
  std::uint64_t filter_[64] = {};
};

}  // namespace territory::detail::route
