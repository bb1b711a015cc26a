// Fuzz target: territory-cli's CSV reader on arbitrary bytes. It must either parse (every
// record then has as many fields as the header, and line numbers increase) or throw
// input_error; nothing else.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = territory_cli::parse_csv(text, "fuzz.csv");
    std::size_t last = 0;
    for (const auto& r : t.rows) {
      if (r.fields.size() != t.header.size() || r.line <= last) std::abort();
      last = r.line;
    }
  } catch (const territory_cli::input_error&) {
  }
  return 0;
}
