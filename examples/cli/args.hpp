#pragma once

// Command-line arguments of territory-cli: `--flag value` pairs and bare `--switch`es.
// Unknown flags, missing values and repeated flags are usage errors (exit 1).

#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace territory_cli {

/// A usage error: the message is printed after "territory-cli: " and the CLI exits 1.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class args {
 public:
  /// Parses argv[first..]: `valued` flags take the next word, `switches` take none.
  args(int argc, char** argv, int first, std::initializer_list<std::string_view> valued,
       std::initializer_list<std::string_view> switches = {});

  [[nodiscard]] std::optional<std::string> get(std::string_view flag) const;
  [[nodiscard]] std::string require(std::string_view flag) const;
  [[nodiscard]] bool has(std::string_view flag) const { return values_.count(std::string(flag)) > 0; }

  /// Integer value of a flag within [lo, hi]; usage_error otherwise.
  [[nodiscard]] std::optional<long long> get_int(std::string_view flag, long long lo, long long hi) const;
  /// Floating value of a flag within [lo, hi]; usage_error otherwise.
  [[nodiscard]] std::optional<double> get_double(std::string_view flag, double lo, double hi) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

/// Splits "a,b,c" into trimmed non-empty parts.
[[nodiscard]] std::vector<std::string> split_list(std::string_view s, char sep = ',');

}  // namespace territory_cli
