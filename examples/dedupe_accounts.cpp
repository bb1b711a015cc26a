// Finds likely duplicate accounts by normalised domain and (similar) normalised name, and
// reports the groups with their reasons; nothing is merged.
// Reads score_accounts.csv (id, name, domain, ...) from the working directory and adds a
// few look-alikes.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <territory/score/duplicates.hpp>

int main() {
  std::ifstream in("score_accounts.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> ids, names, domains;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, name, domain;
    std::getline(ss, id, ',');
    std::getline(ss, name, ',');
    std::getline(ss, domain, ',');
    ids.push_back(id);
    names.push_back(name);
    domains.push_back(domain);
  }
  // look-alikes a CRM import typically creates
  const char* extra[][3] = {{"B001", "ACME, Inc.", ""},
                            {"B002", "Globex Corp", "https://www.globex.com/contact"},
                            {"B003", "Inetech", ""},
                            {"B004", "Hooli Ltd", "sales@gmail.com"},
                            {"B005", "Pied Piper", "gmail.com"}};
  for (const auto& e : extra) {
    ids.emplace_back(e[0]);
    names.emplace_back(e[1]);
    domains.emplace_back(e[2]);
  }
  const auto report = territory::find_duplicates(names, domains);
  std::printf("%zu accounts, %zu likely duplicate groups\n", ids.size(), report.groups.size());
  for (const auto& g : report.groups) {
    std::string who, why;
    for (auto a : g.members) who += (who.empty() ? "" : ", ") + ids[a] + " (" + names[a] + ")";
    if (territory::has_reason(g.reasons, territory::duplicate_reason::same_domain)) why += " same-domain";
    if (territory::has_reason(g.reasons, territory::duplicate_reason::same_name)) why += " same-name";
    if (territory::has_reason(g.reasons, territory::duplicate_reason::similar_name)) why += " similar-name";
    std::printf("  %s:%s\n", who.c_str(), why.c_str());
  }
  return 0;
}
