#pragma once
// Applying a QuickFix's TextEdits to a text, and converting the byte columns findings carry to the
// UTF-16 columns a Qt text document counts in (and back).

#include "manifest/finding.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

// The byte offset of a 1-based line and byte column in `text`. A column past the end of its line
// clamps to the line's end (before the line break); nullopt when the line does not exist. The
// line after a final newline exists (it is empty).
std::optional<std::size_t> byteOffset(std::string_view text, Position position);

// Applies `edits` (positions in the original text, in any order) and answers the new text.
// Inserts at one place keep their given order. nullopt, with *error set, when an edit's place
// does not exist, its end precedes its start, or two edits overlap: then nothing is applied.
std::optional<std::string> applyTextEdits(std::string_view text, const std::vector<TextEdit> &edits,
                                          std::string *error = nullptr);

// Column conversions within one line of UTF-8 text; all columns are 1-based. A byte column
// inside a multi-byte character maps to that character's start; columns past the end map past
// the end (one column after the last character). Invalid bytes count as one character each, the
// way Qt decodes them.
int utf16Column(std::string_view lineUtf8, int byteColumn);
int byteColumn(std::string_view lineUtf8, int utf16Column);

// The text of 1-based `line` without its line break ("" when there is no such line).
std::string_view lineAt(std::string_view text, int line);

} // namespace kd::manifest
