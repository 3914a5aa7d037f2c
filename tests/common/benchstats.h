#pragma once
// What the benchmarks share: timing a piece of work, the median and percentiles of samples, and
// the `name value unit` lines they print.

#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace kdtest {

inline double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

inline double median(std::vector<double> v) {
    return percentile(std::move(v), 0.5);
}

// Wall time of f() in milliseconds.
inline double timeMs(const std::function<void()> &f) {
    QElapsedTimer t;
    t.start();
    f();
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// One result line, "name value unit", flushed at once so a slow run shows progress.
inline void print(const char *name, double value, const char *unit, int decimals = 3) {
    std::printf("%s %.*f %s\n", name, decimals, value, unit);
    std::fflush(stdout);
}

} // namespace kdtest
