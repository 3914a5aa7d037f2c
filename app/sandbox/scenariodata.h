#pragma once
// The built-in scenarios: resources/scenarios/*.yaml compiled into kd_scenario_data by
// resources/embedtexts.cmake. Sorted by name; the texts are the files byte for byte.

#include <span>
#include <string_view>

namespace kd::sandbox {

struct EmbeddedScenario {
    std::string_view name; // file name without ".yaml"
    std::string_view text;
};

std::span<const EmbeddedScenario> embeddedScenarios();

} // namespace kd::sandbox
