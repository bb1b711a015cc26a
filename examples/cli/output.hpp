#pragma once

// Output files are written whole or not at all: the text goes to a temporary file beside
// the target, which is renamed over it only once complete. A failed run therefore never
// leaves a truncated or half-written file.

#include <initializer_list>
#include <string>
#include <string_view>

namespace territory_cli {

class args;

/// Writes `content` to `path` atomically. Throws std::runtime_error naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view content);

/// Fails early (usage_error) if the directory of `path` does not exist, so that a long
/// run does not end in an unwritable output.
void check_writable(const std::string& path);

/// Outputs must be distinct files, none of them an input (a typo must not overwrite accounts.csv):
/// usage_error naming the two flags otherwise. Paths are compared after canonicalisation.
void check_distinct_files(const args& a, std::initializer_list<const char*> outputs,
                          std::initializer_list<const char*> inputs);

/// Escapes a string for a JSON string literal (without the quotes).
[[nodiscard]] std::string json_escape(std::string_view s);

/// Quotes a CSV field if it needs it.
[[nodiscard]] std::string csv_field(std::string_view s);

}  // namespace territory_cli
