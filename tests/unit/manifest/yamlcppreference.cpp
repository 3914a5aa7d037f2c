#include "yamlcppreference.h"

#include "manifest/yamlencoding.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

namespace kd::testing {

namespace {

using manifest::Position;
using manifest::YamlDiagnostic;
using nlohmann::json;

using manifest::detail::Chunk;
using manifest::detail::isBlank;
using manifest::detail::splitDocuments;

struct LimitError : std::runtime_error {
    LimitError(const YAML::Mark &m, const std::string &what)
        : std::runtime_error(what)
        , mark(m) {}
    YAML::Mark mark;
};

class Converter {
public:
    Converter(const manifest::YamlLimits &limits, int lineOffset, ReferenceDocument &doc,
              ReferenceResult &result)
        : m_limits(limits)
        , m_lineOffset(lineOffset)
        , m_doc(doc)
        , m_result(result) {}

    json convert(const YAML::Node &node, const std::string &path, int depth) {
        if (++m_nodes > m_limits.maxNodesPerDocument)
            throw LimitError(node.Mark(), "the document expands to more than " +
                                              std::to_string(m_limits.maxNodesPerDocument) +
                                              " nodes (alias expansion is capped)");
        if (depth > m_limits.maxDepth)
            throw LimitError(node.Mark(), "nesting deeper than " +
                                              std::to_string(m_limits.maxDepth) + " levels");
        m_doc.valuePositions.emplace(path, pos(node.Mark()));
        switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar(node);
        case YAML::NodeType::Sequence: {
            json arr = json::array();
            std::size_t i = 0;
            for (const auto &item : node) {
                std::string child = manifest::appendIndex(path, i++);
                m_doc.keyPositions.emplace(child, pos(item.Mark()));
                arr.push_back(convert(item, child, depth + 1));
            }
            return arr;
        }
        case YAML::NodeType::Map: {
            json obj = json::object();
            for (const auto &kv : node) {
                if (!kv.first.IsScalar())
                    throw LimitError(kv.first.Mark(), "map keys must be plain strings");
                std::string key = kv.first.Scalar();
                std::string child = manifest::appendKey(path, key);
                if (obj.contains(key))
                    m_result.diagnostics.push_back(
                        {YamlDiagnostic::Kind::DuplicateKey, pos(kv.first.Mark()),
                         "duplicate key \"" + key + "\"; the later value is used"});
                else
                    m_doc.keyPositions.emplace(child, pos(kv.first.Mark()));
                obj[key] = convert(kv.second, child, depth + 1);
            }
            return obj;
        }
        }
        return nullptr;
    }

    Position pos(const YAML::Mark &m) const {
        if (m.line < 0)
            return {m_lineOffset, 1};
        return {m.line + m_lineOffset, m.column + 1};
    }

private:
    static json scalar(const YAML::Node &node) {
        const std::string &s = node.Scalar();
        const std::string &tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str")
            return s;
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "?" ||
            tag.empty())
            return manifest::resolvePlainScalar(s);
        return s;
    }

    const manifest::YamlLimits &m_limits;
    int m_lineOffset;
    ReferenceDocument &m_doc;
    ReferenceResult &m_result;
    std::size_t m_nodes = 0;
};

void parseChunk(const Chunk &chunk, const manifest::YamlLimits &limits, ReferenceResult &result) {
    ReferenceDocument doc;
    try {
        std::vector<YAML::Node> nodes = YAML::LoadAll(std::string(chunk.text));
        if (nodes.size() > 1) {
            result.diagnostics.push_back(
                {YamlDiagnostic::Kind::Syntax, {chunk.firstLine, 1}, "unexpected second document"});
            return;
        }
        doc.start = {chunk.firstLine, 1};
        if (!nodes.empty()) {
            Converter conv(limits, chunk.firstLine, doc, result);
            doc.value = conv.convert(nodes.front(), std::string(), 0);
            if (nodes.front().Mark().line >= 0)
                doc.start = conv.pos(nodes.front().Mark());
        }
        result.documents.push_back(std::move(doc));
    } catch (const LimitError &e) {
        result.diagnostics.push_back({YamlDiagnostic::Kind::Limit,
                                      {e.mark.line + chunk.firstLine, e.mark.column + 1},
                                      e.what()});
    } catch (const YAML::Exception &e) {
        result.diagnostics.push_back(
            {YamlDiagnostic::Kind::Syntax,
             {std::max(e.mark.line + chunk.firstLine, chunk.firstLine), e.mark.column + 1},
             e.msg});
    }
}

} // namespace

ReferenceResult parseWithYamlCpp(std::string_view text, const manifest::YamlLimits &limits) {
    ReferenceResult result;
    for (const Chunk &chunk : splitDocuments(text))
        if (!isBlank(chunk.text))
            parseChunk(chunk, limits, result);
    return result;
}

} // namespace kd::testing
