#include "csv.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
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

namespace {
/// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 if the bytes there are not valid UTF-8
/// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return len;
}
}  // namespace

std::string abbreviate(std::string_view s, std::size_t keep) {
  if (s.size() <= keep + 16) return std::string(s);
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return std::string(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
}

std::string abbreviate_quoted(std::string_view message, std::size_t keep) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    const auto open = message.find('\'', i);
    const auto close = open == std::string_view::npos ? open : message.find('\'', open + 1);
    if (close == std::string_view::npos) {
      out += message.substr(i);
      break;
    }
    out += message.substr(i, open + 1 - i);
    out += abbreviate(message.substr(open + 1, close - open - 1), keep);
    out += '\'';
    i = close + 1;
  }
  return out;
}

std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (const char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15U];
    }
  }
  return out;
}

std::size_t max_input_bytes() {
  if (const char* env = std::getenv("TERRITORY_CLI_MAX_INPUT_BYTES"); env != nullptr && *env != '\0') {
    std::size_t v = 0;
    const std::string_view e(env);
    auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), v);
    if (ec == std::errc{} && p == e.data() + e.size() && v > 0) return v;
  }
  return default_max_input_bytes;
}

csv_table parse_csv(std::string_view text, const std::string& file) {
  csv_table out;
  out.file = file;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // the format is UTF-8: a file in another encoding (Latin-1, Windows-1252) would reach the
  // assignment, the report and the map as invalid text; name the first bad byte
  {
    std::size_t at_line = 1, line_start = 0;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t len = utf8_sequence(text, i);
      if (len == 0) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
        throw input_error(file + ":" + std::to_string(at_line) + ": byte " + std::to_string(i - line_start + 1) + " (" + byte +
                          ") is not valid UTF-8; the format is UTF-8 (convert the file, e.g. iconv -f latin1 -t utf-8)");
      }
      if (text[i] == '\n') {
        ++at_line;
        line_start = i + 1;
      }
      i += len;
    }
  }

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
  // the whole file is read into memory (peak about 9x its size while parsing): refuse, before reading,
  // a file above the limit rather than exhaust memory
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const std::size_t limit = max_input_bytes();
  if (!ec && size > limit) {
    throw input_error(path + ": file is " + std::to_string(size) + " bytes, above the limit of " + std::to_string(limit) +
                      " bytes for one input file (the CLI reads whole files into memory); split the file, or raise "
                      "the limit with the environment variable TERRITORY_CLI_MAX_INPUT_BYTES");
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_csv(buf.str(), path);
}

}  // namespace territory_cli
