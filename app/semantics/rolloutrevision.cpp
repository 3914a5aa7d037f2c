#include "semantics/rolloutrevision.h"

#include <algorithm>
#include <charconv>

namespace kd::semantics {

std::optional<long long> parseRevision(std::string_view text) {
    if (text.empty())
        return 0;
    long long v = 0;
    const char *end = text.data() + text.size();
    if (text.front() == '+')
        text.remove_prefix(1);
    const auto res = std::from_chars(text.data(), end, v);
    if (res.ec != std::errc() || res.ptr != end)
        return std::nullopt;
    return v;
}

long long nextRevision(const std::vector<long long> &revisions) {
    long long max = 0;
    for (long long r : revisions)
        max = std::max(max, r);
    return max + 1;
}

RevisionUpdate updateRevision(const std::optional<std::string> &current, const std::string &history,
                              long long newRevision, std::size_t limitChars) {
    RevisionUpdate out{current.value_or(std::string()), history, false};
    const auto old = parseRevision(current.value_or(std::string()));
    if (!old)
        return out; // upstream leaves a malformed revision alone
    if (*old >= newRevision)
        return out;
    out.revision = std::to_string(newRevision);
    out.changed = true;
    if (!current)
        return out;
    // Rolled back to: keep the numbers this ReplicaSet had before.
    if (history.empty()) {
        out.history = *current;
        return out;
    }
    std::vector<std::string> entries;
    for (std::size_t pos = 0;;) {
        const auto comma = history.find(',', pos);
        entries.push_back(history.substr(pos, comma == std::string::npos ? comma : comma - pos));
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    std::size_t total = history.size() + current->size() + 1;
    std::size_t start = 0;
    while (total > limitChars && start < entries.size()) {
        total -= entries[start].size() + 1;
        ++start;
    }
    if (total > limitChars)
        return out; // even alone it would not fit: the history stays as it was
    std::string joined;
    for (std::size_t i = start; i < entries.size(); ++i)
        joined += entries[i] + ",";
    out.history = joined + *current;
    return out;
}

RollbackChoice chooseRollbackRevision(const std::vector<std::optional<long long>> &revisions,
                                      long long toRevision, const std::string &deploymentName) {
    long long latest = -1, previous = -1;
    std::optional<std::size_t> latestIndex, previousIndex;
    for (std::size_t i = 0; i < revisions.size(); ++i) {
        if (!revisions[i])
            continue;
        const long long v = *revisions[i];
        if (toRevision == 0) {
            if (latest < v) {
                previous = latest;
                previousIndex = latestIndex;
                latest = v;
                latestIndex = i;
            } else if (previous < v) {
                previous = v;
                previousIndex = i;
            }
        } else if (toRevision == v) {
            return {i, {}};
        }
    }
    if (toRevision > 0)
        return {std::nullopt,
                "unable to find specified revision " + std::to_string(toRevision) + " in history"};
    if (!previousIndex)
        return {std::nullopt, "no rollout history found for deployment \"" + deploymentName + "\""};
    return {previousIndex, {}};
}

} // namespace kd::semantics
