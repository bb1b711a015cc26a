// Replay driver for the fuzz targets when libFuzzer is not used (TERRITORY_FUZZ=OFF):
// runs every file of the corpus directories given on the command line, then a fixed
// number of pseudo-random inputs from a fixed seed (half uniform bytes, half CSV-like), through
// LLVMFuzzerTestOneInput.
// A crash, a sanitizer report or an unexpected exception fails the CTest. With the environment
// variable TERRITORY_REPLAY_SAVE=FILE, each random input is written to FILE before it runs, so
// that after a crash FILE holds the input (add it to the corpus: it becomes a replay test).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <territory/core/random.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++files;
    }
  }
  const char* save = std::getenv("TERRITORY_REPLAY_SAVE");
  territory::rng r(20261125);
  constexpr int random_inputs = 3000;
  std::vector<std::uint8_t> buf;
  for (int k = 0; k < random_inputs; ++k) {
    // half uniform bytes, half from a CSV-like alphabet (uniform bytes rarely make several rows)
    static constexpr char csvish[] = {'a', 'b', '1', '2', '.', '-', 'e', ',', ',', '"', '\n', '\n', '\r', ' ',
                                      '\xef', '\xbb', '\xbf'};
    buf.resize(r.below(400));
    for (auto& b : buf) {
      b = k % 2 == 0 ? static_cast<std::uint8_t>(r.below(256))
                     : static_cast<std::uint8_t>(csvish[r.below(sizeof csvish)]);
    }
    if (save != nullptr) {
      std::ofstream out(save, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    }
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::printf("replayed %zu corpus files and %d random inputs\n", files, random_inputs);
  return 0;
}
