#pragma once
// The built-in schema catalogue's source: resources/schemas/*.kds compiled into kd_schema_data by
// resources/embedtexts.cmake. Sorted by name; the texts are the files byte for byte.

#include <span>
#include <string_view>

namespace kd::manifest {

struct EmbeddedSchemaText {
    std::string_view name; // file name without ".kds"
    std::string_view text;
};

std::span<const EmbeddedSchemaText> embeddedSchemaTexts();

} // namespace kd::manifest
