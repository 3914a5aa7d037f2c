#pragma once
// Internal to kd_manifest: bringing YAML input to UTF-8 text the parser accepts, cutting it into
// documents, and turning the parser's marks back into the 1-based line and byte column of that
// text.

#include "manifest/yamljson.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest::detail {

struct DecodedText {
    std::string_view text; // UTF-8 without BOM; points into the input or into `storage`
    std::string storage;   // the decoded text when the input was UTF-16
    // No byte outside ASCII and no line break but "\n" and "\r\n": the parser's character columns
    // are then byte columns and its line numbers are those of the text.
    bool simple = true;
};

// Strips a UTF-8 BOM, decodes UTF-16 with a BOM, and refuses NUL bytes and invalid UTF-8
// (an Encoding diagnostic in result, and false).
bool decodeInput(std::string_view input, DecodedText &out, YamlParseResult &result);

// One document's text: from its `---` line (or the start) to the next marker.
struct Chunk {
    std::string_view text;
    int firstLine = 1; // 1-based line of text[0] in the whole input
};

// Cuts text at every `---` and `...` line. Document markers at column 0 always end a document,
// even inside block scalars, so one broken document leaves the others intact.
std::vector<Chunk> splitDocuments(std::string_view text);
// True when a chunk holds nothing but blank lines, comments, markers and directives.
bool isBlank(std::string_view chunk);

// The 1-based line and byte column of a byte offset in text.
Position positionOfOffset(std::string_view text, std::size_t offset);

// Maps the parser's (character index, line, column) marks within one chunk of text to positions
// in the whole text. Marks arrive mostly in increasing order, so the walk over the chunk that
// non-simple text needs is done once.
class MarkMapper {
public:
    MarkMapper(std::string_view chunk, int firstLine, bool simple)
        : m_chunk(chunk)
        , m_firstLine(firstLine)
        , m_simple(simple) {}

    Position map(std::size_t index, std::size_t line, std::size_t column);
    Position mapOffset(std::size_t byteOffset) const;

private:
    std::string_view m_chunk;
    int m_firstLine;
    bool m_simple;
    std::size_t m_index = 0; // characters before m_offset
    std::size_t m_offset = 0;
    std::size_t m_lineStart = 0;      // byte offset of the line m_offset is on
    std::size_t m_lineStartIndex = 0; // characters before m_lineStart
    int m_line = 0;                   // 0-based, within the chunk
};

} // namespace kd::manifest::detail
