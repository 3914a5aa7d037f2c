#pragma once
// Internal to kd_manifest: builds one YamlDocument from a stream of node events, expanding
// aliases by replaying what their anchor recorded, within the limits of YamlLimits.

#include "manifest/yamljson.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kd::manifest::detail {

// How a scalar reads: as its text, or as Kubernetes' YAML 1.1 decoder reads plain scalars.
enum class ScalarKind : std::uint8_t {
    String, // quoted, block, or tagged as a string (or with a tag Kubedeck does not resolve)
    Plain,  // plain and untagged: null, bool, number or string
    Number, // tagged !!int or !!float: resolved like a plain scalar, but never null as a key
};

struct NodeEvent {
    enum class Type : std::uint8_t { Scalar, SequenceStart, MappingStart, End, Alias };
    Type type = Type::Scalar;
    ScalarKind kind = ScalarKind::String;
    Position position;
    std::string_view text;   // a scalar's value; an alias's anchor name
    std::string_view anchor; // "" when the node has none
};

// A problem that ends the document. `fatal` limits stop reading it at once; after the others the
// rest of the document is still read, for a syntax error takes precedence over them.
struct DocumentError {
    YamlDiagnostic diagnostic;
    bool fatal = false;
};

// What Kubernetes' decoder makes of a plain scalar (see resolvePlainScalar).
nlohmann::json resolvePlain(std::string_view text);

class DocumentBuilder {
public:
    // `fields` is scratch space, reused from document to document so that only the finished
    // document's fields are allocated, at their exact size.
    DocumentBuilder(const YamlLimits &limits, FieldTree &fields);

    // Throws DocumentError. After the first limit, only follows nesting and anchors.
    void feed(const NodeEvent &event);
    void stopBuilding() { m_building = false; }

    // Duplicate keys seen so far, in order.
    const std::vector<YamlDiagnostic> &duplicates() const { return m_duplicates; }
    bool hasRoot() const { return m_rootSeen; }
    YamlDocument finish();

private:
    using json = nlohmann::json;

    struct Frame {
        json *value;        // the map or sequence being filled
        std::uint32_t node; // its field
        int depth;
        bool map;
        bool reused;          // the field was there before (the value of a repeated key)
        std::size_t items{0}; // sequences: items so far
        // Maps: where the value of the key just read goes.
        json *slot{nullptr};
        std::uint32_t slotNode{0};
        bool slotReused{false};
    };
    struct Recorded {
        NodeEvent::Type type;
        ScalarKind kind;
        Position position;
        std::string text;
        std::uint32_t record; // Alias: the anchor's recording
    };
    struct OpenRecording {
        std::uint32_t record;
        int level; // collections opened and not yet closed within it
    };

    void feedLive(const NodeEvent &event);
    void drain(const NodeEvent &event);
    void record(const NodeEvent &event, std::uint32_t aliasTarget);
    void apply(NodeEvent::Type type, ScalarKind kind, Position position, std::string_view text);
    void expand(std::uint32_t record);
    void readKey(Frame &frame, NodeEvent::Type type, ScalarKind kind, Position position,
                 std::string_view text);
    void keyFromRecord(Frame &frame, std::uint32_t record);
    std::uint32_t anchorOf(const NodeEvent &event) const;
    std::uint32_t newField(std::uint32_t parent, std::string_view key, std::size_t index,
                           bool isIndex, Position keyPosition);
    [[noreturn]] void limit(Position position, std::string message, bool fatal = false) const;

    const YamlLimits &m_limits;
    bool m_building = true;
    json m_root;
    bool m_rootSeen = false;
    Position m_rootPosition;
    std::vector<Frame> m_stack;
    std::size_t m_nodes = 0;
    std::size_t m_aliasBytes = 0;
    int m_liveDepth = 0; // collections open in the text itself, aliases not expanded
    FieldTree &m_tree;
    std::vector<YamlDiagnostic> m_duplicates;

    std::vector<std::vector<Recorded>> m_records;
    std::vector<bool> m_closed;
    std::vector<OpenRecording> m_open;
    std::unordered_map<std::string, std::uint32_t> m_anchors;
};

} // namespace kd::manifest::detail
