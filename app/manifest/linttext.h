#pragma once
// Internal to kd_manifest: quick-fix edits checked against the linted text. A key or value can be
// spelled plain or quoted, so an edit is only offered once the text at the finding's position is
// known to spell exactly what the fix replaces.

#include "manifest/finding.h"
#include "manifest/lint.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace kd::manifest::detail {

// Fills file.text and file.lineStarts from the input parseYaml saw.
void keepSourceText(LintFile &file, std::string_view input, const YamlLimits &limits);

// The byte offset of a position in file.text; nullopt when it is outside the text.
std::optional<std::size_t> textOffset(const LintFile &file, Position position);

// Replaces the scalar spelled `current` at `at` (plain, or inside its quotes) with replacement.
std::optional<TextEdit> replaceScalar(const LintFile &file, Position at, std::string_view current,
                                      std::string_view replacement);
// Replaces a quoted scalar whose content is `inner` together with its quotes: "3" -> 3.
std::optional<TextEdit> unquoteScalar(const LintFile &file, Position at, std::string_view inner);
// Puts the plain scalar at `at` in double quotes, when its text is what YAML read as `value`.
std::optional<TextEdit> quotePlainScalar(const LintFile &file, Position at,
                                         const nlohmann::json &value);

} // namespace kd::manifest::detail
