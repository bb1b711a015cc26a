#pragma once

// Command-line arguments of territory-cli. Each command declares ONE table of its flags
// (`command_spec`): the parser accepts exactly those flags, and `--help` / `-h` prints the
// usage generated from the same table, so the help cannot drift from what is parsed.
// Unknown flags, missing values, repeated flags and missing required flags are usage errors
// (exit 1); reading a flag that the table does not declare is a programming error
// (std::logic_error).

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

/// Thrown by the parser when `--help` or `-h` is given: main prints `text()` on stdout and
/// exits 0, before any other check (a help request never fails on the other arguments).
class help_requested : public std::exception {
 public:
  explicit help_requested(std::string text) : text_(std::move(text)) {}
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::string text_;
};

/// One flag of a command.
struct flag_spec {
  std::string name;           ///< "--accounts"
  std::string value;          ///< placeholder of its value ("FILE"); empty: a switch that takes no value
  std::string help;           ///< what it does (one or two sentences)
  std::string default_value;  ///< returned by args::get() when the flag is absent; empty: none
  bool required = false;      ///< absence is "missing required argument '--flag'"
  bool repeatable = false;    ///< may be given several times (read with args::get_all)
};

/// One command: its name as typed ("plan", "rules validate"), a one-line summary, its flags
/// (in the order the help lists them and required flags are checked) and closing notes.
struct command_spec {
  std::string name;
  std::string summary;
  std::vector<flag_spec> flags;
  std::string notes;  ///< printed after the options (exit status, defaults that are not a value)

  /// "plan --accounts FILE [--adjacency FILE] ..." wrapped at `width` columns, continuation
  /// lines indented by `indent` spaces plus the command name's width.
  [[nodiscard]] std::string synopsis(std::size_t indent = 0, std::size_t width = 100) const;
  /// The complete help of the command: usage, summary, one line per flag, notes.
  [[nodiscard]] std::string help() const;
  /// The flag named `name`, or nullptr.
  [[nodiscard]] const flag_spec* find(std::string_view name) const;
};

class args {
 public:
  /// Parses argv[first..] against `spec`: valued flags take the next word, switches none.
  /// Throws help_requested if `--help` or `-h` stands where a flag is expected, else
  /// usage_error for an unknown, repeated or value-less flag or a missing required one.
  args(int argc, char** argv, int first, const command_spec& spec);

  /// The value given, else the table's default, else nullopt.
  [[nodiscard]] std::optional<std::string> get(std::string_view flag) const;
  /// The value given; usage_error "missing required argument" when absent or empty.
  [[nodiscard]] std::string require(std::string_view flag) const;
  /// Whether the flag was given on the command line (defaults do not count).
  [[nodiscard]] bool has(std::string_view flag) const;
  /// Every value of a repeatable flag, in command-line order (empty when absent).
  [[nodiscard]] std::vector<std::string> get_all(std::string_view flag) const;

  /// Integer value of a flag (or its default) within [lo, hi]; usage_error otherwise.
  [[nodiscard]] std::optional<long long> get_int(std::string_view flag, long long lo, long long hi) const;
  /// Floating value of a flag (or its default) within [lo, hi]; usage_error otherwise.
  [[nodiscard]] std::optional<double> get_double(std::string_view flag, double lo, double hi) const;

 private:
  const flag_spec& declared(std::string_view flag) const;

  const command_spec* spec_;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::vector<std::string>, std::less<>> repeated_;
};

/// Splits "a,b,c" into trimmed non-empty parts.
[[nodiscard]] std::vector<std::string> split_list(std::string_view s, char sep = ',');

}  // namespace territory_cli
