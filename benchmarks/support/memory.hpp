#pragma once

// Peak resident memory of this process (Linux): reset_peak_rss() clears the high-water mark
// (writes "5" to /proc/self/clear_refs), peak_rss_mb() reads VmHWM from /proc/self/status.
// The reset also affects getrusage's ru_maxrss, hence what /usr/bin/time reports.
// Used to report the memory of a solver call alone, without the instance generation that
// precedes it (the Delaunay build of 10⁶ points peaks at ~504 MB). Returns 0 where
// unsupported.

#include <fstream>
#include <string>

namespace territory::bench {

inline bool reset_peak_rss() {
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  return static_cast<bool>(f);
}

inline double peak_rss_mb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
  }
  return 0.0;
}

}  // namespace territory::bench
