#pragma once

// A small, strict CSV reader for the exchange format (FORMAT.md): RFC 4180 quoting
// (quoted fields may hold commas, quotes as "" and line breaks), CRLF or LF line ends,
// an optional UTF-8 byte-order mark, blank lines skipped. Every record remembers the
// physical line it starts on, so errors can name file, line and column.

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace territory_cli {

/// Bad input found while reading a file: the message names file, line and column.
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct csv_record {
  std::size_t line = 0;  ///< physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

struct csv_table {
  std::string file;                  ///< the path, for messages
  std::vector<std::string> header;   ///< trimmed column names
  std::vector<csv_record> rows;      ///< data records (header excluded)

  /// Column position of `name`, if present.
  [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const;
  /// Column position of `name`; throws input_error naming the file if absent.
  [[nodiscard]] std::size_t require(std::string_view name) const;
  /// "file:line: " prefix for messages about a row.
  [[nodiscard]] std::string where(const csv_record& r) const;
  /// "file:line: column 'c': " prefix.
  [[nodiscard]] std::string where(const csv_record& r, std::size_t col) const;
};

/// Parses CSV text. Throws input_error (naming `file` and the line) on bytes that are not UTF-8,
/// an unterminated quote, a quote inside an unquoted field, text after a closing quote, an empty or
/// duplicate header, or a record whose field count differs from the header's.
[[nodiscard]] csv_table parse_csv(std::string_view text, const std::string& file);

/// Default largest input file read_csv accepts: 512 MiB (docs/cli.md, "Input files"); reading takes about
/// 9x the file size in memory (10^6 accounts, 63.6 MB: 543 MB peak RSS), so about 4.5 GB at the limit.
inline constexpr std::size_t default_max_input_bytes = std::size_t{512} << 20;

/// The input size limit: TERRITORY_CLI_MAX_INPUT_BYTES (a positive integer) if set, else the default.
[[nodiscard]] std::size_t max_input_bytes();

/// Reads and parses a file. Throws input_error if it cannot be opened, if it is larger than
/// max_input_bytes() (checked before reading), or if it is not valid UTF-8 (naming line and byte).
[[nodiscard]] csv_table read_csv(const std::string& path);

/// `s` itself, or its first `keep` bytes (cut at a UTF-8 boundary) and "... (N bytes)" when it is
/// longer than keep + 16 bytes: a 10 kB id in a message stays readable.
[[nodiscard]] std::string abbreviate(std::string_view s, std::size_t keep = 64);

/// Abbreviates every '...'-quoted part of a message (ids, cells) with `abbreviate`.
[[nodiscard]] std::string abbreviate_quoted(std::string_view message, std::size_t keep = 64);

/// `message` as one printable line: every control character (a newline or tab inside a quoted
/// cell, a JSON string or an id) written as \n, \r, \t or \xHH. What the CLI prints for an error.
/// O(|message|).
[[nodiscard]] std::string one_line(std::string_view message);

/// Trims ASCII spaces and tabs from both ends.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

/// Parses a whole cell as a finite or infinite double ("nan", "inf" parse too, so that the
/// library's validator can name them); nullopt if it is not a number.
[[nodiscard]] std::optional<double> parse_number(std::string_view s);

/// Parses a whole cell as an ISO 8601 date (YYYY-MM-DD, a real calendar day); nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::sys_days> parse_date(std::string_view s);

}  // namespace territory_cli
