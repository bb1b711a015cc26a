#pragma once

// What the fuzz targets share: reading a structured input from the fuzzer's bytes, and failing
// with a message (a failed oracle is an abort, which libFuzzer and the replay test both report).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace territory_fuzz {

/// The fuzzer's bytes, consumed one at a time; past the end every byte reads as 0, so any
/// input, however short, builds a complete (if small) instance.
struct byte_reader {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
};

/// Reports a failed oracle on stderr as "<target>: <what>" and aborts.
[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", target, what.c_str());
  std::abort();
}

}  // namespace territory_fuzz
