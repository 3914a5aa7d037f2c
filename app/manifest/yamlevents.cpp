#include "manifest/yamlevents.h"

#include "manifest/yamlbuilder.h"
#include "manifest/yamlencoding.h"

#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <new>
#include <optional>
#include <utility>

namespace kd::manifest::detail {

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) {
        if (!yaml_parser_initialize(&m_parser))
            throw std::bad_alloc();
        yaml_parser_set_input_string(
            &m_parser, reinterpret_cast<const unsigned char *>(text.data()), text.size());
        yaml_parser_set_encoding(&m_parser, YAML_UTF8_ENCODING);
    }
    ~Parser() {
        release();
        yaml_parser_delete(&m_parser);
    }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;

    bool next() {
        release();
        if (!yaml_parser_parse(&m_parser, &m_event))
            return false;
        m_held = true;
        return true;
    }
    const yaml_event_t &event() const { return m_event; }
    const yaml_parser_t &state() const { return m_parser; }

private:
    void release() {
        if (m_held)
            yaml_event_delete(&m_event);
        m_held = false;
    }

    yaml_parser_t m_parser;
    yaml_event_t m_event;
    bool m_held = false;
};

std::string_view view(const yaml_char_t *s) {
    return s ? std::string_view(reinterpret_cast<const char *>(s)) : std::string_view();
}

// Messages Kubedeck gave in yaml-cpp's words before it read YAML with libyaml; kept where the
// two mean the same, since users and scripts know them.
std::string syntaxMessage(const yaml_parser_t &p) {
    static constexpr std::pair<std::string_view, std::string_view> kEarlierWording[] = {
        {"did not find expected ',' or ']'", "end of sequence flow not found"},
        {"did not find expected ',' or '}'", "end of map flow not found"},
        {"mapping values are not allowed in this context", "illegal map value"},
    };
    const std::string_view problem = p.problem ? std::string_view(p.problem) : "invalid YAML";
    for (const auto &[from, to] : kEarlierWording)
        if (problem == from)
            return std::string(to);
    std::string message(problem);
    if (p.context) {
        message += ' ';
        message += p.context;
    }
    return message;
}

YamlDiagnostic syntaxError(const yaml_parser_t &p, MarkMapper &marks, int firstLine) {
    if (p.error == YAML_MEMORY_ERROR)
        throw std::bad_alloc();
    YamlDiagnostic d{YamlDiagnostic::Kind::Syntax, {}, {}};
    if (p.error == YAML_READER_ERROR) { // characters YAML does not allow, e.g. control characters
        d.position = marks.mapOffset(p.problem_offset);
        d.message = p.problem ? p.problem : "unreadable text";
        if (p.problem_value >= 0) {
            char code[16];
            std::snprintf(code, sizeof code, " (U+%04X)", static_cast<unsigned>(p.problem_value));
            d.message += code;
        }
    } else {
        d.position = marks.map(p.problem_mark.index, p.problem_mark.line, p.problem_mark.column);
        d.message = syntaxMessage(p);
    }
    d.position.line = std::max(d.position.line, firstLine);
    return d;
}

ScalarKind scalarKind(const yaml_event_t &e) {
    const std::string_view tag = view(e.data.scalar.tag);
    if (tag.empty())
        return e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? ScalarKind::Plain
                                                              : ScalarKind::String;
    if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float")
        return ScalarKind::Number;
    return ScalarKind::String;
}

NodeEvent nodeEvent(const yaml_event_t &e, MarkMapper &marks) {
    NodeEvent out;
    switch (e.type) {
    case YAML_SCALAR_EVENT:
        out.type = NodeEvent::Type::Scalar;
        out.kind = scalarKind(e);
        out.text = std::string_view(reinterpret_cast<const char *>(e.data.scalar.value),
                                    e.data.scalar.length);
        out.anchor = view(e.data.scalar.anchor);
        break;
    case YAML_SEQUENCE_START_EVENT:
        out.type = NodeEvent::Type::SequenceStart;
        out.anchor = view(e.data.sequence_start.anchor);
        break;
    case YAML_MAPPING_START_EVENT:
        out.type = NodeEvent::Type::MappingStart;
        out.anchor = view(e.data.mapping_start.anchor);
        break;
    case YAML_ALIAS_EVENT:
        out.type = NodeEvent::Type::Alias;
        out.text = view(e.data.alias.anchor);
        break;
    default:
        out.type = NodeEvent::Type::End;
        return out; // an end needs no position
    }
    out.position = marks.map(e.start_mark.index, e.start_mark.line, e.start_mark.column);
    return out;
}

} // namespace

bool parseDocument(std::string_view chunk, int firstLine, bool simple, const YamlLimits &limits,
                   FieldTree &scratch, YamlDocument &doc,
                   std::vector<YamlDiagnostic> &diagnostics) {
    MarkMapper marks(chunk, firstLine, simple);
    Parser parser(chunk);
    DocumentBuilder builder(limits, scratch);
    std::optional<YamlDiagnostic> overLimit;
    int documents = 0;
    for (bool more = true; more;) {
        if (!parser.next()) { // duplicate keys of a document that is not YAML are not reported
            diagnostics.push_back(syntaxError(parser.state(), marks, firstLine));
            return false;
        }
        const yaml_event_t &e = parser.event();
        switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                diagnostics.push_back(
                    {YamlDiagnostic::Kind::Syntax, {firstLine, 1}, "unexpected second document"});
                return false;
            }
            continue;
        case YAML_STREAM_END_EVENT:
            more = false;
            continue;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            continue;
        default:
            break;
        }
        try {
            builder.feed(nodeEvent(e, marks));
        } catch (const DocumentError &error) {
            if (error.diagnostic.kind != YamlDiagnostic::Kind::Limit) {
                diagnostics.push_back(error.diagnostic);
                return false;
            }
            if (!overLimit)
                overLimit = error.diagnostic;
            if (error.fatal)
                break;
            builder.stopBuilding();
        }
    }
    diagnostics.insert(diagnostics.end(), builder.duplicates().begin(), builder.duplicates().end());
    if (overLimit) {
        diagnostics.push_back(*overLimit);
        return false;
    }
    doc = builder.finish();
    if (!builder.hasRoot())
        doc.start = {firstLine, 1};
    return true;
}

} // namespace kd::manifest::detail
