#include "args.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "csv.hpp"

namespace territory_cli {

namespace {

/// Appends `text` word-wrapped to `width` columns; every line after the first starts with
/// `indent` spaces (the first continues `out`, whose current line is `column` wide).
void wrap(std::string& out, std::string_view text, std::size_t column, std::size_t indent, std::size_t width) {
  bool first_word = true;
  while (!text.empty()) {
    const auto sp = text.find(' ');
    const auto word = text.substr(0, sp);
    text = sp == std::string_view::npos ? std::string_view{} : text.substr(sp + 1);
    if (word.empty()) continue;
    if (!first_word && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first_word) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first_word = false;
  }
}

bool is_help(std::string_view a) { return a == "--help" || a == "-h"; }

}  // namespace

const flag_spec* command_spec::find(std::string_view flag) const {
  for (const auto& f : flags) {
    if (f.name == flag) return &f;
  }
  return nullptr;
}

std::string command_spec::synopsis(std::size_t indent, std::size_t width) const {
  std::string words;
  for (const auto& f : flags) {
    std::string w = f.name;
    if (!f.value.empty()) w += '\x1f' + f.value;  // unit separator: keeps "--flag VALUE" on one line
    if (!f.required) w = "[" + w + "]";
    words += ' ' + w;
  }
  std::string out = name + ' ';
  wrap(out, words, indent + name.size() + 1, indent + name.size() + 1, width);
  for (auto& c : out) {
    if (c == '\x1f') c = ' ';
  }
  return out;
}

std::string command_spec::help() const {
  constexpr std::size_t width = 100;
  constexpr std::size_t column = 30;  // descriptions start here
  const std::string lead = "usage: territory-cli ";
  std::string out = lead + synopsis(lead.size(), width) + "\n\n";
  wrap(out, summary, 0, 0, width);
  out += "\n\noptions:\n";
  auto entry = [&](const std::string& left, std::string text) {
    out += "  " + left;
    std::size_t at = 2 + left.size();
    if (at + 2 > column) {
      out += '\n';
      at = 0;
    }
    out.append(column - at, ' ');
    wrap(out, text, column, column, width);
    out += '\n';
  };
  for (const auto& f : flags) {
    std::string text = f.required ? "Required. " + f.help : f.help;
    if (!f.default_value.empty()) text += " Default: " + f.default_value + ".";
    if (f.repeatable) text += " Repeatable.";
    entry(f.value.empty() ? f.name : f.name + " " + f.value, text);
  }
  entry("-h, --help", "Print this help on stdout and exit 0.");
  if (!notes.empty()) {
    out += '\n';
    std::string_view rest = notes;
    while (!rest.empty()) {  // notes: paragraphs separated by '\n', each wrapped
      const auto nl = rest.find('\n');
      wrap(out, rest.substr(0, nl), 0, 0, width);
      out += '\n';
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
  }
  return out;
}

args::args(int argc, char** argv, int first, const command_spec& spec) : spec_(&spec) {
  // a help request wins over every other problem of the command line
  for (int i = first; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (is_help(a)) throw help_requested(spec.help());
    if (const auto* f = spec.find(a); f && !f->value.empty()) ++i;  // skip its value
  }
  for (int i = first; i < argc; ++i) {
    const std::string_view a = argv[i];
    const flag_spec* f = spec.find(a);
    if (f == nullptr) throw usage_error("unknown argument '" + std::string(a) + "'");
    if (values_.count(std::string(a)) != 0 && !f->repeatable) throw usage_error("'" + std::string(a) + "' given twice");
    if (f->repeatable && !f->value.empty()) {
      if (i + 1 >= argc) throw usage_error("'" + std::string(a) + "' needs a value");
      repeated_[std::string(a)].emplace_back(argv[++i]);
      values_[std::string(a)] = repeated_[std::string(a)].back();
      continue;
    }
    if (f->value.empty()) {
      values_.emplace(std::string(a), "");
      continue;
    }
    if (i + 1 >= argc) throw usage_error("'" + std::string(a) + "' needs a value");
    values_.emplace(std::string(a), argv[++i]);
  }
  for (const auto& f : spec.flags) {
    if (f.required && values_.count(f.name) == 0) throw usage_error("missing required argument '" + f.name + "'");
  }
}

const flag_spec& args::declared(std::string_view flag) const {
  const auto* f = spec_->find(flag);
  if (f == nullptr) {
    throw std::logic_error("territory-cli " + spec_->name + " reads flag '" + std::string(flag) +
                           "', which its flag table does not declare");
  }
  return *f;
}

std::vector<std::string> args::get_all(std::string_view flag) const {
  declared(flag);
  const auto it = repeated_.find(flag);
  if (it != repeated_.end()) return it->second;
  return {};
}

bool args::has(std::string_view flag) const {
  declared(flag);
  return values_.count(std::string(flag)) > 0;
}

std::optional<std::string> args::get(std::string_view flag) const {
  const auto& f = declared(flag);
  auto it = values_.find(flag);
  if (it != values_.end()) return it->second;
  if (!f.default_value.empty()) return f.default_value;
  return std::nullopt;
}

std::string args::require(std::string_view flag) const {
  declared(flag);
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) throw usage_error("missing required argument '" + std::string(flag) + "'");
  return it->second;
}

std::optional<long long> args::get_int(std::string_view flag, long long lo, long long hi) const {
  auto v = get(flag);
  if (!v) return std::nullopt;
  long long x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc{} || p != v->data() + v->size() || x < lo || x > hi) {
    throw usage_error("'" + std::string(flag) + "' must be an integer in [" + std::to_string(lo) + ", " +
                      std::to_string(hi) + "], got '" + *v + "'");
  }
  return x;
}

namespace {
/// A bound for a message: 10000000, 0.5 or 1e+300 (not std::to_string's 10000000.000000).
std::string bound(double x) {
  char buf[32];
  if (std::abs(x) < 1e15 && x == std::floor(x)) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
  } else {
    std::snprintf(buf, sizeof buf, "%g", x);
  }
  return buf;
}
}  // namespace

std::optional<double> args::get_double(std::string_view flag, double lo, double hi) const {
  auto v = get(flag);
  if (!v) return std::nullopt;
  auto x = parse_number(*v);
  if (!x || !std::isfinite(*x) || *x < lo || *x > hi) {
    throw usage_error("'" + std::string(flag) + "' must be a finite number in [" + bound(lo) + ", " + bound(hi) +
                      "], got '" + *v + "'");
  }
  return *x;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    const auto pos = s.find(sep);
    const auto part = trim(s.substr(0, pos));
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

}  // namespace territory_cli
