#pragma once
// Kubernetes resource quantities ("500m", "2", "1.5Gi", "1e3") as exact milli-units, the unit the
// scheduler, the quota checks and the GUI's allocation views all compute in.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kd::semantics {

// "500m" -> 500, "2" -> 2000, "1Gi" -> 1073741824000, "1e3" -> 1000000. Fractions below one
// milli-unit round away from zero like upstream's MilliValue(). nullopt on malformed text or
// when the value does not fit an int64 of milli-units.
std::optional<std::int64_t> parseMilli(std::string_view q);
// Accepts a JSON string (parsed as above) or a JSON number (taken as plain units).
std::optional<std::int64_t> parseMilli(const nlohmann::json &v);
std::optional<std::int64_t> parseMilli(const nlohmann::ordered_json &v);
// Without these, a std::string or a literal would be ambiguous between the two above.
inline std::optional<std::int64_t> parseMilli(const std::string &q) {
    return parseMilli(std::string_view(q));
}
inline std::optional<std::int64_t> parseMilli(const char *q) {
    return parseMilli(std::string_view(q));
}

// Canonical short text: whole units without a suffix ("2", "1073741824"), else milli ("1500m").
std::string formatMilli(std::int64_t milli);
// True when the value is a whole number of units (GPUs and other extended resources must be).
bool isWholeMilli(std::int64_t milli);

} // namespace kd::semantics
