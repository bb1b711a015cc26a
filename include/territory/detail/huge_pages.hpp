#pragma once

// Large buffers on transparent huge pages.
//
// A buffer the engine allocates and fills at once (the multilevel driver's contracted levels, the
// normalised problem, a graph's CSR arrays) is fresh memory: on Linux every 4 KiB page of it costs
// a page fault at first touch, and every random access into it a TLB entry of its own. At 10^6
// accounts a call faulted ~53,600 pages on the way to the first feasible plan; with the kernel's
// transparent huge pages switched to `always` that plan came after 0.83 s instead of 1.25 s
// (docs/benchmarks.md). In `madvise` mode (Debian's default) only ranges marked MADV_HUGEPAGE get
// 2 MiB pages.
//
// huge_page_allocator gives buffers of kHugePageAdviceMin bytes or more a private mapping that
// starts on a 2 MiB boundary (Linux: mmap, returned with munmap) and marks its whole 2 MiB pages;
// smaller ones come from std::allocator. The mark is a hint: the kernel may ignore it (THP off, no
// free huge page), and nothing else changes. Other systems: aligned operator new, no mark. With
// it the call faulted ~18,000 pages (a buffer's last, partial 2 MiB stays in 4 KiB pages: marking
// it too gave ~7,500 faults but up to 2 MiB more memory per buffer, +8 MB at the peak) and its
// first feasible plan came after 1.03 s instead of 1.27 s (medians of 5, the same plan).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace territory::detail {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20U;
/// Buffers below this size come from std::allocator (a huge page for a small buffer would waste
/// most of it).
inline constexpr std::size_t kHugePageAdviceMin = std::size_t{2} << 20U;

/// An allocator that places buffers of kHugePageAdviceMin bytes or more at a 2 MiB boundary
/// and asks the kernel (Linux, madvise MADV_HUGEPAGE) to back their whole 2 MiB pages with
/// transparent huge pages.
/// Stateless; all instances compare equal. allocate throws std::bad_array_new_length or
/// std::bad_alloc as std::allocator does.
template <class T>
struct huge_page_allocator {
  using value_type = T;

  huge_page_allocator() = default;
  template <class U>
  constexpr huge_page_allocator(const huge_page_allocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor)

  /// O(1) (the kernel zero-fills the pages at first touch).
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > (std::numeric_limits<std::size_t>::max() - 2 * kHugePageBytes) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageAdviceMin) return std::allocator<T>{}.allocate(n);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // A mapping of its own, not the malloc heap: memory there may be partly resident from earlier
    // use, and a 2 MiB page with one resident 4 KiB page in it is never faulted in whole. The
    // mapping starts on a 2 MiB boundary; only its whole 2 MiB pages are marked, so the tail stays
    // in 4 KiB pages and costs no more memory than the buffer.
    const std::size_t len = mapped_bytes(bytes);
    const std::size_t span = len + kHugePageBytes;
    void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto a = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t lo = round_up(a, kHugePageBytes), hi = lo + len;
    if (lo > a) (void)::munmap(raw, lo - a);  // trim to [lo, hi)
    if (a + span > hi) (void)::munmap(reinterpret_cast<void*>(hi), a + span - hi);
    (void)::madvise(reinterpret_cast<void*>(lo), bytes & ~(kHugePageBytes - 1), MADV_HUGEPAGE);  // a hint
    return reinterpret_cast<T*>(lo);
#else
    return static_cast<T*>(::operator new(bytes, std::align_val_t{kHugePageBytes}));
#endif
  }

  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageAdviceMin) {
      std::allocator<T>{}.deallocate(p, n);
      return;
    }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)::munmap(p, mapped_bytes(bytes));
#else
    ::operator delete(p, bytes, std::align_val_t{kHugePageBytes});
#endif
  }

  template <class U>
  friend constexpr bool operator==(const huge_page_allocator& /*a*/, const huge_page_allocator<U>& /*b*/) noexcept {
    return true;
  }

 private:
  static constexpr std::uintptr_t round_up(std::uintptr_t x, std::uintptr_t to) noexcept { return (x + to - 1) & ~(to - 1); }
  // a mapping's length: whole base pages (munmap needs a page-aligned end)
  static std::size_t mapped_bytes(std::size_t bytes) noexcept {
#if defined(__linux__)
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    return round_up(bytes, page);
#else
    return bytes;
#endif
  }
};

/// A vector whose large buffers are on huge pages (huge_page_allocator).
template <class T>
using huge_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace territory::detail
