#pragma once
// Memory figures of this process as Linux reports them in /proc/self/status, for benchmarks.

#include <cstring>
#include <fstream>
#include <string>

namespace kdtest {

// A "kB" field of /proc/self/status ("VmRSS:", "VmHWM:", ...) in megabytes; -1 when absent.
inline double statusMegabytes(const char *field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field, 0) == 0)
            return std::stod(line.substr(std::strlen(field))) / 1024.0;
    return -1;
}

} // namespace kdtest
