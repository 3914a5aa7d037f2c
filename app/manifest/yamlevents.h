#pragma once
// Internal to kd_manifest: one document's text through libyaml's event parser.

#include "manifest/yamljson.h"

#include <string_view>
#include <vector>

namespace kd::manifest::detail {

// Parses chunk, the text of one document starting at line firstLine of the input. Returns false
// when the document is lost (not YAML, or over a limit); the reasons are in diagnostics either
// way, as are its duplicate keys. `simple` is DecodedText::simple; `scratch` is reused by every
// document of a text.
bool parseDocument(std::string_view chunk, int firstLine, bool simple, const YamlLimits &limits,
                   FieldTree &scratch, YamlDocument &doc, std::vector<YamlDiagnostic> &diagnostics);

} // namespace kd::manifest::detail
