#include "csv.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace territory_cli {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return v;
}

std::optional<std::chrono::sys_days> parse_date(std::string_view s) {
  s = trim(s);
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t from, std::size_t len, auto& v) {
    auto [p, ec] = std::from_chars(s.data() + from, s.data() + from + len, v);
    return ec == std::errc{} && p == s.data() + from + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::optional<std::size_t> csv_table::column(std::string_view name) const {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

std::size_t csv_table::require(std::string_view name) const {
  if (auto c = column(name)) return *c;
  throw input_error(file + ":1: missing required column '" + std::string(name) + "'");
}

std::string csv_table::where(const csv_record& r) const { return file + ":" + std::to_string(r.line) + ": "; }

std::string csv_table::where(const csv_record& r, std::size_t col) const {
  return where(r) + "column '" + header.at(col) + "': ";
}

csv_table parse_csv(std::string_view text, const std::string& file) {
  csv_table out;
  out.file = file;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  std::vector<csv_record> records;
  auto fail = [&](std::size_t at_line, const std::string& what) {
    throw input_error(file + ":" + std::to_string(at_line) + ": " + what);
  };

  while (i < n) {
    csv_record rec;
    rec.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        ++i;
        const std::size_t open_line = line;
        for (;;) {
          if (i >= n) fail(open_line, "unterminated quoted field");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        // after the closing quote: separator, line end or end of text
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          fail(line, "unexpected character after closing quote");
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') fail(line, "quote inside an unquoted field (quote the whole field)");
          field += text[i];
          ++i;
        }
      }
      rec.fields.push_back(field);
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      record_done = true;
    }
    const bool blank = rec.fields.size() == 1 && trim(rec.fields[0]).empty();
    if (!blank) records.push_back(std::move(rec));
  }

  if (records.empty()) throw input_error(file + ":1: empty file, expected a header row");
  for (auto& h : records.front().fields) out.header.emplace_back(trim(h));
  for (std::size_t c = 0; c < out.header.size(); ++c) {
    if (out.header[c].empty()) fail(records.front().line, "empty column name in header (column " + std::to_string(c + 1) + ")");
    for (std::size_t d = 0; d < c; ++d) {
      if (out.header[d] == out.header[c]) fail(records.front().line, "duplicate column '" + out.header[c] + "' in header");
    }
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != out.header.size()) {
      fail(records[r].line, "record has " + std::to_string(records[r].fields.size()) + " fields, expected " +
                                std::to_string(out.header.size()) + " (as in the header)");
    }
    out.rows.push_back(std::move(records[r]));
  }
  return out;
}

csv_table read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_csv(buf.str(), path);
}

}  // namespace territory_cli
